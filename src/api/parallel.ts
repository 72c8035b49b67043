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
import { withoutRefused, workerExecArgv } from "./worker-argv.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { stringify } = JSON;
const { ceil, floor, max: maxOf, min: minOf } = Math;

/** Fewest rows worth one more thread. */
const ROWS_PER_THREAD = 1 << 15;

/** How many threads (the caller's included) a batch of `n` rows gets. */
export function threadsFor(n: number, requested: number | undefined): number {
  const cores = maxOf(1, availableParallelism());
  const wanted = minOf(requested ?? cores, cores);
  return maxOf(1, minOf(wanted, floor(n / ROWS_PER_THREAD)));
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
  const start = (execArgv: readonly string[] | undefined) => {
    const options = execArgv === undefined ? {} : { execArgv: [...execArgv] };
    return fromSources
      ? new Worker(
          `import(${stringify(import.meta.resolve("tsx/esm/api"))})` +
            `.then((tsx) => { tsx.register(); return import(${stringify(script.href)}); })`,
          { eval: true, ...options },
        )
      : new Worker(script, options);
  };
  const worker = startWithArgv(start);
  worker.unref();
  const entry: PoolWorker = { worker, busy: false };
  pool.push(entry);
  return entry;
}

/**
 * The options workers start with, once worked out: undefined (inherit, as
 * Node does by default) when nothing need be left out.
 */
let workerArgv: readonly string[] | undefined | null = null;

/**
 * Starts a worker with this process's options less those about the main
 * program's text (`--input-type`, `-e`, `-p`: worker-argv.ts), so it
 * starts whichever way the process was. An explicit list is checked by
 * Node, which refuses V8 and process-wide options (`--expose-gc`) it
 * would let a worker inherit: those are left out on a second try.
 */
