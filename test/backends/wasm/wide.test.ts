/**
 * Wide calls (wide.ts): a JavaScript function called with more than
 * WIDE_ARGS arguments gets them through memory. No function type of a
 * module is wider than the bound (Node 20 compiled the wrapper of an
 * n-parameter import in time growing faster than n²), the module grows
 * linearly with the width, and the results and host calls are exactly
 * treewalk's: arguments evaluated once each, left to right, nested wide
 * calls, re-entrant host functions and batches included.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import {
  encodeBatchModule,
  generateBatchModule,
  WASM_CHUNK_ROWS,
} from "../../../src/backends/wasm/batch.js";
import { generateWasm } from "../../../src/backends/wasm/codegen.js";
import { encodeModule, layout } from "../../../src/backends/wasm/module.js";
import { WIDE_ARGS } from "../../../src/backends/wasm/wide.js";
import { type Compiled, type CompileOptions, compile } from "../../../src/index.js";
import { validateExtension } from "../../../src/semantics/extension.js";

/** Values that steer Math.hypot's algorithm: zeros, NaN, infinities, extremes of scale. */
const SPECIAL = [
  0,
  -0,
  1,
  -3,
  0.1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  1e-300,
  2 ** 53 + 2,
];

/** `fn(x, x + 1, …)` with `width` arguments, or with `arg(i)` as argument i. */
function wide(fn: string, width: number, arg = (i: number) => (i === 0 ? "x" : `x + ${i}`)) {
  return `${fn}(${Array.from({ length: width }, (_, i) => arg(i)).join(", ")})`;
}

/** The same source by wasm and by treewalk. */
function both(source: string, options: CompileOptions = {}): [Compiled, Compiled] {
  return [
    compile(source, { ...options, backend: "wasm" }),
    compile(source, { ...options, backend: "treewalk" }),
  ];
}

/** Throws unless wasm and treewalk give Object.is-identical results on each row. */
function agree(source: string, rows: readonly (readonly number[])[], options?: CompileOptions) {
  const [wasm, treewalk] = both(source, options);
  for (const row of rows) {
    const got = wasm.fn(...row);
    const want = treewalk.fn(...row);
    if (!Object.is(got, want)) expect.fail(`${source} at ${row.join(", ")}: ${got} vs ${want}`);
  }
}

/** A host function `name` taking any number of arguments, logging each call's arguments. */
function logging(log: string[], name: string, fn: (...values: number[]) => number) {
  return {
    arity: [0, Number.POSITIVE_INFINITY] as const,
    fn: (...values: number[]) => {
      log.push(`${name}(${values.join(",")})`);
      return fn(...values);
    },
  };
}

describe("a wide call's code", () => {
  const widths = [250, 500, 1000];
  const sources = {
    hypot: (n: number) => wide("hypot", n),
    host: (n: number) => wide("g", n),
  };
  const user = validateExtension({
    functions: { g: { arity: [0, Number.POSITIVE_INFINITY], fn: Math.max } },
  });

  it.each(Object.keys(sources) as (keyof typeof sources)[])(
    "%s: no function type wider than the bound, module bytes a·n + b",
    (name) => {
      const bytes = widths.map((n) => {
        const code = generateWasm(toProgram(sources[name](n), {}, user));
        // main takes x alone; every callee's type is narrow, whatever the width.
        expect(Math.max(...layout(code).arities)).toBeLessThanOrEqual(WIDE_ARGS);
        for (const callee of code.callees) expect(callee.arity).toBeLessThanOrEqual(WIDE_ARGS);
        return encodeModule(code).length;
      });
      const [a, b, c] = bytes as [number, number, number];
      // Only the LEB128 lengths of the body and its section may differ by a byte or two.
      expect(Math.abs(c - b - 2 * (b - a))).toBeLessThanOrEqual(4);
    },
  );

  it("in a batch module: no type wider than the bound either, bytes a·n + b", () => {
    const bytes = widths.map((n) => {
      const module = generateBatchModule(toProgram(wide("hypot", n)), true);
      expect(module.callees.map((callee) => callee.arity)).toEqual([1]);
      return encodeBatchModule(module).length;
    });
    const [a, b, c] = bytes as [number, number, number];
    expect(Math.abs(c - b - 2 * (b - a))).toBeLessThanOrEqual(4);
  });

  it("up to the bound is a call with one parameter per argument, as before", () => {
    const code = generateWasm(toProgram(wide("hypot", WIDE_ARGS)));
    expect(code.callees.map((callee) => [callee.label, callee.arity])).toEqual([
      [`hypot_${WIDE_ARGS}`, WIDE_ARGS],
    ]);
    expect(code.memory).toBe(false);
    const wider = generateWasm(toProgram(wide("hypot", WIDE_ARGS + 1)));
    expect(wider.callees.map((callee) => [callee.label, callee.arity])).toEqual([
      ["hypot_wide", 1],
    ]);
    expect(wider.memory).toBe(true);
  });
});

