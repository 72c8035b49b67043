/**
 * `createEnvironment`: an application's constants and functions validated
 * once, as an immutable object with its own `compile`, `compileAsync`,
 * `evaluate` and `resolveProgram`. Passing the same names as options to
 * every compile works too, but validates (and parses every definition)
 * again each time.
 */

import { checkLimits, type Limits } from "../limits.js";
import type { Extension } from "../semantics/extension.js";
import type { Program } from "../semantics/program.js";
import type { Compiled } from "./compiled.js";
import { compileAsyncWith, compileWith, type EngineParts, evaluateWith } from "./entries.js";
import { validateExtension } from "./frontend.js";
import type { Vars } from "./inputs.js";
import { type CompileOptions, checkOptions } from "./options.js";
import { programOf, sourceRequest } from "./request.js";
import { type EnvironmentHandle, registerEnvironment } from "./scope.js";

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
 * The environment of `options` over the engine `parts` (`createEnvironment`
 * is this over every back-end). Throws ExprError.
 */
export function environmentWith(parts: EngineParts, options: EnvironmentOptions): Environment {
  const { constants, functions, maxLength, maxDepth } = checkOptions(options, "", "environment");
  checkLimits({ maxLength, maxDepth }, "");
  const validated = validateExtension({ constants, functions }, { maxLength, maxDepth });
  // Each entry's request adds the environment over the caller's options once
  // it has checked them (request.ts): a string or an array in their place is
  // refused, not spread into an object, and nothing the caller sets drops it.
  const fixed = (): CompileOptions => ({ environment });
  const environment: Environment = freeze({
    names: validated.names,
    compile: (source: string, more?: EnvironmentCompileOptions | null) =>
      compileWith(parts, source, more, undefined, fixed()),
    compileAsync: (source: string, more?: EnvironmentCompileOptions | null) =>
      compileAsyncWith(parts, source, more, fixed()),
    evaluate: (source: string, vars?: Vars, more?: EnvironmentCompileOptions | null) =>
      evaluateWith(parts, source, vars, more, fixed()),
    resolveProgram: (source: string, limits?: Limits | null) => {
      return programOf(sourceRequest(source, limits, undefined, fixed()));
    },
  });
  registerEnvironment(environment, validated);
  return environment;
}
