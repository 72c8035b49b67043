/**
 * Phase 5, batch throughput (BENCHMARKS.md): ns per row of one formula over
 * columns of n rows, for every exprjit back-end's `evaluateBatch`, the
 * parallel batch with one worker and with all (on shared columns, and on
 * ordinary `Float64Array`s: `-unshared`), and the batch baseline: a
 * hand-written JS loop over the same `Float64Array`s (its own function per
 * expression, built from unique source text, so V8 compiles each loop
 * alone). numexpr runs as a child process on the same inputs when a Python
 * with numexpr is found (phases/numexpr.ts).
 *
 * Before any timing, every engine's batch is checked row by row against
 * its own scalar entry (`Object.is`; the scalar entries are checked against
 * the hand-written baseline by the agreement step), and parallel against
 * sequential: a disagreement is an error, so `--quick` proves the batch
 * paths right, never fast.
 */

import { availableParallelism } from "node:os";
import { PARALLEL_MIN_ROWS } from "../../src/api/batch.js";
import { type Compiled, compile as exprjitCompile } from "../../src/index.js";
import type { Engine } from "../engines.js";
import type { Progress } from "../progress.js";
import type { BatchCell, BatchResult, BatchSummary } from "../results.js";
import { geomean, median } from "../stats.js";
import { collectGarbage, measure, type SampleOptions } from "../timing.js";
import type { WorkloadExpr } from "../workload.js";
import type { NumexprRun } from "./numexpr.js";

/** Options of phase 5. */
export interface BatchOptions extends SampleOptions {
  readonly rounds: number;
  /** Row counts to measure. */
  readonly ns: readonly number[];
  /** The quick pass: one batch per sample, no calibration (it proves the paths run, not their speed). */
  readonly quick?: boolean;
}

/** Row counts: a quick pass, a full run, and `--full` (which adds 10^7). */
export const BATCH_NS = {
  quick: [1_000, 65_536],
  default: [1_000, 100_000, 1_000_000],
  full: [1_000, 100_000, 1_000_000, 10_000_000],
} as const;

/** One measurable batch engine on one expression: runs one batch into `out`, or (parallel) its promise. */
type BatchRunner = {
  readonly engine: string;
  dispose(): void;
} & (
  | { readonly async: false; readonly run: () => void }
  | { readonly async: true; readonly run: () => Promise<unknown> }
);

/** Inputs of `n` rows in [0.5, 2.5), the same for every engine (Mulberry32, as workload.ts). */
export function batchInputs(n: number): { x: Float64Array; y: Float64Array } {
  let a = 0x5eed_2026;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Shared memory: the parallel batch then hands the columns to its workers without a copy.
  const x = new Float64Array(new SharedArrayBuffer(n * 8));
  const y = new Float64Array(new SharedArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) {
    x[i] = 0.5 + 2 * next();
    y[i] = 0.5 + 2 * next();
  }
  return { x, y };
}

let loops = 0;

/** The batch baseline: `for (i) out[i] = <hand-written formula>`, its own function per expression. */
export function baselineLoop(
  expr: WorkloadExpr,
): (x: Float64Array, y: Float64Array, out: Float64Array) => void {
  loops++;
  const body = `"use strict";
// exprjit batch baseline #${loops}: ${expr.id}
const { sin, cos, sqrt, abs, min, max, PI } = Math;
return function batchBaseline(xs, ys, out) {
  for (let i = 0; i < out.length; i++) {
    const x = xs[i];
    const y = ys[i];
    out[i] = ${expr.baselineText};
  }
};`;
  return new Function(body)() as (x: Float64Array, y: Float64Array, out: Float64Array) => void;
}

/** The parallel variants measured: one worker (the calling thread), and one per core. */
export function parallelVariants(): { readonly id: string; readonly workers: number }[] {
  const cores = Math.max(1, availableParallelism());
  return [
    { id: "parallel-1", workers: 1 },
    ...(cores > 1 ? [{ id: `parallel-${cores}`, workers: cores }] : []),
  ];
}

/** Unshared copies of the inputs and an unshared out, made once per input set. */
const unshared = new WeakMap<object, { x: Float64Array; y: Float64Array; out: Float64Array }>();

