/**
 * The `wasm` back-end end to end: results identical (Object.is) to what
 * JavaScript itself computes, on the awkward inputs (±0, NaN, ±Infinity,
 * halves), imports only what is used, and programs at the depth limit.
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { wasm } from "../../../src/backends/wasm/index.js";
import { compile } from "../../../src/index.js";

/** Inputs that tell implementations apart. */
const SPECIAL = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2.5,
  -2.5,
  3,
  0.49999999999999994,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  2 ** 53 + 2,
  1e308,
];

const truth = (v: number): boolean => v !== 0;
const bit = (b: boolean): number => (b ? 1 : 0);

/** Source, and the same formula written in JavaScript over (x, y). */
const CASES: [string, (x: number, y: number) => number][] = [
  ["x + y", (x, y) => x + y],
  ["x - y", (x, y) => x - y],
  ["x * y", (x, y) => x * y],
  ["x / y", (x, y) => x / y],
  ["x % y", (x, y) => x % y],
  ["x ^ y", (x, y) => x ** y],
  ["-x", (x) => -x],
  ["-x + y", (x, y) => -x + y],
  ["!x", (x) => bit(!truth(x))],
  ["!(x < y)", (x, y) => bit(!(x < y))],
  ["!!x", (x) => bit(truth(x))],
  ["x < y", (x, y) => bit(x < y)],
  ["x <= y", (x, y) => bit(x <= y)],
  ["x > y", (x, y) => bit(x > y)],
  ["x >= y", (x, y) => bit(x >= y)],
  ["x == y", (x, y) => bit(x === y)],
  ["x != y", (x, y) => bit(x !== y)],
  ["x && y", (x, y) => bit(truth(x) && truth(y))],
  ["x || y", (x, y) => bit(truth(x) || truth(y))],
  ["x < 1 && y", (x, y) => bit(x < 1 && truth(y))],
  ["x ? y : -y", (x, y) => (truth(x) ? y : -y)],
  ["(x ? y : 0) && 1", (x, y) => bit(truth(truth(x) ? y : 0))],
  ["(x ? y < 1 : x) ? 2 : 3", (x, y) => (truth(truth(x) ? bit(y < 1) : x) ? 2 : 3)],
  ["abs(x)", (x) => Math.abs(x)],
  ["sqrt(x)", (x) => Math.sqrt(x)],
  ["floor(x)", (x) => Math.floor(x)],
  ["ceil(x)", (x) => Math.ceil(x)],
  ["trunc(x)", (x) => Math.trunc(x)],
  ["round(x)", (x) => Math.round(x)],
  ["sign(x)", (x) => Math.sign(x)],
  ["min(x, y)", (x, y) => Math.min(x, y)],
  ["max(x, y)", (x, y) => Math.max(x, y)],
  ["min(x)", (x) => Math.min(x)],
  ["max(x, y, -0, 0)", (x, y) => Math.max(x, y, -0, 0)],
  ["min(0, x, y, -0)", (x, y) => Math.min(0, x, y, -0)],
  ["hypot(x, y, 1)", (x, y) => Math.hypot(x, y, 1)],
  ["atan2(x, y) + pow(y, x)", (x, y) => Math.atan2(x, y) + y ** x],
  [
    "sin(x) * cos(y) - exp(x) / log(y)",
    (x, y) => Math.sin(x) * Math.cos(y) - Math.exp(x) / Math.log(y),
  ],
  ["-0 + 0", () => 0],
  ["-(0)", () => -0],
  ["0 * -1", () => -0],
  ["nan ? 1 : 2", () => 1],
  ["0 || nan", () => 1],
  ["1 - 1 && x", () => 0],
];

describe("wasm agrees with JavaScript bit for bit", () => {
  it.each(CASES)("%s", (source, expected) => {
    const { fn, variables } = compile(source, { backend: "wasm" });
    for (const x of SPECIAL) {
      for (const y of SPECIAL) {
        const args = variables.map((name) => (name === "x" ? x : y));
        const got = fn(...args);
        const want = expected(x, y);
        if (!Object.is(got, want)) {
          expect.fail(`${source} with x=${x}, y=${y}: got ${got}, want ${want}`);
        }
      }
    }
  });
});

