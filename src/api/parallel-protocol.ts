/**
 * The messages between a parallel batch and its worker threads: what to
 * compile (the job), which rows to run, and the answer. Types only, shared
 * by parallel.ts and parallel-worker.ts.
 */

import type { CompileOptions } from "./options.js";

/** What a worker compiles: the same source, back-end and options as the caller's. */
export interface WorkerJob {
  readonly source: string;
  readonly options: CompileOptions;
}

/** Rows `start .. end-1` of a batch; columns and `out` live in shared memory. */
export interface WorkerTask {
  readonly id: number;
  readonly job: WorkerJob;
  readonly columns: readonly (Float64Array | number)[];
  readonly out: Float64Array;
  readonly start: number;
  readonly end: number;
}

/** The task is done (`error` undefined) or failed with that message. */
export interface WorkerReply {
  readonly id: number;
  readonly error?: string;
}