function unsharedCopy(
  inputs: { x: Float64Array; y: Float64Array },
  n: number,
): { x: Float64Array; y: Float64Array; out: Float64Array } {
  let copy = unshared.get(inputs);
  if (copy === undefined) {
    copy = {
      x: new Float64Array(inputs.x),
      y: new Float64Array(inputs.y),
      out: new Float64Array(n),
    };
    unshared.set(inputs, copy);
  }
  return copy;
}

function runners(
  engines: readonly Engine[],
  expr: WorkloadExpr,
  inputs: { x: Float64Array; y: Float64Array },
  out: Float64Array,
): BatchRunner[] {
  const { x, y } = inputs;
  const baseline = baselineLoop(expr);
  const list: BatchRunner[] = [
    { engine: "baseline", run: () => baseline(x, y, out), async: false, dispose: () => {} },
  ];
  const columns = { x, y };
  for (const engine of engines) {
    if (engine.kind !== "exprjit" || !engine.timesCompile || engine.backend === undefined) continue;
    const compiled = exprjitCompile(expr.source, { backend: engine.backend });
    const length = compiled.variables.length === 0 ? out.length : undefined;
    const options = length === undefined ? { out } : { out, length };
    list.push({
      engine: `${engine.backend}/batch`,
      run: () => void compiled.evaluateBatch(columns, options),
      async: false,
      dispose: () => compiled.dispose(),
    });
    // The reference interpreter is not worth threads: its batch is its scalar loop.
    if (engine.backend === "treewalk") continue;
    for (const variant of parallelVariants()) {
      list.push({
        engine: `${engine.backend}/${variant.id}`,
        run: () =>
          compiled.evaluateBatchParallel(columns, { ...options, workers: variant.workers }),
        async: true,
        dispose: () => {},
      });
    }
    // The same over ordinary Float64Arrays (what most callers pass): the
    // parallel batch must copy them for its workers, or run sequentially.
    const many = parallelVariants().at(-1);
    if (many !== undefined && many.workers > 1) {
      const plain = unsharedCopy(inputs, out.length);
      const plainOptions = length === undefined ? { out: plain.out } : { out: plain.out, length };
      list.push({
        engine: `${engine.backend}/${many.id}-unshared`,
        run: () =>
          compiled.evaluateBatchParallel(
            { x: plain.x, y: plain.y },
            { ...plainOptions, workers: many.workers },
          ),
        async: true,
        dispose: () => {},
      });
    }
  }
  return list;
}

/** Checks every batch against its engine's own scalar entry, and parallel against sequential. */
async function check(
  expr: WorkloadExpr,
  engines: readonly Engine[],
  inputs: { x: Float64Array; y: Float64Array },
): Promise<void> {
  const n = inputs.x.length;
  for (const engine of engines) {
    if (engine.kind !== "exprjit" || !engine.timesCompile || engine.backend === undefined) continue;
    const compiled: Compiled = exprjitCompile(expr.source, { backend: engine.backend });
    try {
      const length = compiled.variables.length === 0 ? { length: n } : {};
      const batch = compiled.evaluateBatch(inputs, length);
      const parallel = await compiled.evaluateBatchParallel(inputs, length);
      for (let i = 0; i < n; i++) {
        const values = compiled.variables.map((v) => (v === "x" ? inputs.x[i] : inputs.y[i]));
        const scalar = compiled.fn(...(values as number[]));
        if (!Object.is(batch[i], scalar) || !Object.is(parallel[i], scalar)) {
          throw new Error(
            `${engine.backend} ${expr.id}: row ${i}: batch ${batch[i]}, parallel ${parallel[i]}, scalar ${scalar}`,
          );
        }
      }
    } finally {
      compiled.dispose();
    }
  }
}

/** Times an asynchronous batch: calibrated repetitions per sample, median ns per row. */
async function measureAsync(
  run: () => Promise<unknown>,
  n: number,
  options: SampleOptions & { readonly quick?: boolean },
): Promise<number> {
  if (options.gc !== false) collectGarbage();
  const once = async (reps: number) => {
    const start = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) await run();
    return Number(process.hrtime.bigint() - start);
  };
  let reps = 1;
  for (
    let ns = await once(1);
    options.quick !== true && ns < options.targetNs / 2 && reps < 1e6;
    ns = await once(reps)
  ) {
    reps *= 2;
  }
  await once(reps);
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < options.samples && (samples.length < 3 || spent < options.budgetNs)) {
    const ns = await once(reps);
    spent += ns;
    samples.push(ns / (reps * n));
  }
  return median(samples);
}

