/**
 * The one allowance, measured and pinned down. Per function: how far the
 * C library's result may be from V8's, on inputs across many magnitudes.
 * Per program, the shared differential harness holds native to the
 * reference interpreter running native's own libm functions
 * (test/support/libm.ts): everything outside libm is exact.
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { native } from "../../../src/backends/native/index.js";
import { type Builtin, lookupFunction } from "../../../src/semantics/builtins.js";
import { ulpDistance } from "../../support/exactness.js";
import { LIBM, libmOf } from "../../support/libm.js";

const availability = native.availability();
if (!availability.available) console.warn(`skipping native libm tests: ${availability.reason}`);

/**
 * Greatest distance from V8 in ulp, per function. V8's own log10 and tanh
 * are up to 2 ulp from the correctly rounded value, which native gives.
 */
const BOUND: Readonly<Record<string, number>> = { log10: 2, tanh: 2 };

/** Deterministic inputs: every sign, magnitudes from 1e-300 to 1e300, and the usual specials. */
function sampleInputs(count: number): number[] {
  let state = 20240601;
  const values = [
    0,
    -0,
    1,
    -1,
    0.5,
    2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  while (values.length < count) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const unit = state / 2147483648;
    const magnitude = [1, 1, 10, 0.01, 700, 1e-300, 1e300, 30][values.length % 8] as number;
    values.push((unit * 2 - 1) * magnitude + (values.length % 5 === 0 ? 1 : 0));
  }
  return values;
}

describe.skipIf(!availability.available)("native libm", () => {
  it.each(LIBM.map((f) => [f.name, f] as const))("%s stays within its bound of V8", (name, f) => {
    const fn = libmOf(native, f);
    const xs = sampleInputs(3000);
    const ys = [...xs].reverse();
    let worst = 0;
    for (const [i, x] of xs.entries()) {
      const args = f.minArgs === 2 ? [x, ys[i] as number] : [x];
      worst = Math.max(worst, ulpDistance(fn(...args), f.js(...args)));
    }
    expect(worst).toBeLessThanOrEqual(BOUND[name] ?? 1);
  });

  it("gives libm's run-time answer for constant arguments too (the compiler does not fold them)", () => {
    const constant = native.compile(toProgram("expm1(1) + 0 * x"), {}).fn;
    const variable = native.compile(toProgram("expm1(x) + 0 * 1"), {}).fn;
    expect(constant(1)).toBe(variable(1));
    expect(constant(1)).toBe(libmOf(native, lookupFunction("expm1") as Builtin)(1));
  });
});
