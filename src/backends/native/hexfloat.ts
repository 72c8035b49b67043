/**
 * Exact C spellings of doubles: C99 hexadecimal floating literals (the `%a`
 * form), built from the double's bits, so the compiler reads back exactly
 * the value the front end produced; no decimal round trip, no libc printf.
 * Infinities and NaN have no literal form and use math.h's `HUGE_VAL` and
 * `NAN`; negative values are parenthesised so they can stand anywhere.
 */

const view = new DataView(new ArrayBuffer(8));
/** Captured at load: a program replacing Number.isNaN later must not change the C we write. */
const isNan = Number.isNaN;

/** The 64 bits of `value`, as an unsigned big integer. */
function bitsOf(value: number): bigint {
  view.setFloat64(0, value);
  return view.getBigUint64(0);
}

const MANTISSA_BITS = 52n;
const MANTISSA_MASK = (1n << MANTISSA_BITS) - 1n;
const EXPONENT_MASK = 0x7ffn;
const EXPONENT_BIAS = 1023n;

/**
 * `value` as a C double expression that denotes exactly that double:
 * `0x1.8p+1` for 3, `(-0x0p+0)` for -0, `0x0.0000000000001p-1022` for the
 * smallest subnormal, `HUGE_VAL`, `(-HUGE_VAL)`, `NAN`.
 */
export function cDouble(value: number): string {
  if (isNan(value)) return "NAN";
  const bits = bitsOf(value);
  const negative = bits >> 63n === 1n;
  const magnitude = magnitudeLiteral(bits);
  return negative ? `(-${magnitude})` : magnitude;
}

/** The literal for |value| given the bits of value. */
function magnitudeLiteral(bits: bigint): string {
  const exponent = (bits >> MANTISSA_BITS) & EXPONENT_MASK;
  const mantissa = bits & MANTISSA_MASK;
  if (exponent === EXPONENT_MASK) return "HUGE_VAL";
  if (exponent === 0n && mantissa === 0n) return "0x0p+0";
  // Subnormals have no implicit leading 1 and the fixed exponent -1022.
  const lead = exponent === 0n ? "0" : "1";
  const power = exponent === 0n ? 1n - EXPONENT_BIAS : exponent - EXPONENT_BIAS;
  const digits = mantissa.toString(16).padStart(13, "0").replace(/0+$/, "");
  const fraction = digits === "" ? "" : `.${digits}`;
  const sign = power < 0n ? "-" : "+";
  return `0x${lead}${fraction}p${sign}${power < 0n ? -power : power}`;
}
