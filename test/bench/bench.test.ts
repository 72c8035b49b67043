/**
 * The benchmark suite's own tests: the workload's hand-written baselines
 * agree with the reference interpreter, the large expression fits the
 * limits, the arithmetic of break-evens and statistics, option parsing,
 * the agreement check, and a tiny end-to-end run through every output
 * (table, report, charts, comparison). Speed is never asserted.
 */

import { describe, expect, it } from "vitest";
import { checkAgreement, isFailure, relativeError } from "../../bench/agree.js";
import { compareResults } from "../../bench/compare.js";
import type { Engine } from "../../bench/engines.js";
import { parseOptions } from "../../bench/options.js";
import { renderCharts } from "../../bench/output/charts.js";
import { count, num } from "../../bench/output/format.js";
import { cheapestSentence, renderReport } from "../../bench/output/report.js";
import { renderTerminal } from "../../bench/output/terminal.js";
import { makeLoop, rotate } from "../../bench/phases/evaluate.js";
import { runTotal } from "../../bench/phases/total.js";
import { makeProgress } from "../../bench/progress.js";
import { pickExpressions, runBench } from "../../bench/run.js";
import { breakEven, geomean, median } from "../../bench/stats.js";
import { makeInputs, makeLargeExpression, WORKLOAD } from "../../bench/workload.js";
import { compile, resolveProgram } from "../../src/index.js";

const inputs = makeInputs();

describe("workload", () => {
  it("has 17 expressions with unique ids", () => {
    expect(WORKLOAD.map((x) => x.id)).toEqual(
      Array.from({ length: 17 }, (_, i) => `e${String(i + 1).padStart(2, "0")}`),
    );
  });

  it.each(WORKLOAD)("$id: the hand-written baseline is bit-identical to treewalk", (expr) => {
    const compiled = compile(expr.source, { backend: "treewalk" });
    for (let i = 0; i < inputs.xs.length; i++) {
      const x = inputs.xs[i] as number;
      const y = inputs.ys[i] as number;
      const want = compiled.evaluate({ x, y });
      expect(Object.is(expr.baseline(x, y), want)).toBe(true);
    }
  });

  it.each(WORKLOAD)("$id: the baseline's text computes what its function does", (expr) => {
    const fromText = new Function(
      "x",
      "y",
      `const { sin, cos, sqrt, abs, min, max, PI } = Math; return ${expr.baselineText};`,
    ) as (x: number, y: number) => number;
    for (let i = 0; i < inputs.xs.length; i++) {
      const x = inputs.xs[i] as number;
      const y = inputs.ys[i] as number;
      expect(Object.is(fromText(x, y), expr.baseline(x, y))).toBe(true);
    }
  });

  it("makes the same inputs every time, in [0.5, 2.5)", () => {
    const again = makeInputs();
    expect(again.xs).toEqual(inputs.xs);
    expect(again.ys).toEqual(inputs.ys);
    expect(inputs.xs.length).toBe(1024);
    expect(Math.min(...inputs.xs, ...inputs.ys)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...inputs.xs, ...inputs.ys)).toBeLessThan(2.5);
  });

  it("makes a large expression of about 1 MB within the default limits", () => {
    const large = makeLargeExpression();
    expect(large.length).toBeGreaterThan(900_000);
    expect(large.length).toBeLessThanOrEqual(1_000_000);
    const program = resolveProgram(large);
    expect(program.depth).toBeLessThan(100);
    expect(program.variables).toEqual(["x", "y"]);
  });
});

