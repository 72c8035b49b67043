/**
 * The option names each entry point knows, as tables the type checker
 * holds to the option interfaces (a new option not listed here is a type
 * error), and the check that refuses any other name with a "did you mean":
 * `compile(s, { backedn: "vm" })` must not silently compile with `auto`.
 */

import { ExprOptionsError } from "../errors.js";
import { closest } from "../semantics/suggest.js";
import type { EnvironmentOptions } from "./environment.js";
import type { GradientOptions } from "./gradient.js";
import type { CompileOptions } from "./options.js";
import type { SetOptions } from "./set.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { keys: ownKeys, hasOwn } = Object;

/** Every option of `compile`, `compileAsync`, `evaluate` (and the parse and resolve entries). */
const COMPILE_OPTIONS = {
  backend: true,
  maxLength: true,
  maxDepth: true,
  load: true,
  tiers: true,
  thresholds: true,
  constants: true,
  functions: true,
  environment: true,
} as const satisfies Record<keyof CompileOptions, true>;

/** Every option of `createEnvironment`. */
const ENVIRONMENT_OPTIONS = {
  constants: true,
  functions: true,
  maxLength: true,
  maxDepth: true,
} as const satisfies Record<keyof EnvironmentOptions, true>;

/** Every option of `compileGradient`: compile's, and the variables to differentiate by. */
const GRADIENT_OPTIONS = {
  ...COMPILE_OPTIONS,
  wrt: true,
} as const satisfies Record<keyof GradientOptions, true>;

/** Every option of `compileSet`: compile's, and the outputs to return. */
const SET_OPTIONS = {
  ...COMPILE_OPTIONS,
  outputs: true,
} as const satisfies Record<keyof SetOptions, true>;

/** Which table an options object is checked against. */
export type OptionSet = "compile" | "environment" | "gradient" | "set";

const TABLES: Readonly<Record<OptionSet, Readonly<Record<string, true>>>> = {
  compile: COMPILE_OPTIONS,
  environment: ENVIRONMENT_OPTIONS,
  gradient: GRADIENT_OPTIONS,
  set: SET_OPTIONS,
};

const NAME_LISTS: Readonly<Record<OptionSet, readonly string[]>> = {
  compile: ownKeys(COMPILE_OPTIONS),
  environment: ownKeys(ENVIRONMENT_OPTIONS),
  gradient: ownKeys(GRADIENT_OPTIONS),
  set: ownKeys(SET_OPTIONS),
};

/** Throws ExprOptionsError on the first own key of `options` that `set` does not know. */
export function checkOptionNames(options: object, set: OptionSet, source: string): void {
  const table = TABLES[set];
  for (const key of ownKeys(options)) {
    if (hasOwn(table, key)) continue;
    const near = closest(key, NAME_LISTS[set]);
    const hint = near === undefined ? "" : `; did you mean '${near}'?`;
    throw new ExprOptionsError(`unknown option '${key}'${hint}`, source);
  }
}
