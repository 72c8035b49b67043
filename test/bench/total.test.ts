/**
 * The measured total cost (phase 4): its calling loops, its engine order,
 * the arithmetic of auto against the cheapest single back-end, the
 * `--auto-thresholds` engines, and a tiny run through results.json's shape,
 * the terminal table, the report and the charts. Speed is never asserted.
 */

import { describe, expect, it } from "vitest";
import { parseOptions } from "../../bench/options.js";
import { renderCharts } from "../../bench/output/charts.js";
import { measuredSentences, renderReport } from "../../bench/output/report.js";
import { renderTerminal } from "../../bench/output/terminal.js";
import {
  makeCountLoop,
  measuredAt,
  measuredColumns,
  seededRandom,
  shuffled,
  summariseMeasured,
} from "../../bench/phases/measured-total.js";
import { TOTAL_NS } from "../../bench/phases/total.js";
import { makeProgress } from "../../bench/progress.js";
import type { BenchResults, MeasuredTotalCell } from "../../bench/results.js";
import { pickEngines, runBench } from "../../bench/run.js";
import { makeInputs } from "../../bench/workload.js";

const inputs = makeInputs();

describe("calling loops of the measured total", () => {
  it("makes n calls, cycling over the inputs", () => {
    const loop = makeCountLoop("auto@16", "e01", "t(y, x)");
    const f = (y: number, x: number) => y - 2 * x;
    const n = inputs.xs.length + 5;
    let want = 0;
    for (let i = 0; i < n; i++) {
      const j = i % inputs.xs.length;
      want += f(inputs.ys[j]!, inputs.xs[j]!);
    }
    expect(loop(f, {}, inputs.xs, inputs.ys, n)).toBe(want);
    let calls = 0;
    expect(loop(() => ++calls, {}, inputs.xs, inputs.ys, 0)).toBe(0);
    expect(calls).toBe(0);
  });

  it("gives every loop its own source text", () => {
    const a = makeCountLoop("js", "e01", "t(x, y)").toString();
    const b = makeCountLoop("js", "e01", "t(x, y)").toString();
    expect(a).not.toBe(b);
    expect(a).toContain("s += t(x, y);");
  });

  it("shuffles the engine order the same way on every run", () => {
    const items = ["a", "b", "c", "d", "e"];
    const first = [0, 1, 2].map(() => shuffled(items, seededRandom(7)));
    expect(first[1]).toEqual(first[0]);
    const random = seededRandom(7);
    const orders = Array.from({ length: 20 }, () => shuffled(items, random));
    for (const order of orders) expect([...order].sort()).toEqual(items);
    expect(new Set(orders.map((o) => o.join(""))).size).toBeGreaterThan(1);
  });
});

