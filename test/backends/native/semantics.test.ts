/**
 * The `native` back-end end to end (C compiler, cache, dlopen): the places
 * where C's meaning differs from JavaScript's, exact literals, deep
 * programs, independent loads, the unchecked entry and the Backend
 * contract. Skipped, with the reason, where no compiler works.
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { generateAddon } from "../../../src/backends/native/addon.js";
import { buildEntry, keyOf } from "../../../src/backends/native/build.js";
import { cacheLimit } from "../../../src/backends/native/cache.js";
import { native } from "../../../src/backends/native/index.js";
import { loadAddon } from "../../../src/backends/native/load.js";
import { ABI_TAG } from "../../../src/backends/native/runtime.js";
import { toolchain } from "../../../src/backends/native/toolchain.js";
import { compile } from "../../../src/index.js";
import {
  binaryNode,
  conditionalNode,
  numberNode,
  variableNode,
} from "../../../src/semantics/nodes.js";
import type { Node, Program } from "../../../src/semantics/program.js";

const availability = native.availability();
if (!availability.available) console.warn(`skipping native tests: ${availability.reason}`);

const compiled = new Map<string, (...values: number[]) => number>();
/** The native entry of `source`, compiled once per file. */
function nativeFn(source: string): (...values: number[]) => number {
  let fn = compiled.get(source);
  if (fn === undefined) {
    fn = compile(source, { backend: "native" }).fn;
    compiled.set(source, fn);
  }
  return fn;
}

const nan = Number.NaN;
const inf = Number.POSITIVE_INFINITY;
const ninf = Number.NEGATIVE_INFINITY;

/** Checks `source` on each argument list against the expected value, with Object.is. */
function table(
  source: string,
  rows: readonly (readonly number[])[],
  expected: (...a: number[]) => number,
) {
  const fn = nativeFn(source);
  for (const row of rows) {
    const want = expected(...row);
    const got = fn(...row);
    expect(Object.is(got, want), `${source} at (${row.join(", ")}): got ${got}, want ${want}`).toBe(
      true,
    );
  }
}

