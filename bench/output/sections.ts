/**
 * The tables of a run, built once from {@link BenchResults} and rendered
 * both in the terminal and in the Markdown report.
 */

import type { BenchResults, EngineInfo } from "../results.js";
import { count, num, type Table, times } from "./format.js";

/** Engines in display order: baseline, exprjit back-ends (fn then evaluate), peers. */
export function orderedEngines(results: BenchResults): EngineInfo[] {
  const entryRank = { fn: 1, reference: 2, cached: 3, evaluate: 4 } as const;
  const rank = (e: EngineInfo) =>
    e.kind === "baseline" ? 0 : e.kind === "exprjit" ? entryRank[e.entry ?? "fn"] : 5;
  return [...results.engines].sort((a, b) => rank(a) - rank(b));
}

/** Per engine: geometric-mean ns/eval, ratio to the baseline, compile µs, agreement. */
export function summaryTable(results: BenchResults): Table {
  const rows = orderedEngines(results).map((e) => {
    const s = results.summary.find((x) => x.engine === e.id);
    const agreeId = e.entry === "cached" ? e.backend : e.id;
    const cells = results.agreement.filter((a) => a.engine === agreeId);
    const exact = cells.filter((a) => a.status === "exact").length;
    const agree =
      e.kind === "baseline"
        ? "reference"
        : e.entry === "reference"
          ? "checked at (1.5, 0.75)"
          : `${exact}/${cells.length} exact`;
    const compile = e.kind === "baseline" ? "0 (hand-written)" : num(s?.compileUs);
    return [e.label, num(s?.evalNs), times(s?.evalRatio), compile, agree];
  });
  return {
    title: "Summary (geometric means over the workload)",
    note: "ns/eval: one evaluation with changing inputs; × JS: ratio to hand-written JS measured in the same round; compile: source to first result.",
    headers: ["engine", "ns/eval", "× JS", "compile µs", "agreement"],
    rows,
  };
}

/** Per expression × engine: ratio to the baseline (and the baseline's ns in its own column). */
export function ratioTable(results: BenchResults, checked = false): Table | undefined {
  const cells = results.evaluate;
  if (cells === undefined) return undefined;
  // Either the fast entries and the peers, or exprjit's checked evaluate(vars).
  const engines = orderedEngines(results).filter((e) =>
    checked
      ? e.entry === "evaluate"
      : e.kind !== "baseline" && (e.entry === undefined || e.entry === "fn"),
  );
  if (engines.length === 0) return undefined;
  const rows = results.expressions.map((x) => {
    const base = cells.find((c) => c.engine === "baseline" && c.expr === x.id);
    const ratios = engines.map((e) =>
      times(cells.find((c) => c.engine === e.id && c.expr === x.id)?.ratio),
    );
    return [x.id, num(base?.ns), ...ratios];
  });
  return {
    title: checked
      ? "Evaluate through evaluate(vars): ratio to hand-written JS per expression"
      : "Evaluate: ratio to hand-written JS per expression",
    note: checked
      ? "exprjit's checked entry, called with one reused { x, y } object; same method as above."
      : "Median over rounds of (engine ns / hand-written JS ns in the same round); JS ns is the baseline's ns/eval. exprjit back-ends through the positional fn; peers with a reused scope.",
    headers: ["expr", "JS ns", ...engines.map((e) => e.id)],
    rows,
  };
}

/** Back-ends (and hand-written JS) against each other: how many times faster the row is than the column. */
export function speedupTable(results: BenchResults): Table | undefined {
  const engines = orderedEngines(results).filter((e) => e.kind === "baseline" || e.entry === "fn");
  const ns = new Map(results.summary.map((s) => [s.engine, s.evalNs]));
  const shown = engines.filter((e) => ns.get(e.id) !== undefined);
  if (shown.length < 2) return undefined;
  const rows = shown.map((row) => [
    row.id,
    ...shown.map((col) => times((ns.get(col.id) as number) / (ns.get(row.id) as number))),
  ]);
  return {
    title: "Per evaluation: speed-up of each row over each column",
    note: "From the geometric-mean ns/eval; above 1× the row is faster.",
    headers: ["", ...shown.map((e) => e.id)],
    rows,
  };
}

