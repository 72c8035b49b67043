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
 * This entry (Node's: the `node` export condition) has every back-end and
 * worker threads; index.browser.ts is the same over the back-ends a
 * browser can run, and `exprjit/engine` makes one from a list.
 *
 * @packageDocumentation
 */

import { backendNames } from "./api/choose.js";
import { lazyFrozenList } from "./api/lazy.js";
import type { BackendName } from "./backends/backend.js";

export {
  closeBatchWorkers,
  compile,
  compileAsync,
  createEnvironment,
  evaluate,
} from "./api/compile.js";
export { compileGradient } from "./api/gradient.js";
export { compileSet } from "./api/set.js";
export * from "./common.js";

/**
 * The names of the back-ends usable in this process, reference (`treewalk`)
 * first: in a browser, those its Content-Security-Policy lets run. Worked
 * out the first time it is read, not when the package is imported (asking
 * `native` looks for a C compiler), and frozen.
 */
export const backends: readonly BackendName[] = /* @__PURE__ */ lazyFrozenList(backendNames);
