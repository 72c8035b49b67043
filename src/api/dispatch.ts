/**
 * Batch dispatch for one compiled expression: which entry runs a batch
 * (the back-end's own batch entry, built on first use, or a loop over
 * `fn`), and whether a parallel batch goes to worker threads or stays on
 * the calling thread. Input checking is batch.ts; threads are parallel.ts.
 */

import type { BatchFn, CompiledCode } from "../backends/backend.js";
import { ExprBackendError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import {
  type BatchColumns,
  type BatchOptions,
  PARALLEL_MIN_ROWS,
  planBatch,
  runBatch,
} from "./batch.js";
import type { ParallelBatchOptions } from "./compiled.js";
import { checkedWorkers, type ParallelPlumbing, workerJob } from "./parallel-load.js";
import type { Request } from "./request.js";

/**
 * Whether a program must be evaluated one row at a time, in row order,
 * through its scalar entry: a program that calls host functions
 * (LANGUAGE.md, "User constants and functions": each call exactly once,
 * left to right, never in an untaken branch, its result checked). The
 * batch paths and the parallel refusal read only this.
 */
export function rowOrderOnly(program: Program): boolean {
  return program.hosts.length > 0;
}

/** The batch entries of one compiled expression. */
export class BatchDispatch {
  /** The back-end's batch entry once built; `null` when batches loop over `fn`. */
  private batchFn: BatchFn | null | undefined;

  constructor(
    private readonly request: Request,
    private readonly program: Program,
    private readonly code: CompiledCode,
    private readonly parallel: ParallelPlumbing,
  ) {}

  /** `evaluateBatch`: checked, then run on this thread. */
  run(columns: BatchColumns | undefined, options: BatchOptions | undefined): Float64Array {
    const plan = planBatch(this.program, columns, options);
    return runBatch(plan, this.code.fn, this.batchEntry());
  }

  /** `evaluateBatchParallel`: checked, then split across threads when that pays. */
  async runParallel(
    columns: BatchColumns | undefined,
    options: ParallelBatchOptions | undefined,
  ): Promise<Float64Array> {
    const { program } = this;
    const plan = planBatch(program, columns, options);
    const workers = checkedWorkers(program, options?.workers);
    if (rowOrderOnly(program)) {
      throw new ExprBackendError(
        "a program that calls host functions cannot run in a parallel batch: use evaluateBatch",
        program.source,
      );
    }
    const fn = this.code.fn;
    const batch = this.batchEntry();
    if (plan.n < PARALLEL_MIN_ROWS || workers === 1) return runBatch(plan, fn, batch);
    const parallel = await this.parallel.load(program.source);
    if (!parallel.worthParallel(plan, workers)) return runBatch(plan, fn, batch);
    return parallel.runParallel(plan, workers, workerJob(this.request, program), (cols, out) => {
      runBatch({ n: out.length, columns: cols, out }, fn, batch);
    });
  }

  /** The back-end's batch entry, built on first use; undefined where rows must go one by one. */
  private batchEntry(): BatchFn | undefined {
    if (this.batchFn === undefined) {
      this.batchFn =
        rowOrderOnly(this.program) || this.code.batch === undefined ? null : this.code.batch();
    }
    return this.batchFn ?? undefined;
  }
}
