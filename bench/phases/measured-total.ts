/**
 * Phase 4, measured: the total cost of a new expression, timed end to end.
 * One repetition is a fresh compile of an expression the engine has not
 * cached, then n calls of its `fn` with the workload's changing inputs, on
 * one clock. Unlike the model (compile + n × steady-state ns/eval), this
 * sees what the model cannot: V8 running new code cold before it optimises
 * it, and a tiered engine's whole path (calls on its first tier, the
 * compile of the next, calls there).
 *
 * Each repetition gets a calling loop of its own, built with `new Function`
 * from unique source text before the clock starts and run once with n = 0
 * so its own bytecode is compiled off the clock: the call site sees one
 * callee, as a user's code calling one formula would, and is cold as that
 * code is on a new formula. Repetitions are interleaved (expressions, n and
 * a rotating engine order within each round) so a noisy moment on a shared
 * machine spreads over every engine; each figure is the median. The
 * engine order is shuffled for every (round, expression, n): compiling for
 * wasm leaves V8 work running on background threads that slows whatever
 * runs next (about 2× on a following 6 µs treewalk compile here), so a
 * fixed order would always charge it to the same engine.
 *
 * Beyond the largest n timed, a total is extrapolated: the measured total
 * there plus the remaining calls at the evaluate phase's ns/eval.
 */

import type { Engine } from "../engines.js";
import type { Progress } from "../progress.js";
import type {
  AutoPoint,
  AutoVersusSingles,
  EvalCell,
  MeasuredTotal,
  MeasuredTotalCell,
  MeasuredTypical,
} from "../results.js";
import { geomean, median } from "../stats.js";
import type { WorkloadExpr } from "../workload.js";
import { TOTAL_NS } from "./total.js";

/** How hard to measure. */
export interface MeasuredTotalOptions {
  /** The n timed, ascending (the rest of {@link TOTAL_NS} is extrapolated). */
  readonly ns: readonly number[];
  /** Repetitions at each of `ns`. */
  readonly reps: readonly number[];
  /** Once a cell has 3 repetitions, it stops when its repetitions have taken this many ns. */
  readonly budgetNs: number;
  /** Untimed repetitions per (engine, expression) before any timing, at the largest n up to 1000. */
  readonly warmUps: number;
}

/** The full run's settings: n up to 10^5, more repetitions where one is short. */
export const FULL_MEASURED: MeasuredTotalOptions = {
  ns: [1, 10, 100, 1e3, 1e4, 1e5],
  reps: [41, 41, 41, 25, 15, 9],
  budgetNs: 400e6,
  warmUps: 5,
};

/** `--quick`: proves the phase works (n up to 1000, three repetitions). */
export const QUICK_MEASURED: MeasuredTotalOptions = {
  ns: [1, 10, 100, 1e3],
  reps: [3, 3, 3, 3],
  budgetNs: 50e6,
  warmUps: 1,
};

/**
 * The settings for timing `ns` instead of the default n (`--total-ns`):
 * as many repetitions as the full run (or `--quick`) gives an n of that size.
 */
export function measuredAt(ns: readonly number[], quick: boolean): MeasuredTotalOptions {
  const base = quick ? QUICK_MEASURED : FULL_MEASURED;
  const sorted = [...new Set(ns)].sort((a, b) => a - b);
  const repsFor = (n: number) => {
    const k = base.ns.findIndex((m) => m >= n);
    return base.reps[k === -1 ? base.reps.length - 1 : k] as number;
  };
  return { ...base, ns: sorted, reps: sorted.map(repsFor) };
}

/** The columns of a measured total: the n timed, then the larger n of {@link TOTAL_NS}. */
export function measuredColumns(ns: readonly number[]): number[] {
  const last = ns[ns.length - 1] as number;
  return [...ns, ...TOTAL_NS.filter((n) => n > last)];
}

/** Whether the measured total times `engine`: exact exprjit back-ends through `fn` (not native: its C compile). */
export function measuresTotal(engine: Engine): boolean {
  return engine.kind === "exprjit" && engine.exact && engine.timesCompile;
}

/** A calling loop: `n` calls of `t` over the inputs, cycling, returning the sum. */
type CountLoop = (t: unknown, sc: unknown, xs: Float64Array, ys: Float64Array, n: number) => number;

