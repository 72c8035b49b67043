/**
 * `createEngine`: the entry points over a list of back-ends the caller
 * names, so that a bundle carries only those (`exprjit/engine` with, say,
 * `exprjit/backends/vm`). Everything else is the library's own: the same
 * request, checks, errors and compiled object as the default entry.
 */

import type { Backend, BackendName } from "../backends/backend.js";
import { ExprOptionsError } from "../errors.js";
import { describeValue } from "../limits.js";
import { BackendSet } from "./backend-set.js";
import type { Compiled } from "./compiled.js";
import { compileAsyncWith, compileWith, type EngineParts, evaluateWith } from "./entries.js";
import { type Environment, type EnvironmentOptions, environmentWith } from "./environment.js";
import type { Vars } from "./inputs.js";
import { lazyFrozenList } from "./lazy.js";
import type { CompileOptions } from "./options.js";
import { type ParallelLoader, ParallelPlumbing } from "./parallel-load.js";

/** The entry points of one engine: those of the package, over its back-ends. */
export interface Engine {
  /** The names of this engine's back-ends usable in this process (worked out on first read). */
  readonly backends: readonly BackendName[];
  /** Compiles `source` with the chosen back-end of this engine. Throws ExprError. */
  compile(source: string, options?: CompileOptions | null): Compiled;
  /** Like {@link Engine.compile}, for back-ends whose loading is asynchronous. */
  compileAsync(source: string, options?: CompileOptions | null): Promise<Compiled>;
  /**
   * Compiles and evaluates once: with `treewalk` when the engine has it,
   * otherwise with the engine's default.
   */
  evaluate(source: string, vars?: Vars, options?: CompileOptions | null): number;
  /** An environment whose entry points compile with this engine. */
  createEnvironment(options: EnvironmentOptions): Environment;
  /** Ends this engine's batch worker threads, if any were started. */
  closeBatchWorkers(): Promise<void>;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /**
   * Where parallel batches get their threads: on Node,
   * `() => import("exprjit/parallel")`. Without it, `evaluateBatchParallel`
   * runs on the calling thread (row for row the same result).
   */
  readonly parallel?: ParallelLoader;
}

/**
 * An engine over `backends` (each a back-end object from
 * `exprjit/backends/NAME`, no name twice). `auto` tiers over them: the
 * interpreter first when listed, then the fastest compiled one. Throws
 * ExprOptionsError for a list that is not one.
 */
export function createEngine(backends: readonly Backend[], options: EngineOptions = {}): Engine {
  const parts: EngineParts = {
    set: new BackendSet(checkedList(backends)),
    parallel: new ParallelPlumbing(
      options.parallel ?? (() => import("./parallel.browser.js") as ReturnType<ParallelLoader>),
    ),
  };
  return Object.freeze({
    backends: lazyFrozenList(() => parts.set.availableNames()),
    compile: (source: string, more?: CompileOptions | null) => compileWith(parts, source, more),
    compileAsync: (source: string, more?: CompileOptions | null) =>
      compileAsyncWith(parts, source, more),
    evaluate: (source: string, vars?: Vars, more?: CompileOptions | null) =>
      evaluateWith(parts, source, vars, more),
    createEnvironment: (more: EnvironmentOptions) => environmentWith(parts, more),
    closeBatchWorkers: () => parts.parallel.close(),
  });
}

function checkedList(backends: unknown): readonly Backend[] {
  if (!Array.isArray(backends) || backends.length === 0) {
    throw new ExprOptionsError(
      `createEngine takes a list of one or more back-ends, not ${Array.isArray(backends) ? "an empty list" : describeValue(backends)}`,
      "",
    );
  }
  const seen = new Set<string>();
  for (const backend of backends as unknown[]) {
    const name = (backend as { name?: unknown } | null)?.name;
    if (typeof backend !== "object" || backend === null || typeof name !== "string") {
      throw new ExprOptionsError(
        `createEngine: ${describeValue(backend)} is not a back-end (import one from exprjit/backends/NAME)`,
        "",
      );
    }
    if (seen.has(name)) throw new ExprOptionsError(`createEngine: '${name}' is listed twice`, "");
    seen.add(name);
  }
  return Object.freeze([...(backends as Backend[])]);
}
