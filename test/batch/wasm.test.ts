/**
 * The wasm batch module: it validates, our WAT assembles (with wabt, SIMD
 * enabled) to exactly our bytes, the paired `f64x2` loop is used only for
 * the operations that are bit-identical lane by lane, and without SIMD the
 * module is built without it and still gives the same rows.
 */

import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import wabtInit from "wabt";
import { toProgram } from "../../src/api/frontend.js";
import {
  encodeBatchModule,
  generateBatchModule,
  renderBatchWat,
  WASM_CHUNK_ROWS,
} from "../../src/backends/wasm/batch.js";
import { host } from "../../src/backends/wasm/host.js";
import { compile, resolveProgram } from "../../src/index.js";
import { sourceArbitrary } from "../differential/arbitraries.js";
import { batchColumns } from "../differential/properties.js";

const wabt = await wabtInit();

function assemble(wat: string): Uint8Array {
  const module = wabt.parseWat("batch.wat", wat, { simd: true });
  try {
    return module.toBinary({ canonicalize_lebs: true, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

function checkAssembles(source: string, simd: boolean): void {
  const module = generateBatchModule(toProgram(source), simd);
  const bytes = encodeBatchModule(module);
  expect(host?.validate(bytes), source).toBe(true);
  expect(hex(assemble(renderBatchWat(module))), source).toBe(hex(bytes));
}

describe("the batch module", () => {
  it.each([
    "x * 2 + y",
    "(y + x / y) * (x - y / x)",
    "sqrt(abs(x) - -y)",
    "sin(2 * x) + cos(pi / y)",
    "x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)",
    "hypot(x, y, 2) % 3",
    "4",
    // A wide call: its argument area comes before the columns.
    "hypot(x, y, 1, 2, 3, 4, 5, 6, hypot(y, 1, 2, 3, 4, 5, 6, 7, x)) - y",
  ])("assembles from its WAT to exactly its bytes: %s", (source) => {
    checkAssembles(source, true);
    checkAssembles(source, false);
  });

  it("assembles for random programs", () => {
    fc.assert(
      fc.property(sourceArbitrary(), (source) => checkAssembles(source, true)),
      { numRuns: 100 },
    );
  });

  it("pairs rows with f64x2 only for + - * /, negation, abs, sqrt", () => {
    const paired = (source: string) =>
      generateBatchModule(toProgram(source), true).pairs !== undefined;
    expect(paired("(y + x / y) * (x - y / x)")).toBe(true);
    expect(paired("sqrt(abs(-x)) * 2.5")).toBe(true);
    expect(paired("min(x, y)")).toBe(false);
    expect(paired("x < y")).toBe(false);
    expect(paired("x % y")).toBe(false);
    expect(paired("x ? 1 : y")).toBe(false);
  });

  it("shows both loops in its dump", () => {
    const wat = compile("x - y", { backend: "wasm" }).dumpBatch();
    expect(wat).toContain(
      `(func $pairs (export "pairs") (param $.start i32) (param $.end i32) (local $x v128) (local $y v128)`,
    );
    expect(wat).toContain(
      `        f64x2.sub\n        v128.store offset=${2 * WASM_CHUNK_ROWS * 8}`,
    );
  });
});

describe("with expression functions", () => {
  const functions = {
    lerp: "lerp(a, b, t) = a + (b - a) * t",
    sq: "sq(v) = v * v",
    big: "big(p, q) = lerp(sin(p), sq(q), p < q ? 0.5 : hypot(p, q, 1)) + lerp(q, p, sq(p))",
  };

  it.each([
    "lerp(x, y, 0.25) * 2",
    "sq(x) + sq(y) - big(x, y)",
    "x < y ? big(y, x) : sq(lerp(x, y, x))",
  ])("carries them, and its WAT assembles to its bytes: %s", (source) => {
    const program = resolveProgram(source, { functions });
    const module = generateBatchModule(program, true);
    const bytes = encodeBatchModule(module);
    expect(host?.validate(bytes)).toBe(true);
    expect(hex(assemble(renderBatchWat(module)))).toBe(hex(bytes));

    const c = compile(source, { backend: "wasm", functions });
    const reference = compile(source, { backend: "treewalk", functions });
    const columns = batchColumns(c.variables.length, WASM_CHUNK_ROWS + 3, ["typed"], 9);
    const got = c.evaluateBatch(columns);
    const want = reference.evaluateBatch(columns);
    for (let i = 0; i < got.length; i++) {
      if (!Object.is(got[i], want[i])) expect.fail(`row ${i}: ${got[i]} vs ${want[i]}`);
    }
  });
});

describe("without SIMD", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("falls back to the row loop alone, with the same results", () => {
    const source = "(y + x / y) * -(x - sqrt(y))";
    const n = WASM_CHUNK_ROWS + 3;
    const columns = batchColumns(2, n, ["typed"], 7);
    const withSimd = compile(source, { backend: "wasm" });
    const expected = withSimd.evaluateBatch(columns);
    expect(withSimd.dumpBatch()).toContain("f64x2");

    const validate = vi.spyOn(host as NonNullable<typeof host>, "validate").mockReturnValue(false);
    const without = compile(source, { backend: "wasm" });
    const got = without.evaluateBatch(columns);
    expect(validate).toHaveBeenCalled();
    expect(without.dumpBatch()).not.toContain("f64x2");
    for (let i = 0; i < n; i++) {
      if (!Object.is(got[i], expected[i])) expect.fail(`row ${i}: ${got[i]} vs ${expected[i]}`);
    }
  });
});

describe("paired rows are bit-identical to single rows", () => {
  it("on special values, odd and even counts", () => {
    for (const source of ["x * y - x / y", "-x + sqrt(abs(y))", "x / 0 - -0"]) {
      const c = compile(source, { backend: "wasm" });
      const reference = compile(source, { backend: "treewalk" });
      for (const n of [1, 2, 3, 4097]) {
        const columns = batchColumns(c.variables.length, n, ["typed"], n);
        const got = c.evaluateBatch(columns);
        const want = reference.evaluateBatch(columns);
        for (let i = 0; i < n; i++) {
          if (!Object.is(got[i], want[i]))
            expect.fail(`${source} row ${i}: ${got[i]} vs ${want[i]}`);
        }
      }
    }
  });
});
