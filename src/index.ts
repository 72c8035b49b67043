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
import { parseSource, stages, toProgram } from "./api/frontend.js";
import { lazyFrozenList } from "./api/lazy.js";
import type { ExtensionOptions } from "./api/scope.js";
import { userNamesOf } from "./api/scope.js";
import type { BackendName } from "./backends/backend.js";
import { ExprSyntaxError } from "./errors.js";
import type { Limits } from "./limits.js";
import type { Expr, ProgramSyntax } from "./syntax/ast.js";
import type { Token } from "./syntax/token.js";

export {
  type BackendChoice,
  DEFAULT_JIT_THRESHOLD,
  DEFAULT_THRESHOLD,
  type Promotion,
  type TierOptions,
} from "./api/auto.js";
export type { BatchColumn, BatchColumns, BatchOptions } from "./api/batch.js";
export {
  type Compiled,
  type CompileOptions,
  closeBatchWorkers,
  compile,
  compileAsync,
  evaluate,
  type ParallelBatchOptions,
} from "./api/compile.js";
export {
  createEnvironment,
  type Environment,
  type EnvironmentCompileOptions,
  type EnvironmentOptions,
} from "./api/environment.js";
export type { Vars } from "./api/inputs.js";
export type { ExtensionOptions } from "./api/scope.js";
export type {
  Availability,
  Backend,
  BackendName,
  BackendOptions,
  EvalFn,
} from "./backends/backend.js";
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
export type {
  DefinitionSpec,
  Extension,
  HostFunctionSpec,
  NameTable,
  UserFunctionSpec,
} from "./semantics/extension.js";

import type { Program } from "./semantics/program.js";

export { DEFAULT_LIMITS, type Limits } from "./limits.js";
export type * from "./syntax/ast.js";
export { print, printProgram } from "./syntax/print.js";
export type { Token, TokenType } from "./syntax/token.js";
export { formatNumber } from "./text/number.js";
export type { Program };

/**
 * The names of the back-ends usable in this process, reference (`treewalk`)
 * first: in a browser, those its Content-Security-Policy lets run. Worked
 * out the first time it is read, not when the package is imported (asking
 * `native` looks for a C compiler), and frozen.
 */
export const backends: readonly BackendName[] = /* @__PURE__ */ lazyFrozenList(backendNames);

/**
 * The tokens of `source`, the last one `EOF`: each with its type and span
 * (`value` for numbers). Throws ExprError (syntax) on a character or number
 * the language does not have.
 */
export function lex(source: string): readonly Token[] {
  return stages.tokens(source);
}

/**
 * Parses `source` into its syntax tree (spans included). Throws ExprError
 * (syntax or limit). A syntax tree does not resolve names, so user
 * constants and functions play no part here; give them to
 * {@link resolveProgram} or `compile`.
 */
export function parse(source: string, options: Limits = {}): Expr {
  const program = parseSource(source, options);
  const first = program.bindings[0];
  if (first !== undefined) {
    throw new ExprSyntaxError(
      "expected one expression, without bindings (parseProgram reads bindings)",
      source,
      { offset: first.start, length: first.nameEnd - first.start },
    );
  }
  return program.result;
}

/**
 * Parses `source`, a program (v3: bindings `name = value;`, then its
 * result), into its syntax tree. Throws ExprError (syntax or limit).
 * {@link printProgram} writes it back.
 */
export function parseProgram(source: string, options: Limits = {}): ProgramSyntax {
  return parseSource(source, options);
}

/**
 * Parses, resolves and lowers `source`: the Program every back-end receives
 * (variables in first-appearance order, names resolved, arity checked,
 * constant sub-expressions folded), with the application's `constants`
 * and `functions` (or `environment`) if given: calls of them are `host`
 * and `apply` nodes, and `Program.definitions` lists the expression
 * functions it calls.
 */
export function resolveProgram(source: string, options: Limits & ExtensionOptions = {}): Program {
  options ??= {};
  return toProgram(source, options, userNamesOf(options, options, source));
}