let sink = 0;
let loopCounter = 0;
const idle = () => 0;

/** A calling loop whose source text is unique (the counter sees to it), so V8 shares nothing with another. */
export function makeCountLoop(engineId: string, exprId: string, call: string): CountLoop {
  const tag = `${engineId} ${exprId}`.replaceAll(/[^\w/@ -]/g, "_");
  loopCounter++;
  const body = `"use strict";
// exprjit total loop #${loopCounter}: ${tag}
let s = 0;
const m = xs.length;
for (let i = 0, j = 0; i < n; i++) {
  const x = xs[j];
  const y = ys[j];
  s += ${call};
  if (++j === m) j = 0;
}
return s;`;
  return new Function("t", "sc", "xs", "ys", "n", body) as CountLoop;
}

/** One (engine, expression) pair: its text, its call line, and ns per repetition at each n. */
interface Pair {
  readonly engine: Engine;
  readonly expr: WorkloadExpr;
  readonly text: string;
  readonly call: string;
  readonly ns: number[][];
  readonly spent: number[];
}

/** ns for one repetition: a fresh compile (cache cleared) and `n` calls through a fresh loop. */
function timeOnce(p: Pair, n: number, inputs: { xs: Float64Array; ys: Float64Array }): number {
  const { xs, ys } = inputs;
  const loop = makeCountLoop(p.engine.id, p.expr.id, p.call);
  // n = 0 makes no call: it only compiles the loop, which a user's calling code already is.
  sink += loop(idle, {}, xs, ys, 0);
  if (p.engine.cache?.kind === "memory") p.engine.cache.clear();
  const start = process.hrtime.bigint();
  const built = p.engine.build(p.text, p.expr);
  sink += loop(built.target, built.scope, xs, ys, n);
  const ns = Number(process.hrtime.bigint() - start);
  built.dispose();
  return ns;
}

/**
 * Times every pair `timeable` allows among `engines` (those
 * {@link measuresTotal} accepts), then summarises; `evaluate` gives the
 * ns/eval for extrapolating past the largest n timed.
 */
export function runMeasuredTotal(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  timeable: (engine: Engine, expr: WorkloadExpr) => boolean,
  inputs: { xs: Float64Array; ys: Float64Array },
  evaluate: readonly EvalCell[],
  options: MeasuredTotalOptions,
  progress: Progress,
): MeasuredTotal {
  const measured = engines.filter(measuresTotal);
  const pairs: Pair[] = [];
  for (const expr of workload) {
    for (const engine of measured) {
      if (!timeable(engine, expr)) continue;
      const text = engine.text(expr) as string;
      const probe = engine.build(text, expr);
      const call = probe.call;
      probe.dispose();
      const ns = options.ns.map(() => []);
      pairs.push({ engine, expr, text, call, ns, spent: options.ns.map(() => 0) });
    }
  }
  const warmN = Math.max(1, ...options.ns.filter((n) => n <= 1000));
  pairs.forEach((p, i) => {
    progress.step("total warm-up", `${p.engine.id} ${p.expr.id}`, i, pairs.length);
    for (let k = 0; k < options.warmUps; k++) timeOnce(p, warmN, inputs);
  });
  const rounds = Math.max(...options.reps);
  const planned = pairs.length * options.reps.reduce((a, b) => a + b, 0);
  let done = 0;
  const random = seededRandom(0x5eed);
  for (let round = 0; round < rounds; round++) {
    for (const expr of workload) {
      options.ns.forEach((n, k) => {
        for (const engine of shuffled(measured, random)) {
          const p = pairs.find((q) => q.engine === engine && q.expr === expr);
          if (p === undefined) continue;
          const taken = p.ns[k] as number[];
          const due = round < (options.reps[k] as number);
          const inBudget = taken.length < 3 || (p.spent[k] as number) < options.budgetNs;
          if (!due || !inBudget) continue;
          progress.step(
            `total ${round + 1}/${rounds}`,
            `${engine.id} ${expr.id} n=${n}`,
            done++,
            planned,
          );
          const ns = timeOnce(p, n, inputs);
          taken.push(ns);
          p.spent[k] = (p.spent[k] as number) + ns;
        }
      });
    }
  }
  const columns = measuredColumns(options.ns);
  const cells = pairs.map((p) => cellOf(p, columns, options.ns, evaluate));
  return summariseMeasured(
    columns,
    measured.map((e) => e.id),
    measured.filter((e) => e.backend !== "auto").map((e) => e.id),
    cells,
    options.ns[options.ns.length - 1] as number,
  );
}

