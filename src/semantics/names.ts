/**
 * THE lookup of a name, one table for all: a builtin function or constant
 * (builtins.ts), else one of the application's names. Resolve, the
 * validation of user definitions and "did you mean" all ask here.
 */

import { type Builtin, CONSTANTS, FUNCTION_LIST } from "./builtins.js";
import type { UserFunction } from "./program.js";

/**
 * The names an application adds, validated (extension.ts): none reuses a
 * builtin name, and no name is both a constant and a function. Maps, so a
 * name like `__proto__` or `constructor` is an ordinary key.
 */
export interface UserNames {
  readonly constants: ReadonlyMap<string, number>;
  readonly functions: ReadonlyMap<string, UserFunction>;
}

/** What a name means: a constant's value, or a function to call. */
export type Binding =
  | { readonly kind: "constant"; readonly value: number; readonly user: boolean }
  | { readonly kind: "builtin"; readonly fn: Builtin }
  | { readonly kind: "user"; readonly fn: UserFunction };

/** Bindings of the builtins, made once so a lookup allocates nothing. */
const BUILTIN_BINDINGS: ReadonlyMap<string, Binding> = new Map<string, Binding>([
  ...FUNCTION_LIST.map((fn): [string, Binding] => [fn.name, { kind: "builtin", fn }]),
  ...Object.entries(CONSTANTS).map(([name, value]): [string, Binding] => [
    name,
    { kind: "constant", value, user: false },
  ]),
]);

/**
 * THE lookup of a name: a builtin function or constant, else one of the
 * application's names in `user`, else undefined (a variable, or unknown).
 */
export function lookupName(name: string, user?: UserNames): Binding | undefined {
  const builtin = BUILTIN_BINDINGS.get(name);
  if (builtin !== undefined || user === undefined) return builtin;
  const value = user.constants.get(name);
  if (value !== undefined) return { kind: "constant", value, user: true };
  const fn = user.functions.get(name);
  return fn === undefined ? undefined : { kind: "user", fn };
}

/** Every function name a call may use, builtins first: the candidates of "did you mean". */
export function functionNames(user?: UserNames): string[] {
  const names: string[] = FUNCTION_LIST.map((f) => f.name);
  if (user !== undefined) names.push(...user.functions.keys());
  return names;
}
