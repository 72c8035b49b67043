/**
 * exprjit: arithmetic expressions run every classic way, with one meaning.
 *
 * ```ts
 * import { compile, evaluate } from "exprjit";
 * evaluate("1+1.2-5");                        // -2.8
 * const f = compile("x^2 + y", { backend: "vm" });
 * f.variables;                                // ["x", "y"]
 * f.evaluate({ x: 3, y: 1 });                 // 10, checked
 * f.fn(3, 1);                                 // 10, positional and unchecked
 * ```
 *
 * @packageDocumentation
 */

import { backendNames } from "./api/choose.js";
import { parseSource, toProgram } from "./api/frontend.js";
import type { Limits } from "./limits.js";
import type { Expr } from "./syntax/ast.js";

export {
  type Compiled,
  type CompileOptions,
  compile,
  compileAsync,
  evaluate,
} from "./api/compile.js";
export type { Vars } from "./api/inputs.js";
export type { Availability, Backend, BackendOptions, EvalFn } from "./backends/backend.js";
export {
  type ErrorKind,
  ExprArityError,
  ExprBackendError,
  ExprError,
  ExprInputError,
  ExprLimitError,
  ExprNameError,
  ExprOptionsError,
  ExprSyntaxError,
  type Span,
} from "./errors.js";
export { CONSTANTS, FUNCTIONS } from "./semantics/builtins.js";

import type { Program } from "./semantics/program.js";

export { DEFAULT_LIMITS, type Limits } from "./limits.js";
export type * from "./syntax/ast.js";
export { print } from "./syntax/print.js";
export { formatNumber } from "./text/number.js";
export type { Program };

/** The names of the back-ends usable in this process, reference (`treewalk`) first. */
export const backends: readonly string[] = Object.freeze(backendNames());

/** Parses `source` into its syntax tree (spans included). Throws ExprError (syntax or limit). */
export function parse(source: string, options: Limits = {}): Expr {
  return parseSource(source, options);
}

/**
 * Parses, resolves and lowers `source`: the Program every back-end receives
 * (variables in first-appearance order, names resolved, arity checked,
 * constant sub-expressions folded).
 */
export function resolveProgram(source: string, options: Limits = {}): Program {
  return toProgram(source, options);
}