function startWithArgv(start: (execArgv: readonly string[] | undefined) => Worker): Worker {
  if (workerArgv === null) {
    const inherited = process.execArgv;
    const filtered = workerExecArgv(inherited);
    workerArgv = filtered.length === inherited.length ? undefined : filtered;
  }
  try {
    return start(workerArgv);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const fewer =
      code === "ERR_WORKER_INVALID_EXEC_ARGV" && workerArgv !== undefined
        ? withoutRefused(workerArgv, (error as Error).message)
        : undefined;
    if (fewer === undefined) throw error;
    workerArgv = fewer;
    return start(workerArgv);
  }
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

/** A column as the caller gave it (after planBatch): a Float64Array or one number. */
type Column = Float64Array | number;

/** Whether the workers can read `column` where it is (one number, or shared memory). */
function isShared(column: Column): boolean {
  return typeof column === "number" || column.buffer instanceof SharedArrayBuffer;
}

/** Rows the calling thread times before deciding whether the other threads pay. */
const PROBE_ROWS = 1 << 14;

/**
 * Rows of one column copied and timed to estimate what the copies would
 * cost: enough to leave the caches, since large copies run at memory speed.
 */
const COPY_PROBE_ROWS = 1 << 16;

/**
 * How much more a whole copy costs than its timed start predicts: large
 * copies into fresh shared memory fault its pages in and compete with the
 * other threads for memory (measured 1 ns a row timed, 2–16 ns a row whole
 * on a loaded 2-core machine). Erring this way only runs sequentially a
 * batch that threads would have sped up a little.
 */
const COPY_MARGIN = 4;

/**
 * What handing rows to the workers costs besides copying, in ns: posting
 * the tasks, waking the threads and hearing back (measured at 50–200 µs
 * on a loaded 2-core machine).
 */
const HANDOFF_NS = 200_000;

/**
 * Shared buffers kept between batches: a fresh SharedArrayBuffer's pages
 * are faulted in on first write, which costs more than the copy itself, so
 * the copies of unshared columns go into buffers already touched. At most
 * {@link SCRATCH_KEEP_BYTES} stay idle; {@link closePool} frees them.
 */
const scratch: Float64Array[] = [];
const SCRATCH_KEEP_BYTES = 64 * 1024 * 1024;

/** A shared buffer of at least `rows` rows, from the idle ones if one is large enough. */
function takeScratch(rows: number, source: string): Float64Array {
  let best = -1;
  for (let i = 0; i < scratch.length; i++) {
    const length = (scratch[i] as Float64Array).length;
    if (length >= rows && (best < 0 || length < (scratch[best] as Float64Array).length)) best = i;
  }
  if (best < 0) return allocateRows(rows, source, true);
  const [buffer] = scratch.splice(best, 1);
  return buffer as Float64Array;
}

/** Gives `buffers` back, keeping what fits in {@link SCRATCH_KEEP_BYTES}, largest first. */
function releaseScratch(buffers: readonly Float64Array[]): void {
  const all = [...scratch, ...buffers].sort((a, b) => b.length - a.length);
  scratch.length = 0;
  let kept = 0;
  for (const buffer of all) {
    if (kept + buffer.byteLength > SCRATCH_KEEP_BYTES) continue;
    scratch.push(buffer);
    kept += buffer.byteLength;
  }
}

/**
 * Splits `plan` into contiguous shares: the calling thread runs the first
 * with `runHere` straight from the caller's columns into the result, pooled
 * workers the others from shared memory. Columns (and an `out`) that are
 * not shared must be copied for the workers' rows, which for a cheap
 * expression costs more than the other threads save; so the calling
 * thread first times its first rows and a small copy, and runs the whole
 * batch itself unless the workers' rows are worth their copies and the
 * handoff. Either way the rows are the same, row for row.
 */
export async function runParallel(
  plan: BatchPlan,
  requested: number | undefined,
  job: WorkerJob,
  runHere: (columns: readonly Column[], out: Float64Array) => void,
): Promise<Float64Array> {
  const { n } = plan;
  const threads = threadsFor(n, requested);
  const given = plan.columns.map((column) => asColumn(column, n, job.source));
  const result = plan.out ?? allocateRows(n, job.source);
  const share = ceil(n / threads);
  const rows = (columns: readonly Column[], from: number, to: number) =>
    columns.map((c) => (typeof c === "number" ? c : c.subarray(from, to)));

  // The calling thread's first rows, timed: what a row costs this expression here.
  const probe = minOf(share, PROBE_ROWS);
  const started = performance.now();
  runHere(rows(given, 0, probe), result.subarray(0, probe));
  const perRow = ((performance.now() - started) * 1e6) / probe;

  const workerRows = n - share;
  if (perRow * workerRows <= HANDOFF_NS) {
    // Not worth even the handoff, copies aside.
    runHere(rows(given, probe, n), result.subarray(probe, n));
    return result;
  }
  const outShared = result.buffer instanceof SharedArrayBuffer;
  const toCopy = given.filter((c) => !isShared(c)).length + (outShared ? 0 : 1);
  let copyPerRow = 0;
  const held: Float64Array[] = [];
  const columns = given.slice();
  if (toCopy > 0) {
    // The first copy, timed on its first rows: what a row of one copy costs here.
    const slot = given.findIndex((c) => !isShared(c));
    const first = slot >= 0 ? (given[slot] as Float64Array) : result;
    const copy = takeScratch(workerRows, job.source);
    held.push(copy);
    const sample = minOf(workerRows, COPY_PROBE_ROWS);
    const copyStart = performance.now();
    if (slot >= 0) copy.set(first.subarray(share, share + sample));
    else copy.subarray(0, sample).fill(0);
    copyPerRow = ((performance.now() - copyStart) * 1e6) / sample;
    if (slot >= 0) columns[slot] = copy;
  }
  const saved = perRow * workerRows;
  const cost = toCopy * COPY_MARGIN * copyPerRow * workerRows + HANDOFF_NS;
  if (saved <= cost) {
    releaseScratch(held);
    runHere(rows(given, probe, n), result.subarray(probe, n));
    return result;
  }
  // Worth it: the workers' rows of every unshared column into shared memory.
  for (let slot = 0; slot < given.length; slot++) {
    const column = given[slot] as Column;
    if (isShared(column)) continue;
    let copy = columns[slot] as Float64Array;
    if (copy === column) {
      copy = takeScratch(workerRows, job.source);
      held.push(copy);
      columns[slot] = copy;
    }
    copy.set((column as Float64Array).subarray(share, n));
  }
  const target = outShared ? result.subarray(share, n) : takeScratch(workerRows, job.source);
  if (!outShared) held.push(target);
  const workers = idleWorkers(threads - 1);
  const piece = ceil(workerRows / workers.length);
  // Worker rows are counted from `share`: the copies hold only those.
  const shifted = columns.map((c, slot) =>
    typeof c === "number" || c !== given[slot] ? c : c.subarray(share, n),
  );
  const running = workers.map((entry, i) => {
    const start = i * piece;
    const end = minOf(workerRows, start + piece);
    return runOn(entry, { job, columns: shifted, out: target, start, end }, job.source);
  });
  let failure: unknown;
  try {
    runHere(rows(given, probe, share), result.subarray(probe, share));
  } catch (error) {
    failure = error;
  }
  const settled = await Promise.allSettled(running);
  try {
    if (failure !== undefined) throw failure;
    for (const outcome of settled) if (outcome.status === "rejected") throw outcome.reason;
    if (!outShared) result.set(target.subarray(0, workerRows), share);
  } finally {
    releaseScratch(held);
  }
  return result;
}

/** A plan's column as a Float64Array or a number (planBatch has already copied plain arrays). */
function asColumn(column: BatchPlan["columns"][number], n: number, source: string): Column {
  if (typeof column === "number" || column instanceof Float64Array) return column;
  const copy = allocateRows(n, source);
  for (let i = 0; i < n; i++) copy[i] = column[i] as number;
  return copy;
}

/** Ends every pooled worker; the pool starts again on the next parallel batch. */
export async function closePool(): Promise<void> {
  scratch.length = 0;
  const ending = pool.splice(0, pool.length);
  await Promise.all(ending.map((entry) => entry.worker.terminate()));
}

/** Workers in the pool now (for tests). */
export function poolSize(): number {
  return pool.length;
}
