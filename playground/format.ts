/**
 * Numbers as the playground shows them: axis ticks at round values (1, 2
 * or 5 times a power of ten) labelled with just the digits their spacing
 * needs, and durations with three significant digits. Pure functions, so
 * the tests check them without a browser.
 */

/** Round tick values covering [low, high], about `count` of them, and their labels. */
export function ticks(low: number, high: number, count = 5): { value: number; label: string }[] {
  if (!(Number.isFinite(low) && Number.isFinite(high)) || !(high > low)) return [];
  const rough = (high - low) / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const f = rough / power; // in [1, 10): round it to 1, 2, 5 or 10
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
  // Digits after the point the step needs (0.25 is never a step, so one digit per decade).
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const out: { value: number; label: string }[] = [];
  for (let k = Math.ceil(low / step); k * step <= high + step * 1e-9; k++) {
    const value = k * step;
    out.push({ value, label: tickLabel(value, step, decimals) });
  }
  return out;
}

function tickLabel(value: number, step: number, decimals: number): string {
  if (Math.abs(value) < step / 2) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(Math.min(decimals, 3));
  return value.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** A duration in µs with three significant digits: "4.07 µs", "23.4 µs", "137 µs", "1,820 µs". */
export function micros(us: number): string {
  if (!Number.isFinite(us) || us < 0) return "—";
  // Decimals from the value once rounded, so 99.97 reads "100", not "100.0".
  const rounded = us >= 100 ? Math.round(us) : Number(us.toPrecision(3));
  const digits = rounded >= 100 ? 0 : rounded >= 10 ? 1 : 2;
  const text = rounded.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${text} µs`;
}

/** Nanoseconds per call with three significant digits: "3.12 ns", "44.6 ns", "1,172 ns". */
export function nanos(ns: number): string {
  return micros(ns).replace(" µs", " ns");
}
