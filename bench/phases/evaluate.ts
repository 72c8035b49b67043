/**
 * Phase 3, evaluate: ns per evaluation over the fixed inputs, for every
 * (engine, expression) pair that agreed with the baseline.
 *
 * Each pair gets its own measuring loop, built with `new Function` from
 * source text unique to the pair, so its call site sees one callee only
 * and V8 can inline it as in a hand-written loop (a shared loop would
 * measure the megamorphic call, not the engine). Every pair is warmed up
 * before any timing, so each engine's shared code has seen every shape;
 * then rounds measure every pair, rotating the engine order, and each
 * figure is the median over rounds of ns and of the ratio to the baseline
 * measured in the same round.
 */

import type { Built, Engine } from "../engines.js";
import type { Progress } from "../progress.js";
import type { EvalCell } from "../results.js";
import { median } from "../stats.js";
import { calibrate, measure, type SampleOptions } from "../timing.js";
import type { WorkloadExpr } from "../workload.js";

/** The measuring loop of one pair: `reps` passes over all inputs, returning the sum. */
type Loop = (t: unknown, sc: unknown, xs: Float64Array, ys: Float64Array, reps: number) => number;

interface Pair {
  readonly engine: Engine;
  readonly expr: WorkloadExpr;
  readonly built: Built;
  readonly loop: Loop;
  reps: number;
  readonly ns: number[];
  readonly ratios: number[];
}

/** Options of phase 3. */
export interface EvaluateOptions extends SampleOptions {
  readonly rounds: number;
}

let sink = 0;
let loopCounter = 0;

/** Runs phase 3; the baseline must be among `engines`. */
export function runEvaluate(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  timeable: (engine: Engine, expr: WorkloadExpr) => boolean,
  inputs: { xs: Float64Array; ys: Float64Array },
  options: EvaluateOptions,
  progress: Progress,
): EvalCell[] {
  const pairs = buildPairs(engines, workload, timeable);
  try {
    warmUp(pairs, inputs, options, progress);
    for (let round = 0; round < options.rounds; round++) {
      measureRound(pairs, engines, workload, inputs, options, round, progress);
    }
    return pairs.map((p) => ({
      engine: p.engine.id,
      expr: p.expr.id,
      ns: median(p.ns),
      ratio: median(p.ratios),
      rounds: p.ns,
    }));
  } finally {
    for (const p of pairs) p.built.dispose();
  }
}

function buildPairs(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  timeable: (engine: Engine, expr: WorkloadExpr) => boolean,
): Pair[] {
  const pairs: Pair[] = [];
  for (const expr of workload) {
    for (const engine of engines) {
      if (!timeable(engine, expr)) continue;
      const built = engine.build(engine.text(expr) as string, expr);
      const loop = makeLoop(engine.id, expr.id, built.call);
      pairs.push({ engine, expr, built, loop, reps: 1, ns: [], ratios: [] });
    }
  }
  return pairs;
}

/** A loop function whose source text is unique to this pair (the counter sees to it). */
export function makeLoop(engineId: string, exprId: string, call: string): Loop {
  const tag = `${engineId} ${exprId}`.replaceAll(/[^\w/ -]/g, "_");
  loopCounter++;
  const body = `"use strict";
// exprjit bench loop #${loopCounter}: ${tag}
let s = 0;
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    s += ${call};
  }
}
return s;`;
  return new Function("t", "sc", "xs", "ys", "reps", body) as Loop;
}

/** Runs every pair (all engines on all shapes) before timing anything, then calibrates each. */
function warmUp(
  pairs: readonly Pair[],
  inputs: { xs: Float64Array; ys: Float64Array },
  options: EvaluateOptions,
  progress: Progress,
): void {
  const { xs, ys } = inputs;
  pairs.forEach((p, i) => {
    progress.step("warm-up", `${p.engine.id} ${p.expr.id}`, i, pairs.length);
    sink += p.loop(p.built.target, p.built.scope, xs, ys, 2);
  });
  pairs.forEach((p, i) => {
    progress.step("calibrate", `${p.engine.id} ${p.expr.id}`, i, pairs.length);
    p.reps = calibrate(
      (reps) => void (sink += p.loop(p.built.target, p.built.scope, xs, ys, reps)),
      options.targetNs,
    );
  });
}

/** One round: every expression, engines in an order rotated by `round`, baseline ratios from this round. */
function measureRound(
  pairs: readonly Pair[],
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  inputs: { xs: Float64Array; ys: Float64Array },
  options: EvaluateOptions,
  round: number,
  progress: Progress,
): void {
  const { xs, ys } = inputs;
  const order = rotate(engines, round);
  let done = 0;
  for (const expr of workload) {
    const roundNs = new Map<string, number>();
    for (const engine of order) {
      const p = pairs.find((q) => q.engine === engine && q.expr === expr);
      if (p === undefined) continue;
      progress.step(
        `round ${round + 1}/${options.rounds}`,
        `${engine.id} ${expr.id}`,
        done++,
        pairs.length,
      );
      const work = (reps: number) =>
        void (sink += p.loop(p.built.target, p.built.scope, xs, ys, reps));
      const ns = measure(work, xs.length, options, p.reps).nsPerUnit;
      p.ns.push(ns);
      roundNs.set(engine.id, ns);
    }
    const base = roundNs.get("baseline");
    for (const p of pairs) {
      const ns = roundNs.get(p.engine.id);
      if (p.expr === expr && ns !== undefined && base !== undefined) p.ratios.push(ns / base);
    }
  }
}

/** `items` rotated left by `by` places. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Keeps the measured sums observable. */
export function evaluateSink(): number {
  return sink;
}