/** Runs phase 5 on the exprjit engines among `engines`, and numexpr when `numexpr` is given. */
export async function runBatch(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  options: BatchOptions,
  progress: Progress,
  numexpr: NumexprRun | undefined,
): Promise<BatchResult> {
  const cells: BatchCell[] = [];
  const notes: string[] = [];
  const total = options.ns.length * workload.length;
  let done = 0;
  for (const n of options.ns) {
    const inputs = batchInputs(n);
    const out = new Float64Array(new SharedArrayBuffer(n * 8));
    for (const expr of workload) {
      progress.step(`batch n=${n}`, expr.id, done++, total);
      if (n === checkedN(options.ns)) await check(expr, engines, inputs);
      const list = runners(engines, expr, inputs, out);
      try {
        const ns = new Map<string, number[]>();
        const ratios = new Map<string, number[]>();
        for (let round = 0; round < options.rounds; round++) {
          const roundNs = new Map<string, number>();
          // Rotated each round, so no engine always runs right after the same neighbour.
          const order = list.map((_, i) => list[(i + round) % list.length] as BatchRunner);
          for (const runner of order) {
            const perRow = runner.async
              ? await measureAsync(runner.run, n, options)
              : measure(repeat(runner.run), n, options, options.quick ? 1 : undefined).nsPerUnit;
            roundNs.set(runner.engine, perRow);
            push(ns, runner.engine, perRow);
          }
          const base = roundNs.get("baseline") as number;
          for (const [engine, perRow] of roundNs) push(ratios, engine, perRow / base);
        }
        for (const [engine, values] of ns) {
          cells.push({
            engine,
            expr: expr.id,
            n,
            nsPerRow: median(values),
            ratio: median(ratios.get(engine) ?? []),
          });
        }
      } finally {
        for (const runner of list) runner.dispose();
      }
    }
  }
  const peers =
    numexpr === undefined ? [] : await numexprCells(numexpr, workload, options, cells, notes);
  cells.push(...peers);
  return { ns: [...options.ns], cells, summary: summarise(cells), notes };
}

/**
 * The row count at which batches are checked: the smallest that the
 * parallel batch splits across threads, so the split is checked too.
 */
function checkedN(ns: readonly number[]): number {
  return ns.find((n) => n >= PARALLEL_MIN_ROWS) ?? Math.max(...ns);
}

/** `reps` whole batches, for the sampler. */
function repeat(run: () => void): (reps: number) => void {
  return (reps) => {
    for (let r = 0; r < reps; r++) run();
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** numexpr's figures, as ratios to the baseline measured here at the same n. */
async function numexprCells(
  numexpr: NumexprRun,
  workload: readonly WorkloadExpr[],
  options: BatchOptions,
  cells: readonly BatchCell[],
  notes: string[],
): Promise<BatchCell[]> {
  const out: BatchCell[] = [];
  for (const n of options.ns) {
    for (const threads of numexpr.threads) {
      const result = await numexpr.run(workload, batchInputs(n), threads, options.targetNs);
      for (const note of result.notes) if (!notes.includes(note)) notes.push(note);
      for (const [expr, nsPerRow] of Object.entries(result.nsPerRow)) {
        const base = cells.find((c) => c.engine === "baseline" && c.expr === expr && c.n === n);
        out.push({
          engine: threads === 1 ? "numexpr-1" : `numexpr-${threads}`,
          expr,
          n,
          nsPerRow,
          ratio: base === undefined ? Number.NaN : nsPerRow / base.nsPerRow,
        });
      }
    }
  }
  return out;
}

/** Per engine and n: geometric means over the expressions it ran. */
export function summarise(cells: readonly BatchCell[]): BatchSummary[] {
  const keys = new Map<string, BatchCell[]>();
  for (const cell of cells) {
    const key = `${cell.engine}\n${cell.n}`;
    const list = keys.get(key);
    if (list === undefined) keys.set(key, [cell]);
    else list.push(cell);
  }
  return [...keys.values()].map((list) => {
    const first = list[0] as BatchCell;
    return {
      engine: first.engine,
      n: first.n,
      nsPerRow: geomean(list.map((c) => c.nsPerRow)),
      ratio: geomean(list.map((c) => c.ratio)),
      exprs: list.length,
    };
  });
}
