/**
 * The exact C spelling of doubles: fixed strings for the cases that matter
 * (zeros, subnormals, extremes, non-finite), and a round trip through a
 * reader of the `%a` form for many doubles.
 */

import { describe, expect, it } from "vitest";
import { cDouble } from "../../../src/backends/native/hexfloat.js";

/** Reads a literal written by cDouble back into a double (exact: powers of two scale exactly). */
function readC(text: string): number {
  if (text === "NAN") return Number.NaN;
  if (text === "HUGE_VAL") return Number.POSITIVE_INFINITY;
  if (text === "(-HUGE_VAL)") return Number.NEGATIVE_INFINITY;
  const negative = text.startsWith("(-");
  const body = negative ? text.slice(2, -1) : text;
  const match = /^0x([01])(?:\.([0-9a-f]+))?p([+-]\d+)$/.exec(body);
  if (match === null) throw new Error(`not a literal: ${text}`);
  const [, lead, digits = "", power] = match;
  const mantissa = BigInt(`0x${lead}${digits}`);
  // mantissa / 16^digits * 2^power, done in two exact steps to avoid overflow.
  const shift = Number(power) - 4 * digits.length;
  const magnitude = Number(mantissa) * 2 ** Math.max(shift, -1000) * 2 ** Math.min(0, shift + 1000);
  return negative ? -magnitude : magnitude;
}

describe("cDouble", () => {
  it.each([
    [0, "0x0p+0"],
    [-0, "(-0x0p+0)"],
    [1, "0x1p+0"],
    [3, "0x1.8p+1"],
    [0.5, "0x1p-1"],
    [-2.8, "(-0x1.6666666666666p+1)"],
    [0.1, "0x1.999999999999ap-4"],
    [5e-324, "0x0.0000000000001p-1022"],
    [2.225073858507201e-308, "0x0.fffffffffffffp-1022"],
    [2.2250738585072014e-308, "0x1p-1022"],
    [Number.MAX_VALUE, "0x1.fffffffffffffp+1023"],
    [2 ** 53 + 2, "0x1.0000000000001p+53"],
    [Number.POSITIVE_INFINITY, "HUGE_VAL"],
    [Number.NEGATIVE_INFINITY, "(-HUGE_VAL)"],
    [Number.NaN, "NAN"],
  ])("writes %s as %s", (value, text) => {
    expect(cDouble(value)).toBe(text);
  });

  it("round-trips doubles of every exponent, subnormals included", () => {
    const view = new DataView(new ArrayBuffer(8));
    let state = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < 5000; i++) {
      state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      view.setBigUint64(0, state);
      const value = view.getFloat64(0);
      if (Number.isNaN(value)) continue;
      expect(Object.is(readC(cDouble(value)), value)).toBe(true);
    }
  });
});
