/**
 * `exprjit/engine`: the package without its back-ends. Make an engine from
 * the ones an application uses, each from `exprjit/backends/NAME`:
 *
 * ```ts
 * import { createEngine } from "exprjit/engine";
 * import { vm } from "exprjit/backends/vm";
 * const { compile, evaluate } = createEngine([vm]);
 * ```
 *
 * A bundle then carries the front end and those back-ends only.
 *
 * @packageDocumentation
 */

export {
  createEngine,
  type Engine,
  type EngineOptions,
} from "./api/engine.js";
export type { ParallelLoader, ParallelModule } from "./api/parallel-load.js";
export * from "./common.js";
