/**
 * Parallel batches: the same rows as a sequential batch, on shared and
 * unshared memory, small batches on the calling thread, errors as
 * ExprError, and a pool that ends when asked (and never holds the process).
 */

import { availableParallelism } from "node:os";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { PARALLEL_MIN_ROWS } from "../../src/api/batch.js";
import { poolSize, runParallel } from "../../src/api/parallel.js";
import { closeBatchWorkers, compile, ExprBackendError, ExprInputError } from "../../src/index.js";
import { sourceArbitrary } from "../differential/arbitraries.js";
import { batchColumns } from "../differential/properties.js";

afterAll(async () => {
  await closeBatchWorkers();
});

const cores = availableParallelism();

/** A shared column of `n` rows, 0.5 each. */
function sharedRows(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8)).fill(0.5);
}

/** Busy for `ms` milliseconds. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

/** An expression costly enough per row (hundreds of ns) that a second thread always pays. */
const EXPENSIVE = Array.from(
  { length: 12 },
  (_, i) => `sin(x * ${i + 1}) * exp(x / ${i + 2})`,
).join(" + ");

function sameRows(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`row ${i}: ${got[i]} vs ${want[i]}`);
  }
}

describe("evaluateBatchParallel", () => {
  const n = PARALLEL_MIN_ROWS * 2 + 5;
  const source = "x < y ? sin(x) * y : (x - y) / 3";

  it.each(["js", "vm", "wasm"] as const)(
    "gives exactly the sequential rows on %s",
    async (backend) => {
      const c = compile(source, { backend });
      const columns = batchColumns(2, n, ["typed", "plain"], 11);
      sameRows(await c.evaluateBatchParallel(columns, { workers: 2 }), c.evaluateBatch(columns));
    },
  );

  it("equals the sequential batch for random programs and columns", async () => {
    await fc.assert(
      fc.asyncProperty(
        sourceArbitrary(),
        fc.constantFrom("js", "vm", "wasm"),
        fc.integer(),
        async (source, backend, seed) => {
          const c = compile(source, { backend });
          const columns = batchColumns(c.variables.length, n, ["typed", "plain", "scalar"], seed);
          const length = columns.some((col) => typeof col !== "number") ? {} : { length: n };
          sameRows(
            await c.evaluateBatchParallel(columns, length),
            c.evaluateBatch(columns, length),
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it("writes into the caller's out, shared or not, and returns it", async () => {
    const c = compile(source, { backend: "js" });
    const columns = batchColumns(2, n, ["typed", "scalar"], 5);
    const want = c.evaluateBatch(columns);
    const plain = new Float64Array(n);
    expect(await c.evaluateBatchParallel(columns, { out: plain })).toBe(plain);
    sameRows(plain, want);
    const shared = new Float64Array(new SharedArrayBuffer(n * 8));
    expect(await c.evaluateBatchParallel(columns, { out: shared })).toBe(shared);
    sameRows(shared, want);
  });

  it("runs a small batch, or a one-thread batch, on the calling thread", async () => {
    await closeBatchWorkers();
    const c = compile("x * 2", { backend: "vm" });
    const out = await c.evaluateBatchParallel({ x: [1, 2, 3] }, { workers: 4 });
    expect(Array.from(out)).toEqual([2, 4, 6]);
    expect(poolSize()).toBe(0);
    const big = await c.evaluateBatchParallel({ x: new Float64Array(n).fill(1.5) }, { workers: 1 });
    expect(big[n - 1]).toBe(3);
    expect(poolSize()).toBe(0);
  });

  it("rejects input errors exactly as evaluateBatch throws them, out untouched", async () => {
    const c = compile("x + y", { backend: "js" });
    const out = new Float64Array([7, 7]);
    const failing = c.evaluateBatchParallel({ x: [1, 2], y: [1, "2"] } as never, { out });
    await expect(failing).rejects.toThrow(ExprInputError);
    await expect(failing).rejects.toThrow("variable 'y' must be a number in row 1, got string");
    expect(Array.from(out)).toEqual([7, 7]);
    await expect(c.evaluateBatchParallel({ x: [1], y: [1] }, { workers: 0 })).rejects.toThrow(
      "the workers option must be a whole number of threads, 1 or more, got 0",
    );
  });

  it.skipIf(cores < 2)("reports a failure in a worker as an ExprBackendError", async () => {
    const plan = { n, columns: [sharedRows(n)], out: sharedRows(n) };
    const job = { source: "x +", options: { backend: "js" as const } };
    // A calling thread this slow makes the workers worth their handoff whatever the machine.
    const failing = runParallel(plan, 2, job, () => spin(5));
    await expect(failing).rejects.toThrow(ExprBackendError);
    await expect(failing).rejects.toThrow("expected an operand after '+', found end of input");
  });

  it.skipIf(cores < 2)("keeps a bounded pool, and ends it when asked", async () => {
    const c = compile(EXPENSIVE, { backend: "js" });
    const x = sharedRows(n);
    await c.evaluateBatchParallel({ x }, { workers: 64 });
    await c.evaluateBatchParallel({ x }, { workers: 64 });
    expect(poolSize()).toBeGreaterThan(0);
    expect(poolSize()).toBeLessThan(cores);
    await closeBatchWorkers();
    expect(poolSize()).toBe(0);
  });
});
