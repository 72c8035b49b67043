/**
 * `hypot` in wasm instructions (hypot.ts): Math.hypot's result bit for bit
 * on the values that steer its algorithm, in the scalar and the batch
 * module, and code that grows linearly with the number of arguments: no
 * JavaScript callee (whose n-parameter trampoline V8 compiled in time
 * growing faster than n²), a fixed number of instructions and locals per
 * argument.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { WASM_CHUNK_ROWS } from "../../../src/backends/wasm/batch.js";
import { generateWasm } from "../../../src/backends/wasm/codegen.js";
import { HYPOT_SCRATCH_LOCALS } from "../../../src/backends/wasm/hypot.js";
import { encodeModule } from "../../../src/backends/wasm/module.js";
import { compile } from "../../../src/index.js";

/** Values where Math.hypot's steps differ: zeros, NaN, infinities, extremes of scale. */
const SPECIAL = [
  0,
  -0,
  1,
  -1,
  3,
  -4,
  0.1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  Number.MAX_VALUE,
  1e308,
  1e-300,
  1e154,
  2 ** 53 + 2,
];

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${i}`);

/** `hypot(v0, …)` compiled by wasm and by treewalk, over the same variables. */
function both(n: number) {
  const source = `hypot(${names(n).join(", ")})`;
  return {
    wasm: compile(source, { backend: "wasm" }),
    treewalk: compile(source, { backend: "treewalk" }),
  };
}

describe("hypot in wasm", () => {
  it("is Math.hypot on every pair and triple of special values", () => {
    const two = both(2);
    const three = both(3);
    for (const a of SPECIAL) {
      for (const b of SPECIAL) {
        expect(two.wasm.fn(a, b), `${a}, ${b}`).toBe(Math.hypot(a, b));
        for (const c of SPECIAL) {
          const got = three.wasm.fn(a, b, c);
          if (!Object.is(got, three.treewalk.fn(a, b, c))) {
            expect.fail(`hypot(${a}, ${b}, ${c}): wasm ${got}, treewalk ${Math.hypot(a, b, c)}`);
          }
        }
      }
    }
  });

  it("is Math.hypot on random doubles, 1 to 12 of them", () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(...SPECIAL));
    const compiled = new Map<number, ReturnType<typeof both>>();
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), (values) => {
        let pair = compiled.get(values.length);
        if (pair === undefined) compiled.set(values.length, (pair = both(values.length)));
        expect(Object.is(pair.wasm.fn(...values), pair.treewalk.fn(...values))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("with one argument is abs, NaN and -0 included", () => {
    const { wasm } = both(1);
    expect(wasm.dump()).toContain("f64.abs");
    for (const v of SPECIAL) expect(wasm.fn(v)).toBe(Math.hypot(v));
  });

  it("as a batch: each row starts afresh, after rows that were Infinity, NaN or 0", () => {
    const source = "hypot(x, y, 1e-300) + hypot(x, -y)";
    const wasm = compile(source, { backend: "wasm" });
    const treewalk = compile(source, { backend: "treewalk" });
    const n = WASM_CHUNK_ROWS + 5;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = SPECIAL[i % SPECIAL.length] as number;
      y[i] = SPECIAL[(i * 7 + 3) % SPECIAL.length] as number;
    }
    const got = wasm.evaluateBatch({ x, y });
    const want = treewalk.evaluateBatch({ x, y });
    for (let i = 0; i < n; i++) {
      if (!Object.is(got[i], want[i])) expect.fail(`row ${i}: ${got[i]} vs ${want[i]}`);
    }
  });

  it("evaluates arguments left to right, each once, host functions included", () => {
    const seen: number[] = [];
    const functions = {
      h: {
        arity: 1,
        fn: (v: number) => {
          seen.push(v);
          return v * 2;
        },
      },
    };
    const c = compile("hypot(h(x), x, h(x + 1))", { backend: "wasm", functions });
    expect(c.evaluate({ x: 3 })).toBe(Math.hypot(6, 3, 8));
    expect(seen).toEqual([3, 4]);
  });
});

describe("a wide call's code grows linearly with its width", () => {
  const wide = (fn: string, n: number) =>
    `${fn}(${Array.from({ length: n }, (_, i) => (i === 0 ? "x" : `x * ${i}`)).join(", ")})`;

  it.each(["hypot", "min", "max"])("%s: no callee, instructions and locals a·n + b", (fn) => {
    const sizes = [250, 500, 1000].map((n) => {
      const code = generateWasm(toProgram(wide(fn, n)));
      // Every callee's arity is at most 2: no n-parameter trampoline.
      for (const callee of code.callees) expect(callee.arity).toBeLessThanOrEqual(2);
      return { instrs: code.body.length, locals: code.locals, n };
    });
    const [a, b, c] = sizes as [(typeof sizes)[0], (typeof sizes)[0], (typeof sizes)[0]];
    expect(c.instrs - b.instrs).toBe(2 * (b.instrs - a.instrs));
    expect(c.locals - b.locals).toBe(2 * (b.locals - a.locals));
    if (fn === "hypot") expect(c.locals).toBe(1000 + HYPOT_SCRATCH_LOCALS);
  });

  it("hypot's module bytes grow by the same amount per argument", () => {
    const bytes = [250, 500, 1000].map(
      (n) => encodeModule(generateWasm(toProgram(wide("hypot", n)))).length,
    );
    const [a, b, c] = bytes as [number, number, number];
    // Every local added past the first 128 has a two-byte index; only the
    // LEB128 lengths of the body and its section may differ by a byte or two.
    expect(Math.abs(c - b - 2 * (b - a))).toBeLessThanOrEqual(4);
  });

  it("hypot of 1 to 1000 arguments is exact (Object.is against treewalk)", () => {
    for (const n of [1, 2, 7, 64, 250, 999, 1000]) {
      const source = wide("hypot", n);
      const wasm = compile(source, { backend: "wasm" });
      const treewalk = compile(source, { backend: "treewalk" });
      for (const x of [1, -0.5, 1e300, 1e-310, Number.NaN, Number.POSITIVE_INFINITY, 0]) {
        const got = wasm.evaluate({ x });
        const want = treewalk.evaluate({ x });
        if (!Object.is(got, want)) expect.fail(`width ${n}, x = ${x}: ${got} vs ${want}`);
      }
    }
  });
});
