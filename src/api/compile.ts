/**
 * The public entry points over every back-end of this build (the
 * registry): `compile`, `compileAsync`, `evaluate`, `createEnvironment`
 * and `closeBatchWorkers`. Each prepares one request and runs it through
 * entries.ts; `createEngine` (engine.ts) makes the same entry points over
 * a list of back-ends instead.
 */

import { BACKENDS } from "./choose.js";
import type { Compiled } from "./compiled.js";
import { compileAsyncWith, compileWith, type EngineParts, evaluateWith } from "./entries.js";
import { type Environment, type EnvironmentOptions, environmentWith } from "./environment.js";
import type { Vars } from "./inputs.js";
import type { CompileOptions } from "./options.js";
import { ParallelPlumbing } from "./parallel-load.js";

export type { BackendChoice, Promotion, TierOptions } from "./auto.js";
export type { Compiled, ParallelBatchOptions } from "./compiled.js";
export { ACCESSOR_AFTER } from "./expression.js";
export type { CompileOptions } from "./options.js";

/**
 * Every back-end, and worker threads from parallel.ts (imported on first
 * use only: it needs `node:worker_threads`; a browser build's `browser`
 * field puts parallel.browser.ts in its place).
 */
const EVERY: EngineParts = {
  set: BACKENDS,
  parallel: /* @__PURE__ */ new ParallelPlumbing(() => import("./parallel.js")),
};

/** Compiles `source` with the chosen back-end. Throws ExprError. */
export function compile(source: string, options: CompileOptions | null = {}): Compiled {
  return compileWith(EVERY, source, options);
}

/**
 * Like {@link compile}, for back-ends whose loading is asynchronous
 * (`js` with `load: "module"`); works with every back-end.
 */
export function compileAsync(
  source: string,
  options: CompileOptions | null = {},
): Promise<Compiled> {
  return compileAsyncWith(EVERY, source, options);
}

/** Compiles and evaluates once (with the reference interpreter by default). */
export function evaluate(source: string, vars?: Vars, options: CompileOptions | null = {}): number {
  return evaluateWith(EVERY, source, vars, options);
}

/**
 * Validates `options.constants` and `options.functions` once and returns
 * them as an {@link Environment}. Throws ExprError (see the README's
 * "User constants and functions" for each mistake and its kind).
 */
export function createEnvironment(options: EnvironmentOptions): Environment {
  return environmentWith(EVERY, options);
}

/**
 * Ends the worker threads of parallel batches, if any were started (they
 * never keep the process alive while idle; this frees them at once). The
 * next parallel batch starts them again.
 */
export function closeBatchWorkers(): Promise<void> {
  return EVERY.parallel.close();
}
