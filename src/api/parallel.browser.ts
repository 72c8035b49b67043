/**
 * The parallel batch where there are no worker threads (a browser build:
 * package.json's `browser` field puts this file in place of parallel.ts).
 * A parallel batch then runs on the calling thread, row for row the same
 * as a sequential one; nothing Node-only reaches the bundle.
 */

import { ExprBackendError } from "../errors.js";
import type { BatchPlan } from "./batch.js";
import type { WorkerJob } from "./parallel-protocol.js";

/** One thread: the caller's. */
export function threadsFor(_n: number, _requested: number | undefined): number {
  return 1;
}

/** Never: with one thread, the batch runs where it is. */
export function worthParallel(_plan: BatchPlan, _requested: number | undefined): boolean {
  return false;
}

/** Unreachable while {@link worthParallel} says no; says why if called anyway. */
export async function runParallel(
  _plan: BatchPlan,
  _requested: number | undefined,
  job: WorkerJob,
  _runHere: (columns: readonly (Float64Array | number)[], out: Float64Array) => void,
): Promise<Float64Array> {
  throw new ExprBackendError(
    "parallel batches need worker threads, which this platform lacks",
    job.source,
  );
}

/** Nothing to end. */
export async function closePool(): Promise<void> {}

/** No pool here. */
export function poolSize(): number {
  return 0;
}
