/**
 * The few statistics the suite reports: medians (robust against the odd
 * slow sample on a shared machine) and geometric means (the right average
 * of ratios across a workload).
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