describe("auto against the cheapest single back-end", () => {
  /** A cell with the same total at every n but the last two (so two n's tell apart). */
  const cell = (engine: string, expr: string, us: readonly number[]): MeasuredTotalCell => ({
    engine,
    expr,
    totalUs: [...us, ...Array.from({ length: 8 - us.length }, () => us[us.length - 1] as number)],
    reps: [3, 3, 3, 3, 0, 0, 0, 0],
  });

  it("divides by the cheapest single back-end per expression and for the typical one", () => {
    const cells = [
      cell("treewalk", "e01", [10, 20]),
      cell("js", "e01", [100, 40]),
      cell("auto", "e01", [20, 20]),
      cell("treewalk", "e02", [40, 80]),
      cell("js", "e02", [100, 10]),
      cell("auto", "e02", [40, 20]),
    ];
    const m = summariseMeasured(
      TOTAL_NS,
      ["treewalk", "js", "auto"],
      ["treewalk", "js"],
      cells,
      1000,
    );
    expect(m.ns).toEqual([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(m.measuredUpTo).toBe(1000);
    expect(m.typical.map((t) => t.engine)).toEqual(["treewalk", "js", "auto"]);
    expect(m.typical[0]?.totalUs[0]).toBeCloseTo(20, 12);
    expect(m.auto.map((a) => a.engine)).toEqual(["auto"]);
    const [atOne, atTen] = m.auto[0]?.points ?? [];
    // n = 1: treewalk cheapest on both; auto 2× on e01, 1× on e02.
    expect(atOne).toMatchObject({ n: 1, cheapest: "treewalk", cheapestCounts: { treewalk: 2 } });
    expect(atOne?.geomeanRatio).toBeCloseTo(Math.SQRT2, 12);
    expect(atOne?.typicalRatio).toBeCloseTo(Math.sqrt(800) / 20, 12);
    expect(atOne?.perExpr).toEqual([
      { expr: "e01", ratio: 2, cheapest: "treewalk" },
      { expr: "e02", ratio: 1, cheapest: "treewalk" },
    ]);
    // n = 10: treewalk cheapest on e01 (20 < 40), js on e02 (10 < 80); typical js (20 < 40).
    expect(atTen).toMatchObject({ n: 10, cheapest: "js", cheapestCounts: { treewalk: 1, js: 1 } });
    expect(atTen?.geomeanRatio).toBeCloseTo(Math.sqrt(1 * 2), 12);
    expect(atTen?.typicalRatio).toBeCloseTo(20 / 20, 12);
  });

  it("compares only expressions every engine has, and has no auto line without single back-ends", () => {
    const cells = [
      cell("treewalk", "e01", [10]),
      cell("auto", "e01", [20]),
      cell("treewalk", "e02", [10]),
    ];
    const m = summariseMeasured(TOTAL_NS, ["treewalk", "auto"], ["treewalk"], cells, 100);
    expect(m.auto[0]?.points[0]?.perExpr.map((p) => p.expr)).toEqual(["e01"]);
    expect(summariseMeasured(TOTAL_NS, ["auto"], [], [cell("auto", "e01", [1])], 100).auto).toEqual(
      [],
    );
  });
});

describe("--total-ns", () => {
  it("times the n given, with the repetitions of an n that size, and extrapolates past them", () => {
    expect(parseOptions(["--total-ns", "300,1,30"]).totalNs).toEqual([300, 1, 30]);
    expect(parseOptions([]).totalNs).toBeUndefined();
    expect(() => parseOptions(["--total-ns", "0"])).toThrow("--total-ns needs a positive integer");
    expect(measuredAt([300, 1, 30, 30], false)).toMatchObject({
      ns: [1, 30, 300],
      reps: [41, 41, 25],
    });
    expect(measuredAt([1, 1e6], true)).toMatchObject({ ns: [1, 1e6], reps: [3, 3] });
    expect(measuredColumns([1, 3, 10, 30])).toEqual([1, 3, 10, 30, 100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(measuredColumns([1, 1e7])).toEqual([1, 1e7]);
  });
});

describe("--auto-thresholds", () => {
  it("parses whole call counts and refuses others", () => {
    expect(parseOptions(["--auto-thresholds", "16, 64,16,0"]).autoThresholds).toEqual([16, 64, 0]);
    expect(parseOptions([]).autoThresholds).toEqual([]);
    expect(() => parseOptions(["--auto-thresholds", "16,x"])).toThrow(
      "--auto-thresholds needs whole call counts, 0 or more, not 'x'",
    );
    expect(() => parseOptions(["--auto-thresholds", "1.5"])).toThrow("not '1.5'");
    expect(() => parseOptions(["--auto-thresholds", "-1"])).toThrow("not '-1'");
  });

  it("adds an engine auto@T compiled with those thresholds, whatever --engines picks", async () => {
    const engines = await pickEngines(["js"], [16]);
    expect(engines.map((e) => e.id)).toEqual(["baseline", "js", "auto@16"]);
    const variant = engines[2]!;
    expect(variant).toMatchObject({
      label: "exprjit auto, threshold 16",
      backend: "auto",
      thresholds: [16],
      exact: true,
      timesCompile: true,
    });
    const built = variant.build("x + y", {} as never);
    try {
      expect(built.at(1, 2)).toBe(3);
    } finally {
      built.dispose();
    }
  });
});

describe("a tiny run with the measured total", () => {
  it("puts the measured totals in results.json, the terminal, the report and the charts", async () => {
    const options = {
      ...parseOptions([
        "--quick",
        "--engines",
        "treewalk,js,auto",
        "--auto-thresholds",
        "8",
        "--exprs",
        "1,17",
        "--phases",
        "compile,evaluate,total",
      ]),
      samples: 1,
      targetMs: 0.05,
    };
    const results = await runBench(options, makeProgress());
    const m = results.total?.measured;
    expect(m).toBeDefined();
    if (m === undefined) return;
    // JSON round trip: what results.json holds.
    const json = JSON.parse(JSON.stringify(results)) as BenchResults;
    expect(json.total?.measured).toEqual(m);
    expect(json.engines.find((e) => e.id === "auto@8")).toEqual({
      id: "auto@8",
      label: "exprjit auto, threshold 8",
      kind: "exprjit",
      backend: "auto",
      entry: "fn",
      thresholds: [8],
    });
    expect(m.ns).toEqual([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(m.measuredUpTo).toBe(1000);
    expect(m.engines).toEqual(["treewalk", "js", "auto", "auto@8"]);
    expect(m.singles).toEqual(["treewalk", "js"]);
    expect(m.cells.map((c) => `${c.engine} ${c.expr}`).sort()).toEqual([
      "auto e01",
      "auto e17",
      "auto@8 e01",
      "auto@8 e17",
      "js e01",
      "js e17",
      "treewalk e01",
      "treewalk e17",
    ]);
    for (const c of m.cells) {
      expect(c.reps).toEqual([3, 3, 3, 3, 0, 0, 0, 0]);
      expect(c.totalUs).toHaveLength(8);
      expect(c.totalUs.every((us) => us > 0)).toBe(true);
    }
    expect(m.typical.map((t) => t.engine)).toEqual(m.engines);
    expect(m.auto.map((a) => a.engine)).toEqual(["auto", "auto@8"]);
    for (const a of m.auto) {
      expect(a.points.map((p) => p.n)).toEqual(m.ns);
      for (const p of a.points) {
        expect(p.geomeanRatio).toBeGreaterThan(0);
        expect(p.typicalRatio).toBeGreaterThan(0);
        expect(m.singles).toContain(p.cheapest);
        expect(p.perExpr.map((x) => x.expr)).toEqual(["e01", "e17"]);
        expect(Object.values(p.cheapestCounts).reduce((s, k) => s + k, 0)).toBe(2);
      }
    }
    expect(results.run.seconds["total (measured)"]).toBeGreaterThanOrEqual(0);
    // The model cannot describe a tiered engine: auto is only in the measured totals.
    expect(results.total?.curves.map((c) => c.engine)).toEqual(["baseline", "treewalk", "js"]);
    expect(results.total?.breakEven.map((b) => [b.cheaper, b.faster].sort())).toEqual([
      ["js", "treewalk"],
    ]);

    const text = renderTerminal(results);
    expect(text).toContain(
      "Total cost, measured: µs for a fresh compile + n calls of fn (typical expression)",
    );
    expect(text).toContain("auto ÷ cheapest single back-end (measured total)");
    expect(text).toMatch(/\nauto@8: geomean of per-expression ratios +[\d.]+×/);
    expect(text).toContain(
      "Total cost, modelled: µs for compile + n × steady-state evaluation (typical expression)",
    );
    const charts = await renderCharts(results);
    expect(charts.map((c) => c.file)).toEqual([
      "eval.svg",
      "compile.svg",
      "total.svg",
      "total-auto.svg",
      "total-model.svg",
    ]);
    for (const chart of charts) expect(chart.svg.startsWith("<svg")).toBe(true);
    const total = charts.find((c) => c.file === "total.svg")?.svg ?? "";
    expect(total).toContain("Total cost, measured: fresh compile + n calls (log-log)");
    expect(total).toContain("exprjit auto");
    const report = renderReport(results, charts);
    expect(report).toContain(
      "| engine | n=1 | n=10 | n=100 | n=1e3 | n=1e4* | n=1e5* | n=1e6* | n=1e7* |",
    );
    expect(report).toContain("### auto ÷ cheapest single back-end per expression (measured total)");
    expect(report).toContain("![total cost vs n, measured](total.svg)");
    const sentences = measuredSentences(results);
    expect(sentences).toHaveLength(3);
    expect(sentences[0]).toMatch(
      /^Measured total \(fresh compile \+ n calls; \* extrapolated past n = 1,000\): auto ÷ the cheapest single back-end \(treewalk, js\), geometric mean over the workload, at n = 1 [\d.]+×, .*\. Worst [\d.]+× at n = [\d,.* M]+ \(cheapest there: (treewalk|js)\), (within|over) the 1\.25× target\.$/,
    );
    expect(sentences[1]).toMatch(/^Worst single expression for auto: e(01|17) at n = /);
    expect(sentences[2]).toMatch(
      /^Other thresholds \(--auto-thresholds\), worst measured ratio over n: auto@8 [\d.]+× at n = /,
    );
    for (const s of sentences) expect(report).toContain(`- ${s}`);
  });
});
