/**
 * The few statistics the suite reports: medians (robust against the odd
 * slow sample on a shared machine), geometric means (the right average of
 * ratios across a workload), and the cost model of compile + n evaluations
 * with its break-even, which the total phase, the report and the charts
 * all read.
 */

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The geometric mean of positive `values`; NaN when empty or when one is not positive. */
export function geomean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  if (values.length === 1) return (values[0] as number) > 0 ? (values[0] as number) : Number.NaN;
  let logSum = 0;
  for (const v of values) {
    if (!(v > 0)) return Number.NaN;
    logSum += Math.log(v);
  }
  return Math.exp(logSum / values.length);
}

/** One engine's cost model for one expression (or the typical one): ns to compile, ns per evaluation. */
export interface Cost {
  readonly compileNs: number;
  readonly evalNs: number;
}

/**
 * The break-even of `a` and `b`: undefined when the one cheaper to compile
 * is also no slower per evaluation (it is never overtaken).
 */
export function breakEven(a: Cost, b: Cost): { cheaper: 0 | 1; n?: number } {
  const aCheaper = a.compileNs <= b.compileNs;
  const [lo, hi] = aCheaper ? [a, b] : [b, a];
  const cheaper = aCheaper ? 0 : 1;
  if (lo.evalNs <= hi.evalNs) return { cheaper };
  const n = (hi.compileNs - lo.compileNs) / (lo.evalNs - hi.evalNs);
  // The first whole n past the crossing; the slack keeps rounding noise (500.0000001) from adding one.
  return { cheaper, n: Math.max(1, Math.ceil(n * (1 - 1e-12))) };
}

/** Total µs for `n` evaluations. */
export function totalUs(cost: Cost, n: number): number {
  return (cost.compileNs + n * cost.evalNs) / 1000;
}