/** Per expression × engine: ns per evaluation. */
export function nsTable(results: BenchResults): Table | undefined {
  const cells = results.evaluate;
  if (cells === undefined) return undefined;
  const engines = orderedEngines(results).filter(
    (e) => e.entry !== "cached" && e.entry !== "reference",
  );
  return {
    title: "Evaluate: ns per evaluation",
    headers: ["expr", ...engines.map((e) => e.id)],
    rows: byExpression(results, engines, cells, (c) => num(c?.ns)),
  };
}

/** Per expression × engine: compile µs. */
export function compileTable(results: BenchResults): Table | undefined {
  const cells = results.compile;
  if (cells === undefined) return undefined;
  const engines = orderedEngines(results).filter((e) => cells.some((c) => c.engine === e.id));
  const rows = byExpression(results, engines, cells, (c) => num(c?.us));
  return {
    title: "Compile: µs from source to first result",
    note: "Median of samples, compiler warmed up, run with V8's JS and wasm compilation caches off (flags in the heading). A back-end with a compile cache is timed on expressions it has not seen (js: its cache cleared; native: fresh processes with an empty disk cache, so the C compiler runs); `/cached` is compiling the same expression again. `js/new-function` is the floor js is compared with: bare `new Function` of js's own generated text and one call (see Method).",
    headers: ["expr", ...engines.map((e) => e.id)],
    rows,
  };
}

/**
 * Per back-end × width: µs to compile one wide call, and the growth over
 * the last doubling of the width (about 2 when the cost is linear).
 */
export function wideCallsTable(results: BenchResults): Table | undefined {
  const wide = results.wideCalls;
  if (wide === undefined) return undefined;
  const { widths, cells } = wide;
  const engines = [...new Set(cells.map((c) => c.engine))];
  const us = (engine: string, width: number | undefined) =>
    cells.find((c) => c.engine === engine && c.width === width)?.us;
  const last = widths[widths.length - 1];
  const half = widths[widths.length - 2];
  const rows = engines.map((engine) => {
    const top = us(engine, last);
    const below = us(engine, half);
    const growth = top === undefined || below === undefined ? undefined : top / below;
    return [engine, ...widths.map((w) => num(us(engine, w))), times(growth)];
  });
  return {
    title: `Compile: wide calls, µs from source to first result for ${wide.fn}(x, x + 1, …) by number of arguments`,
    note: `Each sample in a fresh process (nothing a width leaves behind, such as a wasm wrapper for its arity or native's disk cache, helps the next sample), median of samples. The last column is the time at ${count(last)} arguments over the time at ${count(half)}: about 2× when compile time grows linearly with the width of the call. A call takes at most 1,000 arguments.`,
    headers: ["engine", ...widths.map((w) => count(w)), `${count(last)} / ${count(half)}`],
    rows,
  };
}

/** Front end: ns per expression for each step, and throughput on the large input. */
export function frontendTables(results: BenchResults): Table[] {
  const fe = results.frontend;
  if (fe === undefined) return [];
  const row = (
    id: string,
    c: { lexNs: number; parseNs: number; resolveNs: number; totalNs: number },
  ) => [id, num(c.lexNs), num(c.parseNs), num(c.resolveNs), num(c.totalNs)];
  const tables: Table[] = [
    {
      title: "Front end: ns per expression",
      note: "parse includes lexing; total = source → Program (lex + parse + resolve).",
      headers: ["expr", "lex", "parse", "resolve", "total"],
      rows: [...fe.cells.map((c) => row(c.expr, c)), row("geomean", fe.geomean)],
    },
  ];
  if (fe.large !== undefined) {
    const l = fe.large;
    tables.push({
      title: "Front end: throughput on a large generated expression",
      note: `${l.chars.toLocaleString("en-US")} characters, a balanced tree of depth ${l.depth}.`,
      headers: ["step", "MB/s"],
      rows: [
        ["lex", num(l.lexMBs)],
        ["parse (with lexing)", num(l.parseMBs)],
        ["resolve", num(l.resolveMBs)],
        ["total (source → Program)", num(l.totalMBs)],
      ],
    });
  }
  return tables;
}

/** A column heading for n: `n=100`, `n=1e5`, marked `*` when extrapolated. */
function nHeading(n: number, extrapolated = false): string {
  const exponent = Math.floor(Math.log10(n));
  const mantissa = n / 10 ** exponent;
  const short = n >= 1000 && Number.isInteger(mantissa) ? `${mantissa}e${exponent}` : String(n);
  const text = `n=${short}`;
  return extrapolated ? `${text}*` : text;
}

