/**
 * Batches with the application's names (LANGUAGE.md, "User constants and
 * functions"): expression functions and constants on every batch path and
 * in parallel workers; host functions called row by row, in row order,
 * never in an untaken branch, with their errors leaving `out` untouched;
 * and refused by the parallel batch.
 */

import { afterAll, describe, expect, it } from "vitest";
import { PARALLEL_MIN_ROWS } from "../../src/api/batch.js";
import {
  closeBatchWorkers,
  compile,
  createEnvironment,
  ExprBackendError,
  ExprInputError,
} from "../../src/index.js";
import { BACKENDS } from "../support/backends.js";

afterAll(async () => {
  await closeBatchWorkers();
});

const names = BACKENDS.map((b) => b.name);
const withHosts = names.filter((name) => name !== "native");

const definitions = {
  constants: { g: 9.81 },
  functions: {
    lerp: "lerp(a, b, t) = a + (b - a) * t",
    twice: "twice(u) = lerp(-0, 2 * u, 1) + g",
  },
};

describe.each(names)("expression functions in a batch on %s", (backend) => {
  it("give exactly the row-by-row results", () => {
    const c = compile("x < 0 ? twice(x) : lerp(x, y, 0.25) * g", { backend, ...definitions });
    const x = [-0, -1.5, 2, Number.NaN, 1e308];
    const y = [0, 3, -2, 1, -1e308];
    const out = c.evaluateBatch({ x, y });
    x.forEach((xi, i) => {
      expect(Object.is(out[i], c.evaluate({ x: xi, y: y[i] as number })), `row ${i}`).toBe(true);
    });
  });
});

describe.each(withHosts)("host functions in a batch on %s", (backend) => {
  it("are called row by row, in row order, never in an untaken branch", () => {
    const calls: string[] = [];
    const f = (v: number) => {
      calls.push(`f(${v})`);
      return v * 2;
    };
    const g = (v: number) => {
      calls.push(`g(${v})`);
      return v + 1;
    };
    const functions = { f: { fn: f, arity: 1 }, g: { fn: g, arity: 1 } };
    const c = compile("x > 1 ? f(x) : g(x) && f(-x)", { backend, functions });
    const out = c.evaluateBatch({ x: [0, 2, -1, 3] });
    expect(Array.from(out)).toEqual([0, 4, 0, 6]);
    expect(calls).toEqual(["g(0)", "f(0)", "f(2)", "g(-1)", "f(3)"]);
  });

  it("leave out untouched when one returns a non-number mid-batch", () => {
    const functions = { f: { fn: (v: number) => (v > 1 ? ("no" as never) : v), arity: 1 } };
    const c = compile("f(x) + 1", { backend, functions });
    const out = new Float64Array([7, 7, 7]);
    expect(() => c.evaluateBatch({ x: [0, 1, 2] }, { out })).toThrow(ExprInputError);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });

  it("are refused by the parallel batch", async () => {
    const functions = { f: { fn: (v: number) => v, arity: 1 } };
    const c = compile("f(x)", { backend, functions });
    const failing = c.evaluateBatchParallel({ x: new Float64Array(PARALLEL_MIN_ROWS) });
    await expect(failing).rejects.toThrow(ExprBackendError);
    await expect(failing).rejects.toThrow(
      "a program that calls host functions cannot run in a parallel batch: use evaluateBatch",
    );
  });
});

describe("parallel batches with the application's names", () => {
  const n = PARALLEL_MIN_ROWS * 2 + 1;
  const x = new Float64Array(n).map((_, i) => i / 7 - 1000);

  it.each(["js", "vm", "wasm"] as const)(
    "compile the same constants and definitions in the workers (%s)",
    async (backend) => {
      const c = compile("twice(x) * g", { backend, ...definitions });
      const want = c.evaluateBatch({ x });
      const got = await c.evaluateBatchParallel({ x }, { workers: 2 });
      for (let i = 0; i < n; i++) {
        if (!Object.is(got[i], want[i])) expect.fail(`row ${i}: ${got[i]} vs ${want[i]}`);
      }
    },
  );

  it("from an environment too", async () => {
    const environment = createEnvironment(definitions);
    const c = environment.compile("lerp(x, g, 0.5)", { backend: "js" });
    const want = c.evaluateBatch({ x });
    const got = await c.evaluateBatchParallel({ x }, { workers: 2 });
    expect(got[n - 1]).toBe(want[n - 1]);
    expect(got[12345]).toBe(want[12345]);
  });
});
