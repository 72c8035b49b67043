/**
 * Parallel batches (Node only): rows split across a pool of worker threads
 * and the calling thread, over `SharedArrayBuffer`s. Loaded by a dynamic
 * `import()` only when `evaluateBatchParallel` is called, so nothing here
 * (nor `node:worker_threads`) reaches a program that never asks for it.
 *
 * Each worker compiles the same source with the same back-end and options
 * (once per distinct job, kept in a small cache there) and evaluates its
 * share of the rows straight into the shared output. The pool starts
 * lazily, grows to at most one thread per core but the caller's, is
 * reused, and never keeps the process alive while idle (idle workers are
 * unreferenced); {@link closePool} ends it.
 */

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ExprBackendError } from "../errors.js";
import { allocateRows, type BatchPlan, PARALLEL_MIN_ROWS } from "./batch.js";
import type { WorkerJob, WorkerReply, WorkerTask } from "./parallel-protocol.js";
import { workerExecArgv } from "./worker-argv.js";

/** Fewest rows worth one more thread. */
const ROWS_PER_THREAD = 1 << 15;

/** How many threads (the caller's included) a batch of `n` rows gets. */
export function threadsFor(n: number, requested: number | undefined): number {
  const cores = Math.max(1, availableParallelism());
  const wanted = Math.min(requested ?? cores, cores);
  return Math.max(1, Math.min(wanted, Math.floor(n / ROWS_PER_THREAD)));
}

/** Whether `plan` is worth splitting across threads. */
export function worthParallel(plan: BatchPlan, requested: number | undefined): boolean {
  return plan.n >= PARALLEL_MIN_ROWS && threadsFor(plan.n, requested) > 1;
}

/** A pooled worker and the task it runs, if any. */
interface PoolWorker {
  readonly worker: Worker;
  busy: boolean;
}

const pool: PoolWorker[] = [];
let nextTask = 0;

/**
 * Starts a worker on the script beside this module: `parallel-worker.js`
 * when built. From the TypeScript sources (the tests, the benchmark), the
 * worker first registers tsx, the development loader, then imports the
 * `.ts` script.
 */
function startWorker(): PoolWorker {
  const fromSources = import.meta.url.endsWith(".ts");
  const script = new URL(`./parallel-worker.${fromSources ? "ts" : "js"}`, import.meta.url);
  // Whichever way this process was started (`-e`, `-p`, stdin, `--input-type`), the worker runs a file.
  const execArgv = workerExecArgv(process.execArgv);
  const worker = fromSources
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})` +
          `.then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); })`,
        { eval: true, execArgv },
      )
    : new Worker(script, { execArgv });
  worker.unref();
  const entry: PoolWorker = { worker, busy: false };
  pool.push(entry);
  return entry;
}

/** `count` idle workers, started as needed. */
function idleWorkers(count: number): PoolWorker[] {
  const idle = pool.filter((entry) => !entry.busy).slice(0, count);
  while (idle.length < count) idle.push(startWorker());
  return idle;
}

/** Runs one task on `entry`; resolves when its rows are written. */
function runOn(entry: PoolWorker, task: Omit<WorkerTask, "id">, source: string): Promise<void> {
  const { worker } = entry;
  const id = nextTask++;
  entry.busy = true;
  worker.ref();
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      entry.busy = false;
      worker.unref();
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.id !== id) return;
      done();
      if (reply.error === undefined) resolve();
      else reject(new ExprBackendError(reply.error, source));
    };
    const onError = (error: Error) => {
      done();
      discard(entry);
      reject(new ExprBackendError(`a batch worker failed: ${error.message}`, source));
    };
    const onExit = (code: number) => {
      done();
      discard(entry);
      reject(new ExprBackendError(`a batch worker stopped (exit code ${code})`, source));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ ...task, id } satisfies WorkerTask);
  });
}

function discard(entry: PoolWorker): void {
  const at = pool.indexOf(entry);
  if (at >= 0) pool.splice(at, 1);
  void entry.worker.terminate();
}

/** A column as the workers can see it: shared memory (copied there if it is not), or one number. */
function shared(
  column: BatchPlan["columns"][number],
  n: number,
  source: string,
): Float64Array | number {
  if (typeof column === "number") return column;
  if (column instanceof Float64Array && column.buffer instanceof SharedArrayBuffer) return column;
  const copy = allocateRows(n, source, true);
  if (column instanceof Float64Array) copy.set(column);
  else for (let i = 0; i < n; i++) copy[i] = column[i] as number;
  return copy;
}

/**
 * Splits `plan` into contiguous shares: the calling thread runs the first
 * with `runHere`, pooled workers the others; results land in shared memory
 * and are copied to the caller's `out` if it is not shared itself.
 */
export async function runParallel(
  plan: BatchPlan,
  requested: number | undefined,
  job: WorkerJob,
  runHere: (columns: readonly (Float64Array | number)[], out: Float64Array) => void,
): Promise<Float64Array> {
  const { n } = plan;
  const threads = threadsFor(n, requested);
  const columns = plan.columns.map((column) => shared(column, n, job.source));
  const target =
    plan.out !== undefined && plan.out.buffer instanceof SharedArrayBuffer
      ? plan.out
      : allocateRows(n, job.source, true);
  const share = Math.ceil(n / threads);
  const workers = idleWorkers(threads - 1);
  const running = workers.map((entry, i) => {
    const start = (i + 1) * share;
    const end = Math.min(n, start + share);
    return runOn(entry, { job, columns, out: target, start, end }, job.source);
  });
  let failure: unknown;
  try {
    runHere(
      columns.map((c) => (typeof c === "number" ? c : c.subarray(0, share))),
      target.subarray(0, Math.min(n, share)),
    );
  } catch (error) {
    failure = error;
  }
  const settled = await Promise.allSettled(running);
  if (failure !== undefined) throw failure;
  for (const result of settled) if (result.status === "rejected") throw result.reason;
  if (plan.out !== undefined && plan.out !== target) {
    plan.out.set(target);
    return plan.out;
  }
  return target;
}

/** Ends every pooled worker; the pool starts again on the next parallel batch. */
export async function closePool(): Promise<void> {
  const ending = pool.splice(0, pool.length);
  await Promise.all(ending.map((entry) => entry.worker.terminate()));
}

/** Workers in the pool now (for tests). */
export function poolSize(): number {
  return pool.length;
}
