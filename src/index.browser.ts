/**
 * exprjit as a browser (and any platform without Node's modules) gets it:
 * the package's `browser` and `default` export conditions. The same
 * exports as index.ts, over the back-ends a browser can run (no `native`;
 * `js` loads modules from Blob URLs), and parallel batches on the calling
 * thread. Nothing here imports a `node:` module.
 *
 * @packageDocumentation
 */

import { createEngine } from "./api/engine.js";
import { ALL_BACKENDS } from "./backends/registry.browser.js";

export * from "./common.js";

const engine = /* @__PURE__ */ createEngine(ALL_BACKENDS);

/** The names of the back-ends this page can run (its Content-Security-Policy decides js and wasm). */
export const backends = engine.backends;
/** Compiles `source` with the chosen back-end. Throws ExprError. */
export const compile = engine.compile;
/** Like {@link compile}, for back-ends whose loading is asynchronous (`js` with `load: "module"`). */
export const compileAsync = engine.compileAsync;
/** Compiles and evaluates once (with the reference interpreter by default). */
export const evaluate = engine.evaluate;
/** Validates user constants and functions once, as an environment. Throws ExprError. */
export const createEnvironment = engine.createEnvironment;
/** Nothing to end here: parallel batches run on the calling thread. */
export const closeBatchWorkers = engine.closeBatchWorkers;
