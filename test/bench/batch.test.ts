/**
 * Phase 5 of the benchmark suite: the batch baseline computes what the
 * hand-written twin computes, a tiny run checks and times every batch path
 * (parallel included) and renders its table, chart and sentences, and the
 * numexpr dialect and runner work where Python has numexpr.
 */

import { afterAll, describe, expect, it } from "vitest";
import { loadEngines } from "../../bench/engines.js";
import { batchLabel, batchSentences, batchSpec, batchTable } from "../../bench/output/batch.js";
import { toSvg } from "../../bench/output/charts.js";
import { renderText } from "../../bench/output/format.js";
import { baselineLoop, batchInputs, runBatch } from "../../bench/phases/batch.js";
import { findNumexpr, numexprRun, numexprText } from "../../bench/phases/numexpr.js";
import { makeProgress } from "../../bench/progress.js";
import type { BenchResults } from "../../bench/results.js";
import { WORKLOAD } from "../../bench/workload.js";
import { PARALLEL_MIN_ROWS } from "../../src/api/batch.js";
import { closeBatchWorkers } from "../../src/index.js";

afterAll(async () => {
  await closeBatchWorkers();
});

const sampling = { targetNs: 50_000, samples: 1, budgetNs: 100_000, gc: false, rounds: 1 };

describe("the batch baseline", () => {
  it("computes each hand-written twin, row by row", () => {
    const { x, y } = batchInputs(50);
    for (const expr of WORKLOAD) {
      const out = new Float64Array(50);
      baselineLoop(expr)(x, y, out);
      for (let i = 0; i < 50; i++) {
        expect(out[i], `${expr.id} row ${i}`).toBe(expr.baseline(x[i] as number, y[i] as number));
      }
    }
  });
});

describe("a tiny batch run", () => {
  it("checks and times every batch path, then renders it", async () => {
    const engines = await loadEngines((id) => id === "vm");
    const workload = WORKLOAD.filter((x) => ["e01", "e16"].includes(x.id));
    const result = await runBatch(
      engines,
      workload,
      { ...sampling, quick: true, ns: [10, PARALLEL_MIN_ROWS] },
      makeProgress(),
      undefined,
    );
    const ids = [...new Set(result.cells.map((c) => c.engine))];
    expect(ids).toEqual([
      "baseline",
      "vm/batch",
      ...ids.filter((id) => id.startsWith("vm/parallel-")),
    ]);
    expect(ids).toContain("vm/parallel-1");
    expect(result.cells).toHaveLength(ids.length * 2 * 2);
    expect(result.cells.every((c) => c.nsPerRow > 0 && c.ratio > 0)).toBe(true);
    expect(result.summary.find((s) => s.engine === "baseline" && s.n === 10)?.ratio).toBe(1);

    const results = { batch: result, expressions: [], summary: [] } as unknown as BenchResults;
    const table = renderText(batchTable(results) as NonNullable<ReturnType<typeof batchTable>>);
    expect(table).toContain(
      "Batch throughput: ns per row (× the hand-written JS loop), geometric means",
    );
    expect(table).toMatch(/exprjit vm batch\s+[\d.,]+ \([\d.,]+×\)\s+[\d.,]+ \([\d.,]+×\)/);
    expect(
      (await toSvg(batchSpec(results) as NonNullable<ReturnType<typeof batchSpec>>)).startsWith(
        "<svg",
      ),
    ).toBe(true);
    expect(batchSentences(results)[0]).toMatch(
      /^Batch, n = 1e5: the hand-written JS loop takes [\d.,]+ ns per row; evaluateBatch, fastest first: exprjit vm batch [\d.,]+ ns \([\d.,]+×\)\.$/,
    );
  });

  it("says where native's batch overtakes js's, compile included", () => {
    const at = (engine: string, nsPerRow: number) => ({
      engine,
      n: 1e6,
      nsPerRow,
      ratio: 1,
      exprs: 1,
    });
    const results = {
      summary: [
        { engine: "js", compileUs: 100 },
        { engine: "native", compileUs: 50_100 },
        { engine: "native/cached", compileUs: 400 },
      ],
      batch: {
        ns: [1e6],
        cells: [],
        notes: [],
        summary: [at("baseline", 5), at("js/batch", 5), at("native/batch", 3)],
      },
    } as unknown as BenchResults;
    // (50,100 - 100) µs over 2 ns per row: 25 M rows; (400 - 100) µs: 150,000 rows.
    expect(batchSentences(results).at(-1)).toBe(
      "native's batch overtakes js's, compile included, past 25,000,000 rows cold (the C compiler run) and 150,000 rows warm (loaded from its cache).",
    );
  });

  it("labels every kind of batch engine", () => {
    expect(batchLabel("baseline")).toBe("hand-written JS loop");
    expect(batchLabel("wasm/batch")).toBe("exprjit wasm batch");
    expect(batchLabel("js/parallel-1")).toBe("exprjit js parallel, 1 thread");
    expect(batchLabel("js/parallel-8")).toBe("exprjit js parallel, 8 threads");
    expect(batchLabel("js/parallel-2-unshared")).toBe(
      "exprjit js parallel, 2 threads, unshared columns",
    );
    expect(batchLabel("numexpr-2")).toBe("numexpr, 2 threads");
  });
});

describe("numexpr", () => {
  it("gets each formula in its dialect, and no constant", () => {
    const text = new Map(WORKLOAD.map((x) => [x.id, numexprText(x)]));
    expect(text.get("e09")).toBe(
      "1.1*x**1 + 2.2*y**2 - 3.3*x**3 + 4.4*y**15 - 5.5*x**23 + 6.6*y**55",
    );
    expect(text.get("e10")).toBe("sin(2 * x) + cos(3.141592653589793 / y)");
    expect(text.get("e16")).toBeUndefined();
    expect(text.get("e17")).toBe("where(x < y, x * y, where((x > 2) & (y > 2), x - y, x + y))");
  });

  const found = findNumexpr();
  it.skipIf("missing" in found)("times the workload in a child process", async () => {
    const { python, version } = found as { python: string; version: string };
    const run = numexprRun(python, version, 2);
    const workload = WORKLOAD.filter((x) => ["e05", "e16", "e17"].includes(x.id));
    const result = await run.run(workload, batchInputs(1000), 1, 1e6);
    expect(Object.keys(result.nsPerRow).sort()).toEqual(["e05", "e17"]);
    expect(Object.values(result.nsPerRow).every((ns) => ns > 0)).toBe(true);
    expect(result.notes).toEqual(["numexpr: e16 skipped (a constant: no column)"]);
  });
});
