/**
 * Phase 5 in the outputs: the batch table (terminal and report), the
 * per-expression table (report), the chart (ns per row against n, log-log)
 * and the headline sentences, all from {@link BatchResult}.
 */

import type { TopLevelSpec } from "vega-lite";
import type { BatchResult, BatchSummary, BenchResults } from "../results.js";
import { num, type Table, times } from "./format.js";

/** A batch engine's label: `js/batch` → "exprjit js batch", `numexpr-2` → "numexpr, 2 threads". */
export function batchLabel(id: string): string {
  if (id === "baseline") return "hand-written JS loop";
  const numexpr = /^numexpr-(\d+)$/.exec(id);
  if (numexpr !== null) return `numexpr, ${numexpr[1]} thread${numexpr[1] === "1" ? "" : "s"}`;
  const parallel = /^(\w+)\/parallel-(\d+)(-unshared)?$/.exec(id);
  if (parallel !== null) {
    const [, backend, workers, unshared] = parallel;
    const kind = unshared === undefined ? "" : ", unshared columns";
    return `exprjit ${backend} parallel, ${workers} thread${workers === "1" ? "" : "s"}${kind}`;
  }
  return `exprjit ${id.replace("/", " ")}`;
}

/** Engines in display order: the baseline, exprjit's batches, its parallel runs, numexpr. */
function engineOrder(batch: BatchResult): string[] {
  const rank = (id: string) =>
    id === "baseline" ? 0 : id.endsWith("/batch") ? 1 : id.startsWith("numexpr") ? 3 : 2;
  const ids = [...new Set(batch.cells.map((c) => c.engine))];
  return ids.sort((a, b) => rank(a) - rank(b));
}

const nText = (n: number) => (n >= 1000 ? `1e${Math.round(Math.log10(n))}` : String(n));

/** Per engine: geometric-mean ns per row at each n, and the ratio to the baseline loop. */
export function batchTable(results: BenchResults): Table | undefined {
  const batch = results.batch;
  if (batch === undefined) return undefined;
  const find = (engine: string, n: number) =>
    batch.summary.find((s) => s.engine === engine && s.n === n);
  return {
    title: "Batch throughput: ns per row (× the hand-written JS loop), geometric means",
    note: "evaluateBatch over two Float64Array columns of n rows into a caller's out; parallel: evaluateBatchParallel on SharedArrayBuffer columns, and on ordinary ones (unshared columns); numexpr: a child process on the same inputs.",
    headers: ["engine", ...batch.ns.map((n) => `n=${nText(n)}`)],
    rows: engineOrder(batch).map((engine) => [
      batchLabel(engine),
      ...batch.ns.map((n) => {
        const s = find(engine, n);
        return s === undefined ? "—" : `${num(s.nsPerRow)} (${times(s.ratio)})`;
      }),
    ]),
  };
}

/** Per expression at the largest n: ratio of each engine to the baseline loop. */
export function batchExpressionTable(results: BenchResults): Table | undefined {
  const batch = results.batch;
  if (batch === undefined) return undefined;
  const n = Math.max(...batch.ns);
  const engines = engineOrder(batch).filter((e) => e !== "baseline");
  return {
    title: `Batch per expression at n = ${nText(n)}: × the hand-written JS loop`,
    headers: ["expr", "JS loop ns/row", ...engines],
    rows: results.expressions.map((x) => {
      const cell = (engine: string) =>
        batch.cells.find((c) => c.engine === engine && c.expr === x.id && c.n === n);
      return [x.id, num(cell("baseline")?.nsPerRow), ...engines.map((e) => times(cell(e)?.ratio))];
    }),
  };
}

/** The headline sentences of phase 5, at the largest n measured. */
export function batchSentences(results: BenchResults): string[] {
  const batch = results.batch;
  if (batch === undefined) return [];
  const n = Math.max(...batch.ns);
  const at = batch.summary.filter((s) => s.n === n);
  const base = at.find((s) => s.engine === "baseline");
  if (base === undefined) return [];
  const list = (rows: BatchSummary[]) =>
    rows
      .sort((a, b) => a.nsPerRow - b.nsPerRow)
      .map((s) => `${batchLabel(s.engine)} ${num(s.nsPerRow)} ns (${times(s.ratio)})`)
      .join(", ");
  const lines = [
    `Batch, n = ${nText(n)}: the hand-written JS loop takes ${num(base.nsPerRow)} ns per row; evaluateBatch, fastest first: ${list(at.filter((s) => s.engine.endsWith("/batch")))}.`,
  ];
  const parallel = at.filter((s) => s.engine.includes("/parallel-"));
  if (parallel.length > 0) lines.push(`Parallel batches at n = ${nText(n)}: ${list(parallel)}.`);
  const numexpr = at.filter((s) => s.engine.startsWith("numexpr"));
  if (numexpr.length > 0) lines.push(`numexpr on the same inputs: ${list(numexpr)}.`);
  const overtakes = nativeOvertakes(results, n);
  if (overtakes !== undefined) lines.push(overtakes);
  return lines;
}

/**
 * Where native's batch overtakes js's once compiling is counted: the n at
 * which compile + n rows costs the same, from the compile phase's geometric
 * means (cold: a first compile, the C compiler run; warm: loaded from its
 * cache) and the batch ns per row at `n`.
 */
function nativeOvertakes(results: BenchResults, n: number): string | undefined {
  const batch = results.batch;
  const compileUs = (id: string) => results.summary.find((s) => s.engine === id)?.compileUs;
  const perRow = (id: string) => batch?.summary.find((s) => s.engine === id && s.n === n)?.nsPerRow;
  const js = compileUs("js");
  const jsRow = perRow("js/batch");
  const nativeRow = perRow("native/batch");
  if (js === undefined || jsRow === undefined || nativeRow === undefined) return undefined;
  if (nativeRow >= jsRow) {
    return `native's batch is not faster per row than js's at n = ${nText(n)}: it never overtakes it.`;
  }
  const rows = (us: number | undefined) =>
    us === undefined ? "—" : num(Math.max(0, ((us - js) * 1000) / (jsRow - nativeRow)));
  return `native's batch overtakes js's, compile included, past ${rows(compileUs("native"))} rows cold (the C compiler run) and ${rows(compileUs("native/cached"))} rows warm (loaded from its cache).`;
}

/** ns per row against n, one line per engine, log-log. */
export function batchSpec(results: BenchResults): TopLevelSpec | undefined {
  const batch = results.batch;
  if (batch === undefined || batch.ns.length < 2) return undefined;
  const values = batch.summary.map((s) => ({
    engine: batchLabel(s.engine),
    n: s.n,
    ns: s.nsPerRow,
    kind:
      s.engine === "baseline"
        ? "hand-written JS"
        : s.engine.startsWith("numexpr")
          ? "numexpr"
          : s.engine.includes("/parallel-")
            ? "exprjit parallel"
            : "exprjit",
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: "Batch throughput: ns per row against rows per batch (log-log)",
      subtitle: "geometric means over the workload; lower is faster",
    },
    width: 560,
    height: 360,
    data: { values },
    mark: { type: "line", point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: "n", type: "quantitative", scale: { type: "log" }, title: "rows n" },
      y: { field: "ns", type: "quantitative", scale: { type: "log" }, title: "ns per row" },
      strokeDash: { field: "kind", type: "nominal", title: null },
      color: {
        field: "engine",
        type: "nominal",
        title: null,
        scale: { scheme: "category20" },
        legend: { labelLimit: 320 },
      },
    },
  };
}
