/**
 * `--compare OLD NEW`: two results files side by side, NEW/OLD per cell
 * (below 1 means NEW is faster), so a change can be judged against the
 * last run. Only cells present in both files are compared.
 */

import { renderText, type Table } from "./output/format.js";
import type { BenchResults } from "./results.js";
import { geomean } from "./stats.js";

/** The comparison as plain text. */
export function compareResults(older: BenchResults, newer: BenchResults): string {
  const tables = [
    summaryComparison(older, newer),
    matrix("ns per evaluation, NEW/OLD", older.evaluate, newer.evaluate, (c) => c.ns),
    matrix("ratio to hand-written JS, NEW/OLD", older.evaluate, newer.evaluate, (c) => c.ratio),
    matrix("compile µs, NEW/OLD", older.compile, newer.compile, (c) => c.us),
    matrix("front end ns (total), NEW/OLD", feCells(older), feCells(newer), (c) => c.ns),
  ].filter((t): t is Table => t !== undefined);
  const head = `NEW/OLD per cell (< 1: NEW faster). OLD ${older.run.date}, NEW ${newer.run.date}.`;
  return `${[head, ...tables.map(renderText)].join("\n\n")}\n`;
}

/**
 * Per engine: the geometric mean of NEW/OLD over the expressions both runs
 * measured (comparing each run's own geometric mean would mix workloads
 * when the two runs picked different expressions).
 */
function summaryComparison(older: BenchResults, newer: BenchResults): Table {
  const rows = newer.engines
    .filter((e) => older.engines.some((o) => o.id === e.id))
    .map((e) => {
      const ns = pairedRatio(older.evaluate, newer.evaluate, e.id, (c) => c.ns);
      const ratio = pairedRatio(older.evaluate, newer.evaluate, e.id, (c) => c.ratio);
      const us = pairedRatio(older.compile, newer.compile, e.id, (c) => c.us);
      return [e.id, String(ns.count), fixed(ns.value), fixed(ratio.value), fixed(us.value)];
    });
  return {
    title: "Per engine: geometric mean of NEW/OLD over the expressions both runs measured",
    headers: ["engine", "expressions", "ns/eval", "× JS", "compile µs"],
    rows,
  };
}

function pairedRatio<C extends Cell>(
  older: readonly C[] | undefined,
  newer: readonly C[] | undefined,
  engine: string,
  value: (cell: C) => number,
): { value: number; count: number } {
  const ratios: number[] = [];
  for (const n of newer ?? []) {
    if (n.engine !== engine) continue;
    const o = older?.find((c) => c.engine === engine && c.expr === n.expr);
    if (o !== undefined && value(o) > 0) ratios.push(value(n) / value(o));
  }
  return { value: geomean(ratios), count: ratios.length };
}

function fixed(value: number): string {
  return Number.isNaN(value) ? "—" : value.toFixed(2);
}

interface Cell {
  readonly engine: string;
  readonly expr: string;
}

/** Per expression × engine: NEW/OLD of `value` over the cells of one phase. */
function matrix<C extends Cell>(
  title: string,
  older: readonly C[] | undefined,
  newer: readonly C[] | undefined,
  value: (cell: C) => number,
): Table | undefined {
  if (older === undefined || newer === undefined) return undefined;
  const engines = [...new Set(newer.map((c) => c.engine))].filter((id) =>
    older.some((c) => c.engine === id),
  );
  const exprs = [...new Set(newer.map((c) => c.expr))].filter((id) =>
    older.some((c) => c.expr === id),
  );
  const find = (cells: readonly C[], engine: string, expr: string) => {
    const cell = cells.find((c) => c.engine === engine && c.expr === expr);
    return cell === undefined ? undefined : value(cell);
  };
  const rows = exprs.map((expr) => [
    expr,
    ...engines.map((engine) => quotient(find(newer, engine, expr), find(older, engine, expr))),
  ]);
  return { title, headers: ["expr", ...engines], rows };
}

/** The front end's per-expression totals as cells of one pseudo-engine. */
function feCells(
  results: BenchResults,
): { engine: string; expr: string; ns: number }[] | undefined {
  return results.frontend?.cells.map((c) => ({ engine: "front end", expr: c.expr, ns: c.totalNs }));
}

function quotient(newer: number | undefined, older: number | undefined): string {
  if (newer === undefined || older === undefined || !(older > 0)) return "—";
  return (newer / older).toFixed(2);
}
