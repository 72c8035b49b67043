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
import {
  allowanceOf,
  allowanceSentence,
  POWER_OPERATOR,
} from "../../../src/backends/native/spelling.js";
import { type Builtin, FUNCTION_LIST, lookupFunction } from "../../../src/semantics/builtins.js";
import { ulpDistance } from "../../support/exactness.js";
import { LIBM, libmOf } from "../../support/libm.js";

const availability = native.availability();
if (!availability.available) console.warn(`skipping native libm tests: ${availability.reason}`);

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
  it.each(LIBM.map((f) => [f.name, f] as const))("%s stays within its allowance of V8", (_, f) => {
    const fn = libmOf(native, f);
    const xs = sampleInputs(3000);
    const ys = [...xs].reverse();
    let worst = 0;
    for (const [i, x] of xs.entries()) {
      const args = f.minArgs === 2 ? [x, ys[i] as number] : [x];
      worst = Math.max(worst, ulpDistance(fn(...args), f.js(...args)));
    }
    expect(worst).toBeLessThanOrEqual(allowanceOf(f.name));
  });

  it("gives the exact functions (allowance 0) bit for bit", () => {
    const exact = FUNCTION_LIST.filter((f) => allowanceOf(f.name) === 0);
    expect(exact.map((f) => f.name)).toEqual([
      ...["abs", "sign", "sqrt", "floor", "ceil", "trunc", "round", "min", "max", "hypot"],
    ]);
    const xs = sampleInputs(2000);
    for (const f of exact) {
      const fn = native.compile(
        toProgram(f.minArgs === 2 || f.maxArgs !== 1 ? `${f.name}(x, y)` : `${f.name}(x)`),
        {},
      ).fn;
      for (const [i, x] of xs.entries()) {
        const y = xs[xs.length - 1 - i] as number;
        const args = f.minArgs === 2 || f.maxArgs !== 1 ? [x, y] : [x];
        expect(Object.is(fn(...args), f.js(...args)), `${f.name}(${args})`).toBe(true);
      }
    }
  });

  it("takes from libm exactly the transcendental functions but hypot, and states the allowance in one sentence", () => {
    expect(LIBM.map((f) => f.name)).toEqual(
      FUNCTION_LIST.filter((f) => f.transcendental && f.name !== "hypot").map((f) => f.name),
    );
    expect(allowanceOf("pow")).toBe(POWER_OPERATOR.ulp);
    expect(allowanceSentence()).toBe("1 ulp; 2 for log10 and tanh");
    expect(native.summary).toContain("1 ulp; 2 for log10 and tanh");
    expect(native.compile(toProgram("sin(x)"), {}).how).toContain("(1 ulp; 2 for log10 and tanh;");
  });

  it("gives libm's run-time answer for constant arguments too (the compiler does not fold them)", () => {
    const constant = native.compile(toProgram("expm1(1) + 0 * x"), {}).fn;
    const variable = native.compile(toProgram("expm1(x) + 0 * 1"), {}).fn;
    expect(constant(1)).toBe(variable(1));
    expect(constant(1)).toBe(libmOf(native, lookupFunction("expm1") as Builtin)(1));
  });
});
