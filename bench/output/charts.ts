/**
 * The report's charts, drawn by a charting library: each chart is a
 * Vega-Lite spec, compiled to Vega and rendered headless to SVG (a Vega
 * View with renderer "none", then `toSVG()`).
 *
 * - eval.svg: ns per evaluation per engine (bars: geometric mean; ticks:
 *   each expression), log scale.
 * - compile.svg: µs to compile per engine, log scale.
 * - total.svg: the measured total (fresh compile + n calls) against n,
 *   log-log, for auto and each single exact back-end; the engines not
 *   measured (hand-written JS, native, peers) as dashed model lines.
 * - total-auto.svg: each auto engine's measured total over the cheapest
 *   single back-end against n, with the target marked.
 * - total-model.svg: the model, compile + n × steady-state evaluate, with
 *   the break-evens between exprjit back-ends marked.
 * - batch.svg: ns per row of a batch against its row count, log-log.
 */

import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { BenchResults } from "../results.js";
import { totalUs } from "../stats.js";
import { batchSpec } from "./batch.js";
import { AUTO_TARGET } from "./format.js";
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
    { file: "total.svg", title: "total cost vs n, measured", spec: measuredTotalSpec(results) },
    { file: "total-auto.svg", title: "auto over the cheapest back-end", spec: autoSpec(results) },
    { file: "total-model.svg", title: "total cost vs n, modelled", spec: totalSpec(results) },
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
      text: "Total cost, modelled: compile + n × steady-state evaluation (log-log)",
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

/**
 * The measured totals: one line per measured engine (auto's variants
 * left to total-auto.svg), a dot per n timed, an open circle per n
 * extrapolated; the engines not measured as dashed lines of their model.
 */
function measuredTotalSpec(results: BenchResults): TopLevelSpec | undefined {
  const total = results.total;
  const m = total?.measured;
  if (total === undefined || m === undefined) return undefined;
  const label = labeller(results);
  const variant = new Set(
    results.engines.filter((e) => e.thresholds !== undefined).map((e) => e.id),
  );
  const measured = m.typical
    .filter((t) => !variant.has(t.engine))
    .flatMap((t) =>
      m.ns.map((n, k) => ({
        engine: label(t.engine),
        how: n > m.measuredUpTo ? "extrapolated" : "measured",
        source: "measured",
        n,
        us: t.totalUs[k] as number,
      })),
    );
  const shown = new Set(orderedEngines(results).map((e) => e.id));
  const modelled = total.curves
    .filter((c) => shown.has(c.engine) && !m.engines.includes(c.engine))
    .flatMap((c) => {
      const cost = { compileNs: c.compileUs * 1000, evalNs: c.evalNs };
      return DENSE_N.map((n) => ({
        engine: `${label(c.engine)} (model)`,
        how: "model",
        source: "model: compile + n × ns/eval",
        n,
        us: totalUs(cost, n),
      }));
    });
  const x = {
    field: "n",
    type: "quantitative" as const,
    scale: { type: "log" as const },
    title: "calls n",
  };
  const y = {
    field: "us",
    type: "quantitative" as const,
    scale: { type: "log" as const, domainMin: 1 },
    title: "total µs",
  };
  const color = {
    field: "engine",
    type: "nominal" as const,
    title: null,
    scale: { scheme: "category10" },
    legend: { labelLimit: 320 },
  };
  return {
    $schema: SCHEMA,
    title: {
      text: "Total cost, measured: fresh compile + n calls (log-log)",
      subtitle: [
        `typical expression (geometric mean of per-expression totals); dots: measured medians; circles: extrapolated past n = ${m.measuredUpTo.toLocaleString("en-US")}`,
        "with the evaluate phase's ns/eval; dashed: engines not measured, drawn from the cost model",
      ],
    },
    width: 560,
    height: 360,
    layer: [
      {
        data: { values: [...measured, ...modelled] },
        mark: { type: "line", strokeWidth: 1.5, clip: true },
        encoding: {
          x,
          y,
          color,
          strokeDash: { field: "source", type: "nominal", title: null },
        },
      },
      ...[true, false].map((filled) => ({
        data: { values: measured },
        transform: [{ filter: `datum.how ${filled ? "===" : "!=="} 'measured'` }],
        mark: { type: "point" as const, size: 30, clip: true, filled },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: "engine", type: "nominal" as const },
            { field: "n", type: "quantitative" as const },
            { field: "us", type: "quantitative" as const, format: ".3~r" },
            { field: "how", type: "nominal" as const },
          ],
        },
      })),
    ],
  };
}

/** Each auto engine's measured total over the cheapest single back-end (geomean over the workload) against n. */
function autoSpec(results: BenchResults): TopLevelSpec | undefined {
  const m = results.total?.measured;
  if (m === undefined || m.auto.length === 0) return undefined;
  const points = m.auto.flatMap((a) =>
    a.points.map((p) => ({
      engine: a.engine,
      n: p.n,
      ratio: p.geomeanRatio,
      cheapest: p.cheapest,
      how: p.n > m.measuredUpTo ? "extrapolated" : "measured",
    })),
  );
  const x = {
    field: "n",
    type: "quantitative" as const,
    scale: { type: "log" as const },
    title: "calls n",
  };
  const y = {
    field: "ratio",
    type: "quantitative" as const,
    scale: { type: "log" as const },
    title: "auto ÷ cheapest single back-end",
  };
  const color = {
    field: "engine",
    type: "nominal" as const,
    title: null,
    scale: { scheme: "category10" },
  };
  return {
    $schema: SCHEMA,
    title: {
      text: "auto's measured total over the cheapest single back-end",
      subtitle: [
        `geometric mean over the workload of per-expression ratios; circles: extrapolated past n = ${m.measuredUpTo.toLocaleString("en-US")};`,
        `rule: the ${AUTO_TARGET}× target; below 1, auto beats every single back-end (${m.singles.join(", ")})`,
      ],
    },
    width: 560,
    height: 300,
    layer: [
      {
        data: { values: points },
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: { x, y, color },
      },
      ...[true, false].map((filled) => ({
        data: { values: points },
        transform: [{ filter: `datum.how ${filled ? "===" : "!=="} 'measured'` }],
        mark: { type: "point" as const, size: 30, filled },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: "engine", type: "nominal" as const },
            { field: "n", type: "quantitative" as const },
            { field: "ratio", type: "quantitative" as const, format: ".3~r" },
            { field: "cheapest", type: "nominal" as const },
          ],
        },
      })),
      {
        data: { values: [{ ratio: AUTO_TARGET }, { ratio: 1 }] },
        mark: { type: "rule", color: "#888", strokeDash: [4, 3] },
        encoding: { y: { field: "ratio", type: "quantitative" } },
      },
    ],
  };
}