/** Total µs for n evaluations of the typical expression, from the cost model. */
export function totalTable(results: BenchResults): Table | undefined {
  const total = results.total;
  if (total === undefined) return undefined;
  const label = labeller(results);
  return {
    title:
      "Total cost, modelled: µs for compile + n × steady-state evaluation (typical expression)",
    note: "Model: compile µs + n × ns/eval from the compile and evaluate phases (geometric means over the workload). It ignores V8's warm-up of new code and cannot represent a tiered engine, so auto is not in it: see the measured table.",
    headers: ["engine", ...total.ns.map((n) => nHeading(n))],
    rows: total.curves.map((c) => [label(c.engine), ...c.totalUs.map(num)]),
  };
}

/** Total µs for a fresh compile + n calls, timed end to end (typical expression). */
export function measuredTotalTable(results: BenchResults): Table | undefined {
  const m = results.total?.measured;
  if (m === undefined) return undefined;
  const label = labeller(results);
  return {
    title: "Total cost, measured: µs for a fresh compile + n calls of fn (typical expression)",
    note: `Each figure: median over repetitions of one clock around compile (its cache cleared) and n calls with changing inputs through a new calling loop; typical expression: geometric mean over the workload of the per-expression totals. * extrapolated: the measured total at n=${nHeading(m.measuredUpTo).slice(2)} + the remaining calls × the evaluate phase's ns/eval.`,
    headers: ["engine", ...m.ns.map((n) => nHeading(n, n > m.measuredUpTo))],
    rows: m.typical.map((t) => [label(t.engine), ...t.totalUs.map(num)]),
  };
}

/** Each auto engine's measured total over the cheapest single back-end's, at each n. */
export function autoVersusTable(results: BenchResults): Table | undefined {
  const m = results.total?.measured;
  if (m === undefined || m.auto.length === 0) return undefined;
  const rows: string[][] = [];
  for (const a of m.auto) {
    rows.push([
      `${a.engine}: geomean of per-expression ratios`,
      ...a.points.map((p) => times(p.geomeanRatio)),
    ]);
    rows.push([
      `${a.engine}: typical ÷ cheapest typical`,
      ...a.points.map((p) => times(p.typicalRatio)),
    ]);
  }
  const first = m.auto[0] as (typeof m.auto)[number];
  rows.push(["cheapest single back-end (typical)", ...first.points.map((p) => p.cheapest)]);
  rows.push([
    "cheapest per expression",
    ...first.points.map((p) =>
      Object.entries(p.cheapestCounts)
        .sort((a, b) => b[1] - a[1])
        .map(([e, k]) => `${e} ${k}`)
        .join(", "),
    ),
  ]);
  return {
    title: "auto ÷ cheapest single back-end (measured total)",
    note: `Measured totals as in the table above; single back-ends: ${m.singles.join(", ")}. Geomean: over the workload, of auto's total ÷ the cheapest single back-end's total on that expression; typical: the ratio of the typical totals. Below 1×, auto beats every single back-end. * extrapolated.`,
    headers: ["", ...m.ns.map((n) => nHeading(n, n > m.measuredUpTo))],
    rows,
  };
}

/** One auto engine's measured ratio to the cheapest single back-end, per expression and n. */
export function autoExpressionTable(results: BenchResults, engine = "auto"): Table | undefined {
  const m = results.total?.measured;
  const a = m?.auto.find((x) => x.engine === engine);
  if (m === undefined || a === undefined) return undefined;
  const rows = (a.points[0]?.perExpr ?? []).map((first) => [
    first.expr,
    ...a.points.map((p) => {
      const here = p.perExpr.find((x) => x.expr === first.expr);
      return here === undefined ? "—" : `${times(here.ratio)} ${here.cheapest}`;
    }),
  ]);
  return {
    title: `${engine} ÷ cheapest single back-end per expression (measured total)`,
    note: "Each cell: the ratio, then the single back-end cheapest on that expression at that n. * extrapolated.",
    headers: ["expr", ...m.ns.map((n) => nHeading(n, n > m.measuredUpTo))],
    rows,
  };
}