describe.skipIf(!availability.available)("native back-end", () => {
  it("pow: JS meaning for NaN exponents, ±1 to ±Infinity and zero exponents", () => {
    const rows = [
      [1, nan],
      [1, inf],
      [1, ninf],
      [-1, inf],
      [-1, ninf],
      [nan, 0],
      [nan, -0],
      [inf, 0],
      [0, 0],
      [0, -1],
      [-0, -1],
      [-0, -2],
      [-8, 1 / 3],
      [2, 10],
      [-2, 3],
      [0.5, inf],
      [2, ninf],
      [ninf, 3],
      [ninf, -3],
    ];
    table("x ^ y", rows, Math.pow);
    table("pow(x, y)", rows, Math.pow);
  });

  it("round: halves toward +Infinity, -0 kept, no x+0.5 rounding trap", () => {
    const rows = [
      -0.5, 0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, -0, 0,
    ];
    rows.push(
      -1e-20,
      1e-20,
      4503599627370497,
      -4503599627370497,
      2 ** 52 + 0.5,
      nan,
      inf,
      ninf,
      -0.7,
      5e-324,
    );
    table(
      "round(x)",
      rows.map((x) => [x]),
      Math.round,
    );
  });

  it("min and max: NaN propagates, -0 is below 0, one argument is itself", () => {
    const values = [0, -0, 1, -1, nan, inf, ninf];
    const pairs = values.flatMap((a) => values.map((b) => [a, b]));
    table("min(x, y)", pairs, Math.min);
    table("max(x, y)", pairs, Math.max);
    table(
      "min(x, y, z)",
      [
        [1, 2, nan],
        [nan, 2, 1],
        [0, -0, 0],
        [3, 2, 1],
      ],
      Math.min,
    );
    table(
      "max(x, y, z)",
      [
        [1, 2, nan],
        [-0, -0, 0],
        [-0, -0, -0],
        [3, 2, 1],
      ],
      Math.max,
    );
    table("min(x)", [[-0], [nan], [7]], Math.min);
  });

  it("sign, abs, floor, ceil, trunc keep -0 and NaN as JS does", () => {
    const rows = [-0, 0, nan, -3, 5, inf, ninf, -0.5, 0.5, 5e-324].map((x) => [x]);
    table("sign(x)", rows, Math.sign);
    table("abs(x)", rows, Math.abs);
    table("floor(x)", rows, Math.floor);
    table("ceil(x)", rows, Math.ceil);
    table("trunc(x)", rows, Math.trunc);
    table("sqrt(x)", [[-0], [2], [-1], [inf], [nan], [5e-324]], Math.sqrt);
  });

  it("% is JS's remainder (fmod) on zeros, infinities and NaN", () => {
    const values = [5.5, -5.5, 2, -2, 0, -0, inf, ninf, nan, 1e308, 5e-324];
    const pairs = values.flatMap((a) => values.map((b) => [a, b]));
    table("x % y", pairs, (a, b) => (a as number) % (b as number));
  });

  it("hypot is V8's algorithm, bit for bit", () => {
    table("hypot(x)", [[-0], [-3], [nan], [ninf]], Math.hypot);
    const specials = [
      [inf, nan],
      [nan, ninf],
      [nan, 1],
      [0, -0],
      [3, 4],
      [1e300, 1e300],
      [5e-324, 5e-324],
    ];
    table("hypot(x, y)", specials, Math.hypot);
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state / 2147483648 - 0.5) * 10 ** ((state % 40) - 20);
    };
    const rows = Array.from({ length: 3000 }, () => [next(), next(), next()]);
    table(
      "hypot(x, y)",
      rows.map((row) => row.slice(0, 2)),
      Math.hypot,
    );
    table("hypot(x, y, z)", rows, Math.hypot);
  });

  it("truth: NaN is true, ±0 false; && and || give 1 or 0; comparisons with NaN are 0 but !=", () => {
    table("x ? 1 : 2", [[nan], [0], [-0], [5e-324]], (x) => (x !== 0 ? 1 : 2));
    table("!x", [[nan], [0], [-0], [3]], (x) => (x === 0 ? 1 : 0));
    table(
      "x && y",
      [
        [nan, 2],
        [0, 2],
        [2, nan],
        [2, -0],
      ],
      (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
    );
    table(
      "x || y",
      [
        [nan, 0],
        [0, -0],
        [-0, nan],
        [0, 0],
      ],
      (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
    );
    const pairs = [
      [nan, nan],
      [nan, 1],
      [1, 1],
      [-0, 0],
      [1, 2],
      [inf, inf],
    ];
    table(
      "(x < y) + 2*(x <= y) + 4*(x > y) + 8*(x >= y) + 16*(x == y) + 32*(x != y)",
      pairs,
      (a, b) =>
        [a < b, a <= b, a > b, a >= b, a === b, a !== b].reduce(
          (sum, t, i) => sum + (t ? 2 ** i : 0),
          0,
        ),
    );
  });

  it("carries every literal exactly, non-finite and subnormal ones included", () => {
    const values = [
      0.1,
      -0,
      5e-324,
      Number.MAX_VALUE,
      Number.MIN_VALUE * 3,
      2 ** 53 + 2,
      inf,
      ninf,
      nan,
      -2.8,
    ];
    // x == 0 ? v0 : x == 1 ? v1 : ... : NaN, built by hand so values like -0 and NaN are literals.
    const at = { start: 0, end: 0 };
    let root: Node = numberNode(nan, at);
    for (let i = values.length - 1; i >= 0; i--) {
      const x: Node = variableNode("x", 0, at);
      const test: Node = binaryNode("==", x, numberNode(i, at), at);
      root = conditionalNode(test, numberNode(values[i] as number, at), root, at);
    }
    const program: Program = {
      source: "x",
      bindings: [],
      results: [{ name: "", value: root }],
      variables: ["x"],
      firstUse: [{ start: 0, end: 1 }],
      depth: 30,
      definitions: [],
      hosts: [],
      userNames: [],
    };
    const { fn } = native.compile(program, {});
    for (const [i, value] of values.entries()) expect(Object.is(fn(i), value)).toBe(true);
  });

  it("compiles and runs programs at the depth limit without overflowing any stack", () => {
    const terms = 2000;
    const sum = nativeFn(Array.from({ length: terms }, (_, i) => (i % 2 ? "x" : "0.1")).join("+"));
    let expected = 0.1;
    for (let i = 1; i < terms; i++) expected += i % 2 ? 3 : 0.1;
    expect(sum(3)).toBe(expected);
    const parens = nativeFn(`${"(".repeat(1990)}x+1${")".repeat(1990)}`);
    expect(parens(2)).toBe(3);
    const chain = nativeFn(
      `${Array.from({ length: 900 }, (_, i) => `x > ${i} ? `).join("")}1${" : 0".repeat(900)}`,
    );
    expect([chain(899.5), chain(898), chain(-1)]).toEqual([1, 0, 0]);
  });

  it("passes hundreds of variables, in first-appearance order", () => {
    const names = Array.from({ length: 300 }, (_, i) => `v${i}`);
    const fn = nativeFn(names.map((name, i) => `${name} * ${i % 7}`).join(" + "));
    const values = names.map((_, i) => i / 8);
    const expected = values.reduce((sum, v, i) => sum + v * (i % 7), 0);
    expect(fn(...values)).toBe(expected);
  });

  it("loads a formula once per process: compiled twice, one entry, called interleaved", () => {
    const a = native.compile(programOf("x * 10 + y"), {});
    const b = native.compile(programOf("x * 10 + y"), {});
    expect(b.fn).toBe(a.fn);
    expect(b.how).toMatch(/^already loaded in this process/);
    expect([a.fn(1, 2), b.fn(3, 4), a.fn(5, 6), b.fn(7, 8)]).toEqual([12, 34, 56, 78]);
  });

  it("never throws from the unchecked entry: non-numbers and missing values give NaN", () => {
    const fn = nativeFn("x + y") as (...values: unknown[]) => number;
    expect(fn(1)).toBeNaN();
    expect(fn(1, "2")).toBeNaN();
    expect(fn(Symbol("s"), 1n)).toBeNaN();
    expect(fn(1, 2, 3)).toBe(3);
  });

  it("dumps the C it compiled, says how in one line, and disposes idempotently", () => {
    const code = native.compile(programOf("y - x"), {});
    expect(code.dump()).toContain("  t0 = a0 - a1;");
    expect(code.how).toMatch(/^(compiled|loaded from the cache).*process\.dlopen.*last place/);
    code.dispose();
    code.dispose();
    expect(compile("y - x", { backend: "native" }).dump()).toBe(code.dump());
  });

  it("refuses a shared object that is not an exprjit module for this program", () => {
    const { c, fingerprint } = generateAddon(toProgram("x - y"));
    const tools = toolchain();
    const build = (text: string) => {
      const source = { c: text, operations: 1 };
      return buildEntry(tools, keyOf(tools, source), source, cacheLimit());
    };
    const ours = build(c);
    expect(() => loadAddon(ours, 3, fingerprint)).toThrow("Main takes 2 values, expected 3");
    const other = generateAddon(toProgram("x + y")).fingerprint;
    expect(() => loadAddon(ours, 2, other)).toThrow("it was built for another program");
    const foreign = build(c.replace(`"${ABI_TAG}"`, '"someone-else/9"'));
    expect(() => loadAddon(foreign, 2, fingerprint)).toThrow(
      `its abi is someone-else/9, expected ${ABI_TAG}`,
    );
    expect(loadAddon(ours, 2, fingerprint)(5, 3)).toBe(2);
  });

  it("is listed as inexact, with the C source as its artefact", () => {
    expect([native.name, native.artefact, native.exact]).toEqual(["native", "c", false]);
  });
});

function programOf(source: string): Program {
  return toProgram(source);
}

describe.skipIf(!availability.available)("native compileAsync", () => {
  it("compiles without blocking the event loop, and gives the same code", async () => {
    // A constant unique to this run, so the compiler really runs.
    const unique = `${process.pid}.${Date.now() % 100000}`;
    const program = toProgram(`x * 2 + ${unique}`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const code = await (native.compileAsync as NonNullable<typeof native.compileAsync>)(
      program,
      {},
    );
    clearInterval(timer);
    expect(code.how).toMatch(/^compiled/);
    expect(ticks).toBeGreaterThan(0);
    expect(code.fn(1)).toBe(2 + Number(unique));
    expect(native.compile(program, {}).how).toMatch(/^already loaded in this process/);
  });
});