describe("wasm dumps its module as WAT", () => {
  it("prints the branchy benchmark expression", () => {
    expect(
      compile("x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)", { backend: "wasm" }).dump(),
    ).toBe(`(module
  (type $f2 (func (param f64 f64) (result f64)))
  (func $main (export "main") (type $f2) (param $x f64) (param $y f64) (result f64)
    local.get $x
    local.get $y
    f64.lt
    if (result f64)
      local.get $x
      local.get $y
      f64.mul
    else
      local.get $x
      f64.const 2
      f64.gt
      if (result i32)
        local.get $y
        f64.const 2
        f64.gt
      else
        i32.const 0
      end
      if (result f64)
        local.get $x
        local.get $y
        f64.sub
      else
        local.get $x
        local.get $y
        f64.add
      end
    end
  )
)
`);
  });

  it("calls JS functions through table slots, one per function and arity", () => {
    const code = compile("sin(x) + sin(y) + x^3 + pow(y, 3) + hypot(x) + hypot(x, y) + x % 2", {
      backend: "wasm",
    });
    expect(code.dump()).toBe(`(module
  (type $f1 (func (param f64) (result f64)))
  (type $f2 (func (param f64 f64) (result f64)))
  (import "js" "functions" (table $functions 5 funcref))
  (func $main (export "main") (type $f2) (param $x f64) (param $y f64) (result f64)
    local.get $x
    i32.const 0 ;; sin
    call_indirect (type $f1)
    local.get $y
    i32.const 0 ;; sin
    call_indirect (type $f1)
    f64.add
    local.get $x
    f64.const 3
    i32.const 1 ;; pow
    call_indirect (type $f2)
    f64.add
    local.get $y
    f64.const 3
    i32.const 1 ;; pow
    call_indirect (type $f2)
    f64.add
    local.get $x
    i32.const 2 ;; hypot_1
    call_indirect (type $f1)
    f64.add
    local.get $x
    local.get $y
    i32.const 3 ;; hypot_2
    call_indirect (type $f2)
    f64.add
    local.get $x
    f64.const 2
    i32.const 4 ;; %
    call_indirect (type $f2)
    f64.add
  )
)
`);
    expect(code.fn(3, 4)).toBe(Math.sin(3) + Math.sin(4) + 27 + 64 + 3 + 5 + 1);
  });

  it("passes a wide call's arguments through memory, those with effects by way of locals", () => {
    // Nine arguments, one more than go as parameters: y * g(x) calls a host
    // function, so it runs first, into a local; the others are computed
    // where they are stored; the slot gets the count.
    const code = compile("hypot(x, y, sin(x), 1, 2, 3, 4, 5, y * g(x)) + hypot(x, y)", {
      backend: "wasm",
      functions: { g: { arity: 1, fn: (v: number) => v + 1 } },
    });
    expect(code.dump()).toBe(`(module
  (type $f1 (func (param f64) (result f64)))
  (type $f2 (func (param f64 f64) (result f64)))
  (import "js" "functions" (table $functions 4 funcref))
  (import "js" "memory" (memory 1))
  (func $main (export "main") (type $f2) (param $x f64) (param $y f64) (result f64) (local $local.0 f64)
    local.get $y
    local.get $x
    i32.const 1 ;; host:g/1
    call_indirect (type $f1)
    f64.mul
    local.set $local.0
    i32.const 0
    local.get $x
    f64.store
    i32.const 0
    local.get $y
    f64.store offset=8
    i32.const 0
    local.get $x
    i32.const 2 ;; sin
    call_indirect (type $f1)
    f64.store offset=16
    i32.const 0
    f64.const 1
    f64.store offset=24
    i32.const 0
    f64.const 2
    f64.store offset=32
    i32.const 0
    f64.const 3
    f64.store offset=40
    i32.const 0
    f64.const 4
    f64.store offset=48
    i32.const 0
    f64.const 5
    f64.store offset=56
    i32.const 0
    local.get $local.0
    f64.store offset=64
    f64.const 9
    i32.const 0 ;; hypot_wide
    call_indirect (type $f1)
    local.get $x
    local.get $y
    i32.const 3 ;; hypot_2
    call_indirect (type $f2)
    f64.add
  )
)
`);
    expect(code.fn(3, 4)).toBe(Math.hypot(3, 4, Math.sin(3), 1, 2, 3, 4, 5, 16) + 5);
  });

  it("uses instructions, not calls, for abs sqrt floor ceil trunc min max", () => {
    const wat = compile(
      "abs(x) + sqrt(x) + floor(x) + ceil(x) + trunc(x) + min(x, 1, 2) + max(x)",
      {
        backend: "wasm",
      },
    ).dump();
    expect(wat).not.toContain("(import");
    expect(wat).not.toContain("call");
    expect(wat).toContain("f64.abs\n");
    expect(wat.match(/f64\.min/g)).toHaveLength(2);
    expect(wat).not.toContain("f64.max");
  });

  it("prints special constants in WAT syntax", () => {
    // Each constant beside a variable, so folding keeps them apart (and makes -inf, -0 literals).
    const source = "x * inf + x * -inf + x * nan + x * -0 + x * 1e21 + x * 5e-324";
    const wat = compile(source, { backend: "wasm" }).dump();
    for (const literal of ["inf", "-inf", "nan", "-0", "1e+21", "5e-324"]) {
      expect(wat).toContain(`f64.const ${literal}\n`);
    }
  });
});