/** Break-even n for each pair, exprjit back-ends first. */
export function breakEvenTable(results: BenchResults, backendsOnly: boolean): Table | undefined {
  const total = results.total;
  if (total === undefined) return undefined;
  const kind = new Map(results.engines.map((e) => [e.id, e.kind]));
  const pairs = total.breakEven.filter(
    (b) => !backendsOnly || (kind.get(b.cheaper) === "exprjit" && kind.get(b.faster) === "exprjit"),
  );
  return {
    title: backendsOnly
      ? "Break-even between exprjit back-ends (model)"
      : "Break-even between all engines (model)",
    note: "From the cost model (compile + n × steady-state ns/eval). After n evaluations the engine that costs more to compile but less per evaluation becomes cheaper in total; 'never': the cheaper one to compile is also no slower.",
    headers: [
      "cheaper to compile",
      "faster per evaluation",
      "break-even n (typical)",
      "per expression: median (how many have one)",
    ],
    rows: pairs.map((b) => [
      b.cheaper,
      b.faster,
      count(b.n),
      `${b.medianN === undefined ? "—" : count(b.medianN)} (${b.withBreakEven}/${b.compared})`,
    ]),
  };
}

/** The vm's optimisations one at a time: summary per step, with the speed-up each one adds. */
export function optimisationsTable(results: BenchResults): Table | undefined {
  const o = results.optimisations;
  if (o === undefined) return undefined;
  const steps = new Set(o.steps.map((s) => s.engine));
  let before: number | undefined;
  const rows = o.engines.map((e) => {
    const s = o.summary.find((x) => x.engine === e.id);
    const gain =
      steps.has(e.id) && before !== undefined && s?.evalNs !== undefined
        ? times(before / s.evalNs)
        : "";
    if (steps.has(e.id)) before = s?.evalNs;
    const compile = e.kind === "baseline" ? "0 (hand-written)" : num(s?.compileUs);
    return [e.label, num(s?.evalNs), times(s?.evalRatio), gain, compile];
  });
  return {
    title: "vm optimisations, one at a time (geometric means over the workload)",
    note: "Each step switches on one more exact optimisation of the vm compiler. Superinstructions: an operator reads a leaf operand (variable or constant) itself, so `x * 2` is one MUL_MM. Jumps: `&&`, `||` and `!` in `?:` tests become control flow, a `?:` in tail position returns from each branch, and no BOOL follows an operator whose value is already 0 or 1. Speed-up: over the step before. Measured as the evaluate and compile phases measure.",
    headers: ["engine", "ns/eval", "× JS", "speed-up", "compile µs"],
    rows,
  };
}

/** The vm's optimisation steps per expression: ratio to the baseline. */
export function optimisationsRatioTable(results: BenchResults): Table | undefined {
  const o = results.optimisations;
  if (o === undefined) return undefined;
  const engines = o.engines.filter((e) => e.kind !== "baseline");
  return {
    title: "vm optimisations per expression: ratio to hand-written JS",
    headers: ["expr", ...engines.map((e) => e.id)],
    rows: byExpression(results, engines, o.evaluate, (c) => times(c?.ratio)),
  };
}

/** Every pair that was not bit-identical to the baseline. */
export function agreementTable(results: BenchResults): Table {
  const o = results.optimisations;
  const steps = new Set(o?.steps.map((s) => s.engine));
  // The optimisations phase checks the baseline and treewalk again; only its vm steps are new.
  const cells = [...results.agreement, ...(o?.agreement ?? []).filter((a) => steps.has(a.engine))];
  const odd = cells.filter((a) => a.status !== "exact");
  return {
    title: "Agreement with hand-written JS",
    note:
      odd.length === 0
        ? `All ${cells.length} (engine, expression) pairs are bit-identical to hand-written JS on all inputs.`
        : `${cells.length - odd.length} of ${cells.length} pairs are bit-identical; the others are listed (close: within 1e-12 relative, timed; differs/error/unsupported: not timed).`,
    headers: ["engine", "expr", "status", "max rel. error", "first difference"],
    rows: odd.map((a) => [
      a.engine,
      a.expr,
      a.status,
      a.maxRelError.toExponential(1),
      a.detail ?? "",
    ]),
  };
}

/** One row per expression: its id, then `show` of each engine's cell for it (undefined if none). */
function byExpression<C extends { readonly engine: string; readonly expr: string }>(
  results: BenchResults,
  engines: readonly { readonly id: string }[],
  cells: readonly C[],
  show: (cell: C | undefined) => string,
): string[][] {
  return results.expressions.map((x) => [
    x.id,
    ...engines.map((e) => show(cells.find((c) => c.engine === e.id && c.expr === x.id))),
  ]);
}

/** Maps an engine id to its label. */
export function labeller(results: BenchResults): (id: string) => string {
  const labels = new Map(results.engines.map((e) => [e.id, e.label]));
  return (id) => labels.get(id) ?? id;
}
