/**
 * How numbers are written for people: the shortest text that reads back to
 * the same number (`-2.8`, `0.1`, `1e+21`), `-0` for negative zero, and
 * `NaN`, `Infinity`, `-Infinity`.
 */

/** The shortest round-trip text of `value`, keeping the sign of zero. */
export function formatNumber(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}
