/**
 * How numbers are written for people: the shortest text that reads back to
 * the same number (`-2.8`, `0.1`, `1e+21`), `-0` for negative zero, and
 * `NaN`, `Infinity`, `-Infinity`.
 */

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { is: sameValue } = Object;

/** The shortest round-trip text of `value`, keeping the sign of zero. */
export function formatNumber(value: number): string {
  // A JavaScript caller may pass anything: `String("abc")` would pass for a number's text.
  if (typeof value !== "number") {
    throw new TypeError(
      `formatNumber takes a number, got ${value === null ? "null" : typeof value}`,
    );
  }
  return sameValue(value, -0) ? "-0" : String(value);
}