describe("statistics and cost arithmetic", () => {
  it("takes medians and geometric means", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(geomean([1, 100])).toBeCloseTo(10, 12);
    expect(geomean([1, 0])).toBeNaN();
  });

  it("finds the break-even of two cost models", () => {
    // 1000 ns + 10 ns/eval against 5000 ns + 2 ns/eval: equal at n = 500.
    expect(breakEven({ compileNs: 1000, evalNs: 10 }, { compileNs: 5000, evalNs: 2 })).toEqual({
      cheaper: 0,
      n: 500,
    });
    expect(breakEven({ compileNs: 5000, evalNs: 2 }, { compileNs: 1000, evalNs: 10 })).toEqual({
      cheaper: 1,
      n: 500,
    });
    // Cheaper to compile and no slower: never overtaken.
    expect(breakEven({ compileNs: 1000, evalNs: 2 }, { compileNs: 5000, evalNs: 3 })).toEqual({
      cheaper: 0,
    });
  });

  it("tabulates totals and break-evens per pair, with the baseline at zero compile", () => {
    const compileCells = [
      { engine: "a", expr: "e01", us: 1 },
      { engine: "b", expr: "e01", us: 5 },
    ];
    const evalCells = [
      { engine: "a", expr: "e01", ns: 10, ratio: 10, rounds: [10] },
      { engine: "b", expr: "e01", ns: 2, ratio: 2, rounds: [2] },
      { engine: "baseline", expr: "e01", ns: 1, ratio: 1, rounds: [1] },
    ];
    const total = runTotal(["baseline", "a", "b"], new Set(["baseline"]), compileCells, evalCells);
    expect(total.ns).toEqual([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    const a = total.curves.find((c) => c.engine === "a");
    expect(a?.totalUs[2]).toBeCloseTo(1 + (100 * 10) / 1000, 12);
    expect(total.curves.find((c) => c.engine === "baseline")?.totalUs[0]).toBeCloseTo(0.001, 12);
    expect(total.breakEven).toEqual([
      { cheaper: "a", faster: "b", n: 500, medianN: 500, withBreakEven: 1, compared: 1 },
    ]);
  });

  it("names the cheapest back-end for each range of n", () => {
    const curve = (engine: string, compileUs: number, evalNs: number) => ({
      engine,
      compileUs,
      evalNs,
      totalUs: [],
    });
    const engine = (id: string) => ({
      id,
      label: id,
      kind: "exprjit" as const,
      entry: "fn" as const,
    });
    const results = {
      engines: [engine("a"), engine("b"), engine("c")],
      total: {
        ns: [],
        breakEven: [],
        curves: [curve("a", 1, 10), curve("b", 5, 2), curve("c", 100, 3)],
      },
    } as unknown as Parameters<typeof cheapestSentence>[0];
    expect(cheapestSentence(results)).toBe(
      "Cheapest exprjit back-end in total (model, typical expression): a for n = 1 to 499, b from n = 500 on.",
    );
    // One both cheaper to compile and faster per evaluation is the cheapest from the first evaluation.
    const dominated = {
      ...results,
      total: { ns: [], breakEven: [], curves: [curve("a", 1, 10), curve("b", 0.5, 2)] },
    } as unknown as Parameters<typeof cheapestSentence>[0];
    expect(cheapestSentence(dominated)).toBe(
      "Cheapest exprjit back-end in total (model, typical expression): b from n = 1 on.",
    );
  });

  it("formats figures without exponents", () => {
    expect(num(1234567.8)).toBe("1,234,568");
    expect(num(12.345)).toBe("12.3");
    expect(num(0.01234)).toBe("0.012");
    expect(num(undefined)).toBe("—");
    expect(count(undefined)).toBe("never");
    expect(count(2_500_000)).toBe("2.50 M");
  });
});

describe("options", () => {
  it("has quick defaults and lists", () => {
    const o = parseOptions([
      "--quick",
      "--engines",
      "js, peers",
      "--exprs",
      "4,e17",
      "--phases",
      "evaluate",
    ]);
    expect(o.quick).toBe(true);
    expect(o.rounds).toBe(1);
    expect(o.engines).toEqual(["js", "peers"]);
    expect(o.exprs).toEqual(["4", "e17"]);
    expect([...o.phases]).toEqual(["evaluate"]);
    expect(parseOptions([]).rounds).toBe(7);
    expect([...parseOptions(["--quick"]).phases]).toEqual([
      "frontend",
      "compile",
      "evaluate",
      "total",
      "optimisations",
      "batch",
    ]);
    expect(parseOptions(["--full"]).full).toBe(true);
    expect(parseOptions(["--compare", "a.json", "b.json"])).toMatchObject({
      mode: "compare",
      compare: ["a.json", "b.json"],
    });
  });

  it("rejects what it does not know", () => {
    expect(() => parseOptions(["--fast"])).toThrow("unknown option '--fast'");
    expect(() => parseOptions(["--phases", "batches"])).toThrow("unknown phase 'batches'");
    expect(() => parseOptions(["--rounds", "0"])).toThrow("positive integer");
    expect(() => parseOptions(["--out"])).toThrow("--out needs a value");
    expect(() => pickExpressions(["e99"])).toThrow("unknown expression 'e99'");
    expect(pickExpressions(["4", "e17"]).map((x) => x.id)).toEqual(["e04", "e17"]);
  });
});

/** An engine that computes `wrong(x, y)` instead of the formula. */
function fakeEngine(wrong: (x: number, y: number) => number): Engine {
  return {
    id: "fake",
    label: "fake",
    kind: "exprjit",
    exact: true,
    timesCompile: true,
    text: (expr) => expr.source,
    build: () => ({ target: wrong, call: "t(x, y)", scope: {}, at: wrong, dispose() {} }),
  };
}

describe("agreement check", () => {
  const e05 = WORKLOAD[4]!;

  it("reports a disagreeing engine, with the first difference", () => {
    const cell = checkAgreement(
      fakeEngine((x, y) => e05.baseline(x, y) + 1e-3),
      e05,
      inputs.xs,
      inputs.ys,
    );
    expect(cell.status).toBe("differs");
    expect(cell.detail).toMatch(/^x=.* y=.*: expected .*, got /);
    expect(isFailure(cell, undefined)).toBe(true);
  });

  it("calls a last-place difference close, a failure only for an engine that promises exactness", () => {
    const engine = fakeEngine((x, y) => e05.baseline(x, y) * (1 + 2 ** -52));
    const cell = checkAgreement(engine, e05, inputs.xs, inputs.ys);
    expect(cell.status).toBe("close");
    expect(isFailure(cell, engine)).toBe(true);
    expect(isFailure(cell, { ...engine, exact: false })).toBe(false);
  });

  it("reports a throwing engine as an error", () => {
    const cell = checkAgreement(
      fakeEngine(() => {
        throw new Error("boom");
      }),
      e05,
      inputs.xs,
      inputs.ys,
    );
    expect(cell).toMatchObject({ status: "error", detail: "boom" });
  });

  it("measures relative error, NaN against NaN being equal", () => {
    expect(relativeError(Number.NaN, Number.NaN)).toBe(0);
    expect(relativeError(1, Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    expect(relativeError(2, 3)).toBeCloseTo(1 / 3, 12);
  });
});

describe("measuring loops", () => {
  it("sums every evaluation over the inputs", () => {
    const loop = makeLoop("js", "e01", "t(y, x)");
    const f = (y: number, x: number) => y - 2 * x;
    let want = 0;
    for (let r = 0; r < 2; r++)
      for (let i = 0; i < inputs.xs.length; i++) want += f(inputs.ys[i]!, inputs.xs[i]!);
    expect(loop(f, {}, inputs.xs, inputs.ys, 2)).toBe(want);
  });

  it("rotates the engine order", () => {
    expect(rotate(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(rotate(["a", "b", "c"], 4)).toEqual(["b", "c", "a"]);
  });
});

describe("a tiny end-to-end run", () => {
  it("checks, times, and renders the table, report, charts and comparison", async () => {
    const options = {
      ...parseOptions(["--quick", "--engines", "treewalk,treewalk/evaluate", "--exprs", "1,17"]),
      samples: 1,
      targetMs: 0.05,
    };
    const results = await runBench(
      { ...options, phases: new Set(["compile", "evaluate", "total"] as const) },
      makeProgress(),
    );
    expect(results.agreement.map((a) => `${a.engine} ${a.expr} ${a.status}`)).toEqual([
      "treewalk e01 exact",
      "treewalk e17 exact",
      "treewalk/evaluate e01 exact",
      "treewalk/evaluate e17 exact",
    ]);
    expect(results.evaluate?.map((c) => `${c.engine} ${c.expr}`).sort()).toEqual([
      "baseline e01",
      "baseline e17",
      "treewalk e01",
      "treewalk e17",
      "treewalk/evaluate e01",
      "treewalk/evaluate e17",
    ]);
    expect(results.evaluate?.every((c) => c.ns > 0 && c.ratio > 0)).toBe(true);
    expect(results.compile?.map((c) => c.engine)).toEqual(["treewalk", "treewalk"]);
    expect(results.wideCalls?.fn).toBe("hypot");
    expect(results.wideCalls?.cells.map((c) => `${c.engine} ${c.width}`)).toEqual([
      "treewalk 125",
      "treewalk 250",
      "treewalk 500",
      "treewalk 1000",
    ]);
    expect(results.wideCalls?.cells.every((c) => c.us > 0 && c.rounds.length === 1)).toBe(true);
    expect(results.total?.curves.map((c) => c.engine)).toEqual(["baseline", "treewalk"]);
    expect(results.skipped).toContain("batch: not selected (--phases)");

    const text = renderTerminal(results);
    expect(text).toContain("Summary (geometric means over the workload)");
    expect(text).toContain("exprjit treewalk evaluate(vars)");
    expect(text).toMatch(/\nengine +125 +250 +500 +1,000 +1,000 \/ 500\n/);
    const charts = await renderCharts(results);
    expect(charts.map((c) => c.file)).toEqual([
      "eval.svg",
      "compile.svg",
      "total.svg",
      "total-model.svg",
    ]);
    for (const chart of charts) expect(chart.svg.startsWith("<svg")).toBe(true);
    const report = renderReport(results, charts);
    expect(report).toContain("![ns per evaluation](eval.svg)");
    expect(report).toContain("| e17 | `x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)` |");
    expect(compareResults(results, results)).toContain("1.00");
  });

  it("times js beside bare new Function of its own generated body, and states the ratio", async () => {
    const options = {
      ...parseOptions(["--quick", "--engines", "js", "--exprs", "4,17"]),
      samples: 1,
      targetMs: 0.05,
    };
    const results = await runBench(
      { ...options, phases: new Set(["compile", "evaluate", "total"] as const) },
      makeProgress(),
    );
    expect(results.compile?.map((c) => `${c.engine} ${c.expr}`).sort()).toEqual([
      "js e04",
      "js e17",
      "js/cached e04",
      "js/cached e17",
      "js/new-function e04",
      "js/new-function e17",
    ]);
    expect(results.engines.find((e) => e.id === "js/new-function")?.entry).toBe("reference");
    // Compile-only: no evaluate figures, no total curve.
    expect(results.total?.curves.map((c) => c.engine)).toEqual(["baseline", "js"]);
    const report = renderReport(results, []);
    expect(report).toMatch(
      /Compile against the engine's own compiler alone \(geometric means, source to first result\): js [\d.]+ µs, [\d.]+× bare new Function \(js's generated body\) \([\d.]+ µs\)\./,
    );
    expect(report).toContain("| bare new Function (js's generated body) | — | — |");
  });

  it("switches the vm's optimisations on one at a time, checked and timed like the engines", async () => {
    const options = {
      ...parseOptions(["--quick", "--phases", "optimisations", "--exprs", "1,17"]),
      samples: 1,
      targetMs: 0.05,
    };
    const results = await runBench(options, makeProgress());
    expect(results.evaluate).toBeUndefined();
    expect(results.skipped).toContain("evaluate: not selected (--phases)");
    const o = results.optimisations;
    expect(o?.engines.map((e) => e.id)).toEqual([
      "baseline",
      "treewalk",
      "vm-none",
      "vm+fuse",
      "vm+fuse+jumps",
    ]);
    expect(o?.steps).toEqual([
      { engine: "vm-none", flags: { fuse: false, jumps: false } },
      { engine: "vm+fuse", flags: { fuse: true, jumps: false } },
      { engine: "vm+fuse+jumps", flags: { fuse: true, jumps: true } },
    ]);
    expect(o?.agreement.map((a) => `${a.engine} ${a.expr} ${a.status}`)).toEqual([
      "treewalk e01 exact",
      "treewalk e17 exact",
      "vm-none e01 exact",
      "vm-none e17 exact",
      "vm+fuse e01 exact",
      "vm+fuse e17 exact",
      "vm+fuse+jumps e01 exact",
      "vm+fuse+jumps e17 exact",
    ]);
    expect(o?.evaluate).toHaveLength(10);
    expect(o?.evaluate.every((c) => c.ns > 0 && c.ratio > 0)).toBe(true);
    expect(o?.compile.map((c) => c.engine)).toEqual([
      "treewalk",
      "treewalk",
      "vm-none",
      "vm-none",
      "vm+fuse",
      "vm+fuse",
      "vm+fuse+jumps",
      "vm+fuse+jumps",
    ]);
    expect(o?.summary.every((s) => (s.evalRatio as number) > 0)).toBe(true);

    const text = renderTerminal(results);
    expect(text).toContain("vm optimisations, one at a time (geometric means over the workload)");
    expect(text).toContain("vm + superinstructions + jumps (= vm)");
    // The main agreement check always runs; the phase adds its three vm steps on two expressions.
    expect(text).toContain(
      `All ${results.agreement.length + 6} (engine, expression) pairs are bit-identical`,
    );
    const report = renderReport(results, []);
    expect(report).toMatch(
      /- The vm's optimisations one at a time \(× hand-written JS\): vm, neither [\d.]+×; vm \+ superinstructions [\d.]+×, [\d.]+× faster; vm \+ superinstructions \+ jumps \(= vm\) [\d.]+×, [\d.]+× faster\./,
    );
    expect(report).toContain("| expr | treewalk | vm-none | vm+fuse | vm+fuse+jumps |");
  });
});