describe("wide calls agree with treewalk bit for bit", () => {
  it("hypot of 1 to 1,000 arguments", () => {
    for (const n of [1, WIDE_ARGS, WIDE_ARGS + 1, 64, 999, 1000]) {
      agree(
        wide("hypot", n),
        SPECIAL.map((x) => [x]),
      );
    }
  });

  it("hypot of random doubles, 9 to 24 of them", () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(...SPECIAL));
    const compiled = new Map<number, [Compiled, Compiled]>();
    fc.assert(
      fc.property(fc.array(value, { minLength: 9, maxLength: 24 }), (values) => {
        let pair = compiled.get(values.length);
        if (pair === undefined) {
          pair = both(wide("hypot", values.length, (i) => `v${i}`));
          compiled.set(values.length, pair);
        }
        const [wasm, treewalk] = pair;
        expect(Object.is(wasm.fn(...values), treewalk.fn(...values))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("nested: a wide call inside another's arguments, first, middle and last", () => {
    const inner = (k: number) => wide("hypot", 10 + k, (i) => `y - ${i * k}`);
    const source = wide("hypot", 12, (i) => (i % 5 === 0 ? inner(i) : `x * ${i}`));
    agree(source, [
      [2, 3],
      [-0, Number.NaN],
      [1e300, -1e-300],
    ]);
    // Three deep, and the inner call the only argument with code of its own.
    agree(
      wide("hypot", 9, (i) => (i === 4 ? wide("hypot", 9, () => inner(1)) : "x")),
      [[2, 5]],
    );
  });

  it("inside expression functions, inlined or called", () => {
    const functions = {
      small: `small(a) = ${wide("hypot", 9, (i) => `a + ${i}`)}`,
      large: `large(a, b) = ${wide("hypot", 60, (i) => `a * ${i} - b`)}`,
      both: "both(a) = small(a) + large(a, a)",
    };
    const source = wide("hypot", 10, (i) =>
      i === 2 ? "small(x)" : i === 5 ? "large(y, small(x))" : i === 9 ? "both(y)" : "y",
    );
    agree(
      source,
      [
        [1, 2],
        [-0.5, 1e200],
      ],
      { functions },
    );
  });

  it("in a batch of more than one chunk, and scalar calls still read their own arguments", () => {
    const source = `${wide("hypot", 12, (i) => `x * ${i} - y`)} + hypot(x, y)`;
    const [wasm, treewalk] = both(source);
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
    expect(wasm.fn(3, 4)).toBe(treewalk.fn(3, 4));
  });
});

describe("wide host calls", () => {
  it("evaluate each argument once, left to right, nested calls included", () => {
    const log: string[] = [];
    const functions = {
      h: logging(log, "h", (v) => v * 2),
      g: logging(log, "g", (...values) => values.reduce((sum, v) => sum * 3 + v, 0)),
    };
    const source = wide("g", 12, (i) =>
      i === 1 ? "h(x)" : i === 4 ? wide("g", 9, (k) => `h(${k})`) : i === 11 ? "h(x + 1)" : `${i}`,
    );
    const [wasm, treewalk] = both(source, { functions });
    const got = wasm.fn(5);
    const wasmLog = log.splice(0);
    expect(got).toBe(treewalk.fn(5));
    expect(wasmLog).toEqual(log);
    const innerArgs = [0, 2, 4, 6, 8, 10, 12, 14, 16];
    const innerResult = innerArgs.reduce((sum, v) => sum * 3 + v, 0);
    expect(wasmLog).toEqual([
      "h(5)",
      ...innerArgs.map((_, k) => `h(${k})`),
      `g(${innerArgs.join(",")})`,
      "h(6)",
      `g(0,10,2,3,${innerResult},5,6,7,8,9,10,12)`,
    ]);
  });

  it("are never made in the branch not taken", () => {
    const log: string[] = [];
    const functions = { g: logging(log, "g", (...values) => values.length) };
    const { fn } = compile(`x > 0 ? ${wide("g", 10)} : -${wide("g", 11)}`, {
      backend: "wasm",
      functions,
    });
    expect(fn(1)).toBe(10);
    expect(fn(-1)).toBe(-11);
    expect(log).toEqual(["g(1,2,3,4,5,6,7,8,9,10)", "g(-1,0,1,2,3,4,5,6,7,8,9)"]);
  });

  it("check the result is a number, as narrow calls do", () => {
    const functions = {
      g: { arity: [0, Number.POSITIVE_INFINITY] as const, fn: () => "ten" as never },
    };
    const { fn } = compile(wide("g", 10), { backend: "wasm", functions });
    expect(() => fn(1)).toThrow(
      expect.objectContaining({
        kind: "input",
        message: `host function 'g' returned the string "ten", not a number`,
      }),
    );
  });

  it("may evaluate wide calls themselves: the outer call's arguments stay its own", () => {
    let inner: Compiled | undefined;
    const functions = { again: { arity: 1, fn: (v: number) => (inner as Compiled).fn(v) } };
    inner = compile(
      wide("hypot", 20, (i) => `x * ${i + 100}`),
      { backend: "wasm" },
    );
    const source = wide("hypot", 10, (i) => (i % 3 === 0 ? `again(x + ${i})` : `x - ${i}`));
    agree(source, [[2], [-7.5]], { functions });
    // The same compiled expression, re-entered from its own host call.
    let self: Compiled | undefined;
    const reentrant = {
      back: { arity: 1, fn: (v: number) => (v > 0 ? (self as Compiled).fn(v - 1) : 0.25) },
    };
    const source2 = wide("hypot", 9, (i) => (i === 3 ? "back(x)" : `x + ${i}`));
    self = compile(source2, { backend: "wasm", functions: reentrant });
    const reference = compile(source2, { backend: "treewalk", functions: reentrant });
    expect(self.fn(3)).toBe(reference.fn(3));
  });

  it("let an exception through unchanged, and the next call is right", () => {
    const failure = new Error("no");
    const functions = {
      boom: {
        arity: 1,
        fn: (v: number) => {
          if (v < 0) throw failure;
          return v;
        },
      },
    };
    const source = wide("hypot", 10, (i) => (i === 5 ? "boom(x)" : `${wide("hypot", 9)} + ${i}`));
    const [wasm, treewalk] = both(source, { functions });
    expect(() => wasm.fn(-1)).toThrow(failure);
    expect(wasm.fn(2)).toBe(treewalk.fn(2));
  });
});
