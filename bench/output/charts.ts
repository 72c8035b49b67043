/**
 * The report's charts, drawn by a charting library: each chart is a
 * Vega-Lite spec, compiled to Vega and rendered headless to SVG (a Vega
 * View with renderer "none", then `toSVG()`).
 *
 * - eval.svg: ns per evaluation per engine (bars: geometric mean; ticks:
 *   each expression), log scale.
 * - compile.svg: µs to compile per engine, log scale.
 * - total.svg: compile + n × evaluate against n, log-log, with the
 *   break-evens between exprjit back-ends marked.
 * - batch.svg: ns per row of a batch against its row count, log-log.
 */

import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { BenchResults } from "../results.js";
import { totalUs } from "../stats.js";
import { batchSpec } from "./batch.js";
import { labeller, orderedEngines } from "./sections.js";

/** One rendered chart. */
export interface Chart {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const KIND_NAMES = { baseline: "hand-written JS", exprjit: "exprjit", peer: "peer" } as const;

/** Every chart the results allow. */
export async function renderCharts(results: BenchResults): Promise<Chart[]> {
  const specs: { file: string; title: string; spec: TopLevelSpec | undefined }[] = [
    { file: "eval.svg", title: "ns per evaluation", spec: evalSpec(results) },
    { file: "compile.svg", title: "compile µs", spec: compileSpec(results) },
    { file: "total.svg", title: "total cost vs n", spec: totalSpec(results) },
    { file: "batch.svg", title: "batch ns per row vs n", spec: batchSpec(results) },
  ];
  const charts: Chart[] = [];
  for (const { file, title, spec } of specs) {
    if (spec !== undefined) charts.push({ file, title, svg: await toSvg(spec) });
  }
  return charts;
}

/** Vega-Lite → Vega → headless View → SVG text. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function kindOf(results: BenchResults): (id: string) => string {
  const kinds = new Map(results.engines.map((e) => [e.id, KIND_NAMES[e.kind]]));
  return (id) => kinds.get(id) ?? "";
}

function evalSpec(results: BenchResults): TopLevelSpec | undefined {
  const cells = results.evaluate;
  if (cells === undefined || cells.length === 0) return undefined;
  const label = labeller(results);
  const kind = kindOf(results);
  const bars = results.summary
    .filter((s) => s.evalNs !== undefined)
    .map((s) => ({
      engine: label(s.engine),
      kind: kind(s.engine),
      ns: s.evalNs,
      layer: "geomean",
    }));
  const ticks = cells.map((c) => ({
    engine: label(c.engine),
    ns: c.ns,
    expr: c.expr,
    layer: "expr",
  }));
  const order = bars.sort((a, b) => (a.ns ?? 0) - (b.ns ?? 0)).map((b) => b.engine);
  const floor = logFloor(ticks.map((t) => t.ns));
  return {
    $schema: SCHEMA,
    title: {
      text: "Evaluation: ns per evaluation (log scale)",
      subtitle: `bar: geometric mean over ${results.expressions.length} expressions; tick: one expression`,
    },
    width: 520,
    data: { values: [...bars, ...ticks] },
    encoding: engineAxes(order, "ns", floor, "ns per evaluation"),
    layer: [
      {
        transform: [{ filter: "datum.layer === 'geomean'" }],
        mark: { type: "bar" },
        // A log scale has no zero: bars start at the axis' lower end.
        encoding: {
          x2: { datum: floor },
          color: { field: "kind", type: "nominal", title: "engine" },
        },
      },
      {
        transform: [{ filter: "datum.layer === 'expr'" }],
        mark: { type: "tick", color: "#333", opacity: 0.5, thickness: 1 },
      },
      {
        transform: [{ filter: "datum.layer === 'geomean'" }],
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: { text: { field: "ns", type: "quantitative", format: ".3~r" } },
      },
    ],
  };
}

/** Engines down the side in `order`, a quantity on a log scale along the bottom from `floor`. */
function engineAxes(order: string[], field: string, floor: number, title: string) {
  return {
    y: {
      field: "engine",
      type: "nominal" as const,
      sort: order,
      title: null,
      axis: { labelLimit: 320 },
    },
    x: {
      field,
      type: "quantitative" as const,
      scale: { type: "log" as const, domainMin: floor },
      title,
    },
  };
}

function compileSpec(results: BenchResults): TopLevelSpec | undefined {
  const label = labeller(results);
  const kind = kindOf(results);
  const bars = results.summary
    .filter((s) => s.compileUs !== undefined)
    .map((s) => ({ engine: label(s.engine), kind: kind(s.engine), us: s.compileUs }));
  if (bars.length === 0) return undefined;
  const order = [...bars].sort((a, b) => (a.us ?? 0) - (b.us ?? 0)).map((b) => b.engine);
  const floor = logFloor(bars.map((b) => b.us));
  return {
    $schema: SCHEMA,
    title: {
      text: "Compile: µs from source to first result (log scale)",
      subtitle: "geometric mean over the workload",
    },
    width: 520,
    data: { values: bars },
    encoding: engineAxes(order, "us", floor, "µs per compile"),
    layer: [
      {
        mark: "bar",
        encoding: {
          x2: { datum: floor },
          color: { field: "kind", type: "nominal", title: "engine" },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: { text: { field: "us", type: "quantitative", format: ".3~r" } },
      },
    ],
  };
}

/** The power of ten at or below the smallest value: where log-scale bars start. */
function logFloor(values: readonly (number | undefined)[]): number {
  const positive = values.filter((v): v is number => v !== undefined && v > 0);
  return positive.length === 0 ? 1 : 10 ** Math.floor(Math.log10(Math.min(...positive)));
}

/** n from 1 to 10^7, four points a decade, so curves bend smoothly on log axes. */
const DENSE_N = Array.from({ length: 29 }, (_, i) => 10 ** (i / 4));

function totalSpec(results: BenchResults): TopLevelSpec | undefined {
  const total = results.total;
  if (total === undefined) return undefined;
  const label = labeller(results);
  const kind = kindOf(results);
  const shown = new Set(orderedEngines(results).map((e) => e.id));
  const cost = new Map<string, { compileNs: number; evalNs: number }>();
  for (const c of total.curves)
    cost.set(c.engine, { compileNs: c.compileUs * 1000, evalNs: c.evalNs });
  const lines = [...cost]
    .filter(([id]) => shown.has(id))
    .flatMap(([id, c]) =>
      DENSE_N.map((n) => ({ engine: label(id), kind: kind(id), n, us: totalUs(c, n) })),
    );
  const kinds = new Map(results.engines.map((e) => [e.id, e.kind]));
  const marks = total.breakEven
    .filter(
      (b) =>
        b.n !== undefined &&
        kinds.get(b.cheaper) === "exprjit" &&
        kinds.get(b.faster) === "exprjit",
    )
    .filter((b) => (b.n as number) >= 1 && (b.n as number) <= 1e7)
    .map((b) => ({
      n: b.n as number,
      us: totalUs(cost.get(b.faster) as { compileNs: number; evalNs: number }, b.n as number),
      pair: `${b.faster} = ${b.cheaper}`,
    }))
    .sort((a, b) => a.n - b.n)
    // Break-evens often bunch together: stagger the labels upwards (in data units, the axis being log).
    .map((m, i) => ({ ...m, labelUs: m.us * 2.4 ** (1 + (i % 6)) }));
  return {
    $schema: SCHEMA,
    title: {
      text: "Total cost: compile + n evaluations (log-log)",
      subtitle: [
        "typical expression (geometric means); dots: break-evens between exprjit back-ends;",
        "hand-written JS compiles nothing, so its line starts below 1 µs",
      ],
    },
    width: 560,
    height: 360,
    layer: [
      {
        data: { values: lines },
        mark: { type: "line", strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: "n", type: "quantitative", scale: { type: "log" }, title: "evaluations n" },
          y: {
            field: "us",
            type: "quantitative",
            scale: { type: "log", domainMin: 1 },
            title: "total µs",
          },
          strokeDash: { field: "kind", type: "nominal", title: null },
          color: {
            field: "engine",
            type: "nominal",
            title: null,
            scale: { scheme: "category10" },
            legend: { labelLimit: 320 },
          },
        },
      },
      {
        data: { values: marks },
        mark: { type: "point", filled: true, color: "black", size: 40 },
        encoding: {
          x: { field: "n", type: "quantitative" },
          y: { field: "us", type: "quantitative" },
          tooltip: { field: "pair", type: "nominal" },
        },
      },
      {
        data: { values: marks },
        mark: { type: "text", align: "right", dx: -3, fontSize: 9 },
        encoding: {
          x: { field: "n", type: "quantitative" },
          y: { field: "labelUs", type: "quantitative" },
          text: { field: "pair", type: "nominal" },
        },
      },
      {
        data: { values: marks },
        mark: { type: "rule", color: "#888", strokeWidth: 0.5 },
        encoding: {
          x: { field: "n", type: "quantitative" },
          y: { field: "us", type: "quantitative" },
          y2: { field: "labelUs" },
        },
      },
    ],
  };
}
