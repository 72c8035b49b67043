/**
 * Phase 4, total cost: compile + n × evaluate for n = 1 … 10^7, and the
 * break-even n of each pair of engines. Computed from phases 2 and 3 (no
 * extra timing): the "typical expression" uses each engine's geometric
 * means over the workload; each break-even is also given as the median of
 * the per-expression break-evens.
 */

import type { BreakEven, CompileCell, EngineSummary, EvalCell, TotalResult } from "../results.js";
import { breakEven, type Cost, geomean, median, totalUs } from "../stats.js";

/** The n at which totals are tabulated: 1, 10, …, 10^7. */
export const TOTAL_NS: readonly number[] = Array.from({ length: 8 }, (_, k) => 10 ** k);

/** Per-engine geometric means over the workload (eval through the engine's own entry). */
export function summarise(
  engineIds: readonly string[],
  compile: readonly CompileCell[],
  evaluate: readonly EvalCell[],
): EngineSummary[] {
  return engineIds.map((engine) => {
    const evals = evaluate.filter((c) => c.engine === engine);
    const compiles = compile.filter((c) => c.engine === engine);
    const summary: { engine: string; evalNs?: number; evalRatio?: number; compileUs?: number } = {
      engine,
    };
    if (evals.length > 0) {
      summary.evalNs = geomean(evals.map((c) => c.ns));
      summary.evalRatio = geomean(evals.map((c) => c.ratio));
    }
    if (compiles.length > 0) summary.compileUs = geomean(compiles.map((c) => c.us));
    return summary;
  });
}

/**
 * Phase 4 for `engineIds` (engines with a compile figure, or `zeroCompile`
 * ones such as the hand-written baseline, which has nothing to compile).
 */
export function runTotal(
  engineIds: readonly string[],
  zeroCompile: ReadonlySet<string>,
  compile: readonly CompileCell[],
  evaluate: readonly EvalCell[],
): TotalResult {
  const perExpr = new Map<string, Map<string, Cost>>();
  for (const engine of engineIds)
    perExpr.set(engine, costsOf(engine, zeroCompile.has(engine), compile, evaluate));
  const typical = new Map<string, Cost>();
  for (const [engine, costs] of perExpr) {
    if (costs.size === 0) continue;
    const all = [...costs.values()];
    typical.set(engine, {
      compileNs: zeroCompile.has(engine) ? 0 : geomean(all.map((c) => c.compileNs)),
      evalNs: geomean(all.map((c) => c.evalNs)),
    });
  }
  const curves = [...typical].map(([engine, cost]) => ({
    engine,
    compileUs: cost.compileNs / 1000,
    evalNs: cost.evalNs,
    totalUs: TOTAL_NS.map((n) => totalUs(cost, n)),
  }));
  const breakEvens: BreakEven[] = [];
  const ids = [...typical.keys()].filter((id) => !zeroCompile.has(id));
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      breakEvens.push(pairBreakEven(ids[i] as string, ids[j] as string, typical, perExpr));
    }
  }
  return { ns: TOTAL_NS, curves, breakEven: breakEvens };
}

function costsOf(
  engine: string,
  zero: boolean,
  compile: readonly CompileCell[],
  evaluate: readonly EvalCell[],
): Map<string, Cost> {
  const costs = new Map<string, Cost>();
  for (const cell of evaluate) {
    if (cell.engine !== engine) continue;
    const c = compile.find((k) => k.engine === engine && k.expr === cell.expr);
    if (c === undefined && !zero) continue;
    costs.set(cell.expr, { compileNs: zero ? 0 : (c?.us ?? 0) * 1000, evalNs: cell.ns });
  }
  return costs;
}

function pairBreakEven(
  a: string,
  b: string,
  typical: ReadonlyMap<string, Cost>,
  perExpr: ReadonlyMap<string, ReadonlyMap<string, Cost>>,
): BreakEven {
  const t = breakEven(typical.get(a) as Cost, typical.get(b) as Cost);
  const [cheaper, faster] = t.cheaper === 0 ? [a, b] : [b, a];
  const ns: number[] = [];
  let compared = 0;
  const ca = perExpr.get(cheaper) as ReadonlyMap<string, Cost>;
  const cb = perExpr.get(faster) as ReadonlyMap<string, Cost>;
  for (const [expr, costA] of ca) {
    const costB = cb.get(expr);
    if (costB === undefined) continue;
    compared++;
    const e = breakEven(costA, costB);
    // Where the roles swap or nobody overtakes, that expression has no break-even in this direction.
    if (e.cheaper === 0 && e.n !== undefined) ns.push(e.n);
  }
  const result: {
    cheaper: string;
    faster: string;
    n?: number;
    medianN?: number;
    withBreakEven: number;
    compared: number;
  } = { cheaper, faster, withBreakEven: ns.length, compared };
  if (t.n !== undefined) result.n = t.n;
  if (ns.length > 0) result.medianN = median(ns);
  return result;
}
