/**
 * The parallel batch's plumbing on the calling side: the parallel module,
 * loaded on first use through the loader the engine was made with (Node's
 * worker threads, or the one-thread stand-in of a browser build), the
 * `workers` option, and the job a worker compiles (plain data only).
 */

import { ExprBackendError, ExprInputError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import { AUTO } from "./backend-set.js";
import type { WorkerJob } from "./parallel-protocol.js";
import type { Request } from "./request.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isSafeInteger } = Number;

/** What parallel.ts (and parallel.browser.ts) export. */
export type ParallelModule = typeof import("./parallel.js");

/** Imports the parallel module; an engine is made with one (see engine.ts). */
export type ParallelLoader = () => Promise<ParallelModule>;

/** The parallel module of one loader, imported once; forgotten if it failed to load. */
export class ParallelPlumbing {
  private module: Promise<ParallelModule> | undefined;

  constructor(private readonly loader: ParallelLoader) {}

  /** The parallel module; where it cannot load (no `node:worker_threads`), an ExprBackendError. */
  async load(source: string): Promise<ParallelModule> {
    this.module ??= this.loader();
    try {
      return await this.module;
    } catch (error) {
      this.module = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ExprBackendError(
        `parallel batches need Node's worker_threads, which this engine cannot load (${reason}): use evaluateBatch`,
        source,
      );
    }
  }

  /** Ends the worker threads, if the module was ever loaded. */
  async close(): Promise<void> {
    if (this.module !== undefined) await (await this.module).closePool();
  }
}

/** The `workers` option, checked: a whole number of threads, 1 or more. Throws ExprInputError. */
export function checkedWorkers(program: Program, workers: unknown): number | undefined {
  if (workers === undefined) return undefined;
  if (typeof workers !== "number" || !isSafeInteger(workers) || workers < 1) {
    throw new ExprInputError(
      `the workers option must be a whole number of threads, 1 or more, got ${String(workers)}`,
      program.source,
      { offset: 0, length: program.source.length },
    );
  }
  return workers;
}

/**
 * The job a worker compiles: the same source, back-end and options, only
 * what decides the code and only plain data (it crosses to another
 * thread). The application's names go as every constant and each
 * expression function the program calls, as its definition text (callees
 * first); host functions never get here.
 */
export function workerJob(request: Request, program: Program): WorkerJob {
  const { maxLength, maxDepth, load, tiers, thresholds } = request.options;
  return {
    source: request.source,
    options: {
      backend: request.engine === AUTO ? AUTO : request.engine.name,
      maxLength,
      maxDepth,
      load,
      tiers,
      thresholds,
      ...extensionData(request, program),
    },
  };
}

function extensionData(
  request: Request,
  program: Program,
): { constants?: Record<string, number>; functions?: Record<string, string> } {
  if (request.user === undefined) return {};
  const constants: Record<string, number> = {};
  for (const [name, value] of request.user.constants) constants[name] = value;
  const functions: Record<string, string> = {};
  for (const definition of program.definitions) functions[definition.name] = definition.text;
  return { constants, functions };
}