/** A pair's µs at every n of `columns`: medians where timed, extrapolated beyond. */
function cellOf(
  p: Pair,
  columns: readonly number[],
  measuredNs: readonly number[],
  evaluate: readonly EvalCell[],
): MeasuredTotalCell {
  const last = measuredNs.length - 1;
  const lastN = measuredNs[last] as number;
  const lastUs = median(p.ns[last] as number[]) / 1000;
  const evalNs = evaluate.find((c) => c.engine === p.engine.id && c.expr === p.expr.id)?.ns;
  const totalUs = columns.map((n) => {
    const k = measuredNs.indexOf(n);
    if (k >= 0) return median(p.ns[k] as number[]) / 1000;
    if (n < lastN || evalNs === undefined) return Number.NaN;
    return lastUs + ((n - lastN) * evalNs) / 1000;
  });
  const reps = columns.map((n) => {
    const k = measuredNs.indexOf(n);
    return k >= 0 ? (p.ns[k] as number[]).length : 0;
  });
  return { engine: p.engine.id, expr: p.expr.id, totalUs, reps };
}

/**
 * The typical totals and `auto`'s standing from per-expression `cells`
 * (their figures at each of `columns`): engines whose id is not in
 * `singles` are the `auto` ones. Only expressions every engine has a cell
 * for are compared.
 */
export function summariseMeasured(
  columns: readonly number[],
  engines: readonly string[],
  singles: readonly string[],
  cells: readonly MeasuredTotalCell[],
  measuredUpTo: number,
): MeasuredTotal {
  const exprs = [...new Set(cells.map((c) => c.expr))].filter((x) =>
    engines.every((e) => cells.some((c) => c.engine === e && c.expr === x)),
  );
  const cellOfPair = (engine: string, expr: string) =>
    cells.find((c) => c.engine === engine && c.expr === expr) as MeasuredTotalCell;
  const typical: MeasuredTypical[] = engines.map((engine) => ({
    engine,
    totalUs: columns.map((_, k) =>
      geomean(exprs.map((x) => cellOfPair(engine, x).totalUs[k] as number)),
    ),
  }));
  const typicalOf = new Map(typical.map((t) => [t.engine, t.totalUs]));
  const autos = engines.filter((e) => !singles.includes(e));
  const auto: AutoVersusSingles[] =
    singles.length === 0 || exprs.length === 0
      ? []
      : autos.map((engine) => ({
          engine,
          points: columns.map((n, k) => {
            const at = (e: string, x: string) => cellOfPair(e, x).totalUs[k] as number;
            const perExpr = exprs.map((x) => {
              const cheapest = cheapestOf(singles, (e) => at(e, x));
              return { expr: x, ratio: at(engine, x) / at(cheapest, x), cheapest };
            });
            const typicalAt = (e: string) => (typicalOf.get(e) as readonly number[])[k] as number;
            const cheapest = cheapestOf(singles, typicalAt);
            const cheapestCounts: Record<string, number> = {};
            for (const p of perExpr)
              cheapestCounts[p.cheapest] = (cheapestCounts[p.cheapest] ?? 0) + 1;
            const point: AutoPoint = {
              n,
              geomeanRatio: geomean(perExpr.map((p) => p.ratio)),
              typicalRatio: typicalAt(engine) / typicalAt(cheapest),
              cheapest,
              cheapestCounts,
              perExpr,
            };
            return point;
          }),
        }));
  return { ns: columns, measuredUpTo, engines, singles, cells, typical, auto };
}

/** The id among `ids` with the smallest `cost` (the first on a tie; NaN never wins). */
function cheapestOf(ids: readonly string[], cost: (id: string) => number): string {
  let best = ids[0] as string;
  for (const id of ids) if (cost(id) < cost(best) || Number.isNaN(cost(best))) best = id;
  return best;
}

/** A small deterministic generator of numbers in [0, 1) (mulberry32), so runs shuffle alike. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `items` in a random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Keeps the measured sums observable. */
export function measuredTotalSink(): number {
  return sink;
}