describe("x^2 after lowering", () => {
  it("multiplies a variable by itself, and calls pow for anything else", () => {
    const wat = compile("x^2 + (x + 1)^2 + 2^x", { backend: "wasm" }).dump();
    expect(wat).toBe(`(module
  (type $f2 (func (param f64 f64) (result f64)))
  (type $f1 (func (param f64) (result f64)))
  (import "js" "functions" (table $functions 1 funcref))
  (func $main (export "main") (type $f1) (param $x f64) (result f64)
    local.get $x
    local.get $x
    f64.mul
    local.get $x
    f64.const 1
    f64.add
    f64.const 2
    i32.const 0 ;; pow
    call_indirect (type $f2)
    f64.add
    f64.const 2
    local.get $x
    i32.const 0 ;; pow
    call_indirect (type $f2)
    f64.add
  )
)
`);
  });
});

describe("wasm as a back-end", () => {
  it("is available in Node, exact, and dumps WAT", () => {
    expect(wasm.availability()).toEqual({ available: true });
    expect(wasm.exact).toBe(true);
    expect(wasm.artefact).toBe("wat");
  });

  it("says how it produced the code", () => {
    const code = wasm.compile(toProgram("sin(x) + 1"), {});
    expect(code.how).toBe(
      "encoded a 73-byte wasm module, calling 1 JS function via its table; compiled and instantiated synchronously",
    );
    expect(code.fn(2)).toBe(Math.sin(2) + 1);
  });

  it("says plainly when an expression needs more than 1,000 parameters", () => {
    const many = Array.from({ length: 1001 }, (_, i) => `v${i}`).join(" + ");
    expect(() => compile(many, { backend: "wasm" })).toThrow(
      expect.objectContaining({
        kind: "backend",
        message: expect.stringContaining("cannot compile 1001 variables"),
      }),
    );
    const atLimit = Array.from({ length: 1000 }, (_, i) => `v${i}`).join(" + ");
    expect(compile(atLimit, { backend: "wasm" }).fn(...new Array<number>(1000).fill(0.5))).toBe(
      500,
    );
  });

  it("returns a function taking the variables positionally", () => {
    const { fn, variables } = compile("y * x + y", { backend: "wasm" });
    expect(variables).toEqual(["y", "x"]);
    expect(fn(2, 3)).toBe(8);
  });
});

describe("expression functions", () => {
  const big = Array.from({ length: 30 }, (_, i) => `a * ${i + 1}`).join(" + ");
  const functions = {
    lerp: "lerp(a, b, t) = a + (b - a) * t",
    big: `big(a) = ${big}`,
    twice: "twice(a) = big(a) + big(a + 1)",
    sq: "sq(v) = v * v",
  };

  it("are inlined when small, so the code is the formula written out", () => {
    const called = compile("lerp(x, y, z * z) * 2", { backend: "wasm", functions }).dump();
    const written = compile("(x + (y - x) * (z * z)) * 2", { backend: "wasm" }).dump();
    const mainOf = (wat: string) => wat.slice(wat.indexOf("(func $main"), wat.indexOf("\n  )\n"));
    expect(mainOf(called)).toBe(mainOf(written));
    expect(called).toContain(
      "(func $def.lerp (type $f3) (param $a f64) (param $b f64) (param $t f64)",
    );
  });

  it("are called when large, and an argument read twice goes to a local once", () => {
    const source = "twice(x) + lerp(1, 2, sin(x)) + sq(x + 1)";
    const f = compile(source, { backend: "wasm", functions });
    const wat = f.dump();
    // twice is small (it calls big, which is not inlined): inlined, calling big twice.
    const main = wat.slice(wat.indexOf("(func $main"), wat.indexOf("(func $def."));
    expect(main.match(/call 2 ;; big/g)?.length).toBe(2);
    expect(wat).toContain("(local $local.0 f64)");
    expect(wat).toContain("local.set $local.0");
    const reference = compile(source, { backend: "treewalk", functions });
    for (const x of [0.5, -0, 3, Number.NaN])
      expect(Object.is(f.fn(x), reference.fn(x))).toBe(true);
  });
});
