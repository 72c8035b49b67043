/**
 * Which user names a compile sees: those of an environment made by
 * `createEnvironment` (validated once, when it was made), or the
 * `constants` and `functions` options of this one call (validated now).
 */

import { ExprInputError } from "../errors.js";
import type { Limits } from "../limits.js";
import type { Extension, ValidatedExtension } from "../semantics/extension.js";
import { validateExtension } from "./frontend.js";

/** An immutable, validated set of user constants and functions (see `createEnvironment`). */
export interface EnvironmentHandle {
  /** Every user name, constants first, in the order given. */
  readonly names: readonly string[];
}

/** The options through which a compile receives user names. */
export interface ExtensionOptions extends Extension {
  /** An environment from `createEnvironment`; not together with `constants` or `functions`. */
  readonly environment?: EnvironmentHandle | null;
}

/** The validated names behind each environment. */
const VALIDATED = new WeakMap<object, ValidatedExtension>();

/** Records what `environment` stands for (called once, by createEnvironment). */
export function registerEnvironment(environment: object, names: ValidatedExtension): void {
  VALIDATED.set(environment, names);
}

/** The user names `options` give, validated; undefined when there are none. Throws ExprError. */
export function userNamesOf(
  options: ExtensionOptions,
  limits: Limits,
  source: string,
): ValidatedExtension | undefined {
  const { environment, constants, functions } = options;
  if (environment !== undefined && environment !== null) {
    const names = VALIDATED.get(environment);
    if (names === undefined) {
      throw new ExprInputError(
        "the environment option takes an environment made by createEnvironment",
        source,
        { offset: 0, length: 0 },
      );
    }
    if ((constants ?? undefined) !== undefined || (functions ?? undefined) !== undefined) {
      throw new ExprInputError(
        "give user names either as an environment or as constants and functions, not both",
        source,
        { offset: 0, length: 0 },
      );
    }
    return names;
  }
  if ((constants ?? undefined) === undefined && (functions ?? undefined) === undefined) {
    return undefined;
  }
  return validateExtension({ constants, functions }, limits);
}
