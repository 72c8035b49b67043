/**
 * `createEnvironment`: an application's constants and functions validated
 * once, as an immutable object with its own `compile`, `compileAsync`,
 * `evaluate` and `resolveProgram`. Passing the same names as options to
 * every compile works too, but validates (and parses every definition)
 * again each time.
 */

import { checkLimits, type Limits } from "../limits.js";
import { type Extension, validateExtension } from "../semantics/extension.js";
import type { Program } from "../semantics/program.js";
import { type Compiled, type CompileOptions, compile, compileAsync, evaluate } from "./compile.js";
import { toProgram } from "./frontend.js";
import type { Vars } from "./inputs.js";
import { checkOptions } from "./options.js";
import { type EnvironmentHandle, registerEnvironment, userNamesOf } from "./scope.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { freeze } = Object;

/** What {@link createEnvironment} takes: the names, and the limits their definitions must keep. */
export interface EnvironmentOptions extends Extension, Limits {}

/** The options of an environment's entry points: those of `compile` but the user names. */
export type EnvironmentCompileOptions = Omit<
  CompileOptions,
  "constants" | "functions" | "environment"
>;

/**
 * A validated, immutable set of user constants and functions. Its entry
 * points are the library's, with these names added; `{ environment }`
 * passes it to the library's own `compile` and `evaluate` too.
 */
export interface Environment extends EnvironmentHandle {
  /** {@link compile} with this environment's names. */
  compile(source: string, options?: EnvironmentCompileOptions | null): Compiled;
  /** {@link compileAsync} with this environment's names. */
  compileAsync(source: string, options?: EnvironmentCompileOptions | null): Promise<Compiled>;
  /** {@link evaluate} with this environment's names. */
  evaluate(source: string, vars?: Vars, options?: EnvironmentCompileOptions | null): number;
  /** The lowered Program, as `resolveProgram` gives it, with this environment's names. */
  resolveProgram(source: string, options?: Limits | null): Program;
}

/**
 * Validates `options.constants` and `options.functions` once and returns
 * them as an {@link Environment}. Throws ExprError (see docs/API.md,
 * "User constants and functions" for each mistake and its kind).
 */
export function createEnvironment(options: EnvironmentOptions): Environment {
  const { constants, functions, maxLength, maxDepth } = checkOptions(options, "", "environment");
  checkLimits({ maxLength, maxDepth }, "");
  const validated = validateExtension({ constants, functions }, { maxLength, maxDepth });
  // Each entry checks its options before adding the environment to them, so a
  // string or an array in their place is refused, not spread into an object.
  const withThis = <T extends object>(more: T | null | undefined, source: string) => ({
    ...checkOptions(more, source),
    environment,
  });
  const environment: Environment = freeze({
    names: validated.names,
    compile: (source: string, more?: EnvironmentCompileOptions | null) =>
      compile(source, withThis(more, source)),
    compileAsync: (source: string, more?: EnvironmentCompileOptions | null) =>
      compileAsync(source, withThis(more, source)),
    evaluate: (source: string, vars?: Vars, more?: EnvironmentCompileOptions | null) =>
      evaluate(source, vars, withThis(more, source)),
    resolveProgram: (source: string, limits?: Limits | null) => {
      const checked = checkOptions(limits, source);
      return toProgram(source, checked, userNamesOf({ environment }, checked, source));
    },
  });
  registerEnvironment(environment, validated);
  return environment;
}
