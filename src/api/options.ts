/**
 * The shape of the options object every entry point takes, checked once:
 * a caller passing `compile("1+1", "vm")` or `{ backend: 5 }` gets an
 * ExprOptionsError saying what is wrong, never a silently ignored value.
 * Limits are checked where they are read (src/limits.ts), the js back-end's
 * `load` where it is read.
 */

import type { BackendOptions } from "../backends/backend.js";
import { ExprOptionsError } from "../errors.js";
import { describeValue, type Limits } from "../limits.js";
import type { BackendChoice, TierOptions } from "./auto.js";
import { checkOptionNames, type OptionSet } from "./option-names.js";
import type { ExtensionOptions } from "./scope.js";

/**
 * Options of `compile`: the back-end, the limits, back-end options, the
 * `auto` back-end's tiers, and the application's names (`constants`,
 * `functions`, or an `environment` from `createEnvironment`). Here, below
 * compile.ts, so that what compile.ts uses (the parallel batch's worker
 * protocol) can name it too.
 */
export interface CompileOptions extends Limits, BackendOptions, TierOptions, ExtensionOptions {
  /**
   * `"auto"` (the default: interpret first, compile the expression once it
   * is called often; see `tiers` and `thresholds`) or a name from
   * `backends`. With the js-only `load` option and no back-end, `js`.
   */
  readonly backend?: BackendChoice;
}

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isArray } = Array;

/**
 * `options` as an object (`{}` for null or undefined), every key one that
 * `set` knows. Throws ExprOptionsError.
 */
export function checkOptions<T extends object>(
  options: T | null | undefined,
  source: string,
  set: OptionSet = "compile",
): T {
  if (options === null || options === undefined) return {} as T;
  if (typeof options !== "object" || isArray(options)) {
    throw new ExprOptionsError(
      `options must be an object such as { backend: "vm" }, not ${describeValue(options)}`,
      typeof source === "string" ? source : "",
    );
  }
  const { backend } = options as { backend?: unknown };
  if (backend !== undefined && typeof backend !== "string") {
    throw new ExprOptionsError(
      `backend must be a back-end's name, not ${describeValue(backend)}`,
      typeof source === "string" ? source : "",
    );
  }
  checkOptionNames(options, set, typeof source === "string" ? source : "");
  return options;
}
