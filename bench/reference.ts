/**
 * The compile phase's floor for the `js` back-end: "bare new Function",
 * what V8 alone costs to compile and first run the very JavaScript the
 * back-end generates, with nothing of exprjit around it.
 *
 * "The same body" is taken literally: the js back-end's own generated text
 * for the expression (its expression functions' declarations, then the
 * body of `Main`: `return …;` and any inner functions), made once before
 * the clock, compiled as one `new Function(builtins…, variables…, body)`
 * and called once with the captured builtins and the inputs. No front end,
 * no code generation, no factory, no cache, no API: the ratio js ÷ this is
 * what exprjit adds on top of the engine's own compiler.
 */

import { toProgram } from "../src/api/frontend.js";
import { generateJs } from "../src/backends/js/codegen.js";
import type { WorkloadExpr } from "./workload.js";

/** A compile-only reference timed beside an engine in the compile phase. */
export interface CompileReference {
  /** Its id in tables and JSON (`js/new-function`). */
  readonly id: string;
  /** Human name for the report. */
  readonly label: string;
  /**
   * One compile of `expr`, ready to time: each call compiles afresh and
   * returns the first result at (1.5, 0.75). Throws if that result is not
   * the hand-written baseline's (so the reference computes the same thing).
   */
  prepare(expr: WorkloadExpr): () => number;
}

/** `function Main(params) {\n BODY\n}` → BODY. */
const DECLARATION = /^function Main\([^)]*\) \{\n([\s\S]*)\n\}$/;

/** The Function constructor, typed for `new` with string arguments. */
const NativeFunction = Function as unknown as new (
  ...paramsThenBody: string[]
) => (...args: unknown[]) => number;

/** Bare `new Function` of the js back-end's generated text (see the file comment). */
export const jsNewFunction: CompileReference = {
  id: "js/new-function",
  label: "bare new Function (js's generated body)",
  prepare(expr) {
    const program = toProgram(expr.source);
    const code = generateJs(program);
    const match = DECLARATION.exec(code.main);
    if (match === null || code.hosts.length > 0) {
      throw new Error(`${expr.id}: generated code of an unexpected shape`);
    }
    const names = [...code.builtins.map((b) => b.name), ...code.params];
    const body = `${code.prelude}${match[1] as string}`;
    const args = [
      ...code.builtins.map((b) => b.js as unknown),
      ...program.variables.map((v) => (v === "x" ? 1.5 : 0.75)),
    ];
    const once = () => new NativeFunction(...names, body)(...args);
    const expected = expr.baseline(1.5, 0.75);
    if (!Object.is(once(), expected)) {
      throw new Error(`${expr.id}: bare new Function does not compute the baseline's result`);
    }
    return once;
  },
};
