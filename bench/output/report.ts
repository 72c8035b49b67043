/**
 * The Markdown report (REPORT.md): the run's key figures as sentences
 * computed from the numbers, the same headline figures from runs on other
 * Node versions beside them (`--beside`), the charts, every table, the
 * workload, the method and what was not measured.
 */

import path from "node:path";
import type { BenchResults, EngineSummary } from "../results.js";
import { breakEven, totalUs } from "../stats.js";
import { batchExpressionTable, batchSentences, batchTable } from "./batch.js";
import type { Chart } from "./charts.js";
import { AUTO_TARGET, count, num, renderMarkdown, type Table, times } from "./format.js";
import { HEADLINE_PREFIX, headlineSentence } from "./headline.js";
import { policySentence } from "./policy.js";
import {
  agreementTable,
  autoExpressionTable,
  autoVersusTable,
  breakEvenTable,
  compileTable,
  frontendTables,
  measuredTotalTable,
  nsTable,
  optimisationsRatioTable,
  optimisationsTable,
  orderedEngines,
  ratioTable,
  speedupTable,
  summaryTable,
  totalTable,
  wideCallsTable,
} from "./sections.js";

/** A run on another Node version, shown beside this one. */
export interface BesideRun {
  /** The results.json it was read from (the report names its file). */
  readonly file: string;
  readonly results: BenchResults;
}

/**
 * The report for `results`, linking `charts` (written beside it), with the
 * headline figures of `beside` (runs on other Node versions) next to its own.
 */
export function renderReport(
  results: BenchResults,
  charts: readonly Chart[],
  beside: readonly BesideRun[] = [],
): string {
  const tables: (Table | undefined)[] = [
    summaryTable(results),
    speedupTable(results),
    ratioTable(results),
    ratioTable(results, true),
    nsTable(results),
    compileTable(results),
    wideCallsTable(results),
    measuredTotalTable(results),
    autoVersusTable(results),
    autoExpressionTable(results),
    totalTable(results),
    breakEvenTable(results, true),
    breakEvenTable(results, false),
    ...frontendTables(results),
    optimisationsTable(results),
    optimisationsRatioTable(results),
    batchTable(results),
    batchExpressionTable(results),
    agreementTable(results),
  ];
  return [
    `# exprjit benchmarks on Node ${results.run.node}`,
    "",
    runLine(results, beside),
    "",
    // The one sentence README.md quotes (bench/output/headline.ts).
    ...headline(results),
    "## Key figures",
    "",
    ...keyFigures(results).map((s) => `- ${s}`),
    "",
    ...nodeSection(results, beside),
    "## Charts",
    "",
    ...charts.map((c) => `![${c.title}](${c.file})\n`),
    "## Tables",
    "",
    ...tables.filter((t) => t !== undefined).map((t) => `${renderMarkdown(t)}\n`),
    workload(results),
    "",
    METHOD,
    "",
    "## Not measured",
    "",
    ...results.skipped.map((s) => `- ${s}`),
    ...(results.batch?.notes ?? []).map((s) => `- ${s}`),
    "",
  ].join("\n");
}

function headline(results: BenchResults): string[] {
  const sentence = headlineSentence(results);
  return sentence === undefined ? [] : [`${HEADLINE_PREFIX}${sentence}`, ""];
}

function runLine(results: BenchResults, beside: readonly BesideRun[]): string {
  const major = (r: BenchResults) => r.run.node.replace(/^v(\d+)\..*$/, "$1");
  const majors = [results, ...beside.map((b) => b.results)].map(major).join(" ");
  const regenerate =
    beside.length === 0
      ? "`npm run bench -- --out docs/benchmarks`"
      : `\`scripts/bench-nodes.sh --out docs/benchmarks ${majors}\``;
  const { run } = results;
  const { machine: m, settings: s } = run;
  return [
    `Run of ${run.date}${run.quick ? " (quick pass: rough figures)" : ""} on ${m.cpu} (${m.cores} cores, ${m.memoryGB} GB), ${m.os};`,
    `Node ${run.node}, V8 ${run.v8}, flags \`${run.flags.join(" ")}\`;`,
    `${s.rounds} round${s.rounds === 1 ? "" : "s"}, ${s.samples} samples of about ${s.targetMs} ms per measurement.`,
    "Absolute times move from run to run on a shared machine; ratios to hand-written JS hold better.",
    `Regenerate with ${regenerate}.`,
  ].join("\n");
}

/**
 * The section comparing Node versions: per engine, the geometric-mean
 * ratio to hand-written JS and the compile cost on this run's Node and on
 * each run beside it. Ratios, not ns, are the comparable figure: each is
 * against hand-written JS on the same Node, in the same round.
 */
export function nodeSection(results: BenchResults, beside: readonly BesideRun[]): string[] {
  if (beside.length === 0) return [];
  const runs = [results, ...beside.map((b) => b.results)];
  const nodes = runs.map((r) => `Node ${r.run.node}`);
  const summary = (r: BenchResults, engine: string) => r.summary.find((s) => s.engine === engine);
  const engines = orderedEngines(results).filter((e) => e.kind !== "baseline");
  const evalRows = engines
    .filter((e) => runs.some((r) => summary(r, e.id)?.evalRatio !== undefined))
    .map((e) => [e.id, ...runs.map((r) => times(summary(r, e.id)?.evalRatio))]);
  const compileRows = engines
    .filter((e) => runs.some((r) => summary(r, e.id)?.compileUs !== undefined))
    .map((e) => [e.id, ...runs.map((r) => num(summary(r, e.id)?.compileUs))]);
  const baseline = runs
    .map((r, i) => `${num(summary(r, "baseline")?.evalNs)} ns on ${nodes[i]}`)
    .join(", ");
  const sources = [
    `${nodes[0]} (V8 ${results.run.v8}): this report's run of ${results.run.date}.`,
    ...beside.map(
      (b, i) => `${nodes[i + 1]} (V8 ${b.results.run.v8}): ${besideSource(results, b)}.`,
    ),
  ];
  const tables: Table[] = [
    {
      title: "Per evaluation on each Node: × hand-written JS",
      note: `Geometric means over the workload; each ratio is against hand-written JS on the same Node in the same round. Hand-written JS itself: ${baseline}.`,
      headers: ["engine", ...nodes],
      rows: evalRows,
    },
    {
      title: "Compile on each Node: µs from source to first result",
      note: "Geometric means over the workload.",
      headers: ["engine", ...nodes],
      rows: compileRows,
    },
  ];
  return [
    "## Node versions side by side",
    "",
    ...sources.map((s) => `- ${s}`),
    "",
    ...tables.filter((t) => t.rows.length > 0).map((t) => `${renderMarkdown(t)}\n`),
  ];
}

/**
 * How far each back-end's compile is from its compile-only reference (js:
 * bare `new Function` of the same generated text): the ratio of geometric
 * means, which is the geometric mean of the per-expression ratios when both
 * ran on the same expressions.
 */
function referenceSentence(results: BenchResults): string | undefined {
  const summary = (id: string) => results.summary.find((s) => s.engine === id)?.compileUs;
  const parts = results.engines
    .filter((e) => e.entry === "reference")
    .flatMap((e) => {
      const floor = summary(e.id);
      const own = e.backend === undefined ? undefined : summary(e.backend);
      if (floor === undefined || own === undefined) return [];
      return [
        `${e.backend} ${duration(own)}, ${times(own / floor)} ${e.label} (${duration(floor)})`,
      ];
    });
  if (parts.length === 0) return undefined;
  return `Compile against the engine's own compiler alone (geometric means, source to first result): ${parts.join("; ")}.`;
}

/** Where a run beside this one comes from, and how it differs in kind. */
function besideSource(results: BenchResults, b: BesideRun): string {
  const { run } = b.results;
  const [here, there] = [results.run.machine, run.machine];
  const sameMachine = here.cpu === there.cpu && here.cores === there.cores;
  return [
    `run of ${run.date}`,
    run.quick === results.run.quick ? "" : run.quick ? " (quick pass)" : " (full run)",
    `, figures in \`${path.basename(b.file)}\``,
    sameMachine ? "" : ` (another machine: ${there.cpu}, ${there.cores} cores)`,
  ].join("");
}

/** The headline sentences, computed from the figures so they never go stale. */
export function keyFigures(results: BenchResults): string[] {
  const kind = new Map(results.engines.map((e) => [e.id, e]));
  const byEval = results.summary
    .filter((s) => s.evalNs !== undefined)
    .sort((a, b) => (a.evalNs as number) - (b.evalNs as number));
  const backends = byEval.filter((s) => kind.get(s.engine)?.entry === "fn");
  const peers = byEval.filter((s) => kind.get(s.engine)?.kind === "peer");
  const lines: string[] = [];
  const fastest = backends[0];
  const base = results.summary.find((x) => x.engine === "baseline");
  if (base?.evalNs !== undefined) {
    lines.push(
      `Hand-written JS takes ${num(base.evalNs)} ns per evaluation (geometric mean, loop included); the ratios below are to it, measured in the same round.`,
    );
  }
  if (fastest !== undefined) {
    const ranking = backends
      .map((s) => `${s.engine} ${num(s.evalNs)} ns (${times(s.evalRatio)})`)
      .join(", ");
    lines.push(`Per evaluation, fastest first (× hand-written JS): ${ranking}.`);
    const slowest = backends[backends.length - 1] as EngineSummary;
    if (slowest !== fastest) {
      lines.push(
        `The fastest back-end, ${fastest.engine}, is ${times(ratio(slowest, fastest))} faster per evaluation than the slowest, ${slowest.engine}.`,
      );
    }
  }
  const policy = policySentence(results);
  if (policy !== undefined) lines.push(policy);
  const checked = byEval.filter((s) => kind.get(s.engine)?.entry === "evaluate");
  if (checked.length > 0) {
    const costs = checked
      .map((s) => `${kind.get(s.engine)?.backend} ${num(s.evalNs)} ns`)
      .join(", ");
    lines.push(`Through checked \`evaluate(vars)\` with an object: ${costs}.`);
  }
  const compiled = results.summary
    .filter((s) => s.compileUs !== undefined && kind.get(s.engine)?.kind === "exprjit")
    .sort((a, b) => (a.compileUs as number) - (b.compileUs as number));
  const first = compiled.filter((s) => kind.get(s.engine)?.entry === "fn");
  const again = compiled.filter((s) => kind.get(s.engine)?.entry === "cached");
  if (first.length > 0) {
    const list = first.map((s) => `${s.engine} ${duration(s.compileUs as number)}`).join(", ");
    lines.push(`Compile cost of a new expression, source to first result: ${list}.`);
  }
  const floor = referenceSentence(results);
  if (floor !== undefined) lines.push(floor);
  if (again.length > 0) {
    const list = again
      .map((s) => `${kind.get(s.engine)?.backend} ${duration(s.compileUs as number)}`)
      .join(", ");
    lines.push(`Compiling the same expression again hits the back-end's cache: ${list}.`);
  }
  lines.push(...measuredSentences(results));
  lines.push(...breakEvenSentences(results));
  const envelope = cheapestSentence(results);
  if (envelope !== undefined) lines.push(envelope);
  const peerCompile = results.summary.filter(
    (s) => s.compileUs !== undefined && kind.get(s.engine)?.kind === "peer",
  );
  if (peerCompile.length > 0) {
    const list = peerCompile
      .map((s) => `${s.engine} ${duration(s.compileUs as number)}`)
      .join(", ");
    lines.push(`The peers compile (parse) in: ${list}.`);
  }
  if (fastest !== undefined && peers.length > 0) {
    const vs = peers
      .map(
        (p) =>
          `${p.engine} ${num(p.evalNs)} ns (${times(p.evalRatio)} JS; ${fastest.engine} is ${times(ratio(p, fastest))} faster)`,
      )
      .join(", ");
    lines.push(`Peers per evaluation: ${vs}.`);
  }
  const fe = results.frontend;
  if (fe !== undefined) {
    const large =
      fe.large === undefined
        ? ""
        : `; ${num(fe.large.totalMBs)} MB/s on a ${num(fe.large.chars / 1e6)} MB expression`;
    lines.push(
      `Front end (lex + parse + resolve): ${num(fe.geomean.totalNs)} ns per workload expression (geometric mean)${large}.`,
    );
  }
  const steps = optimisationsSentence(results);
  if (steps !== undefined) lines.push(steps);
  lines.push(...batchSentences(results));
  return lines;
}

/** What each of the vm's optimisations buys per evaluation, from the optimisations phase. */
function optimisationsSentence(results: BenchResults): string | undefined {
  const o = results.optimisations;
  if (o === undefined) return undefined;
  const label = new Map(o.engines.map((e) => [e.id, e.label]));
  const ns = new Map(o.summary.map((s) => [s.engine, s]));
  const parts: string[] = [];
  let before: number | undefined;
  for (const { engine } of o.steps) {
    const s = ns.get(engine);
    if (s?.evalNs === undefined) continue;
    const gain = before === undefined ? "" : `, ${times(before / s.evalNs)} faster`;
    parts.push(`${label.get(engine)} ${times(s.evalRatio)}${gain}`);
    before = s.evalNs;
  }
  if (parts.length === 0) return undefined;
  return `The vm's optimisations one at a time (× hand-written JS): ${parts.join("; ")}.`;
}

function breakEvenSentences(results: BenchResults): string[] {
  const kind = new Map(results.engines.map((e) => [e.id, e.kind]));
  const pairs = (results.total?.breakEven ?? []).filter(
    (b) => kind.get(b.cheaper) === "exprjit" && kind.get(b.faster) === "exprjit",
  );
  if (pairs.length === 0) return [];
  const paying = pairs
    .filter((b) => b.n !== undefined)
    .map((b) => `${b.faster} overtakes ${b.cheaper} after ${count(b.n)}`);
  const never = pairs
    .filter((b) => b.n === undefined)
    .map((b) => `${b.cheaper} beats ${b.faster} at every n`);
  const lines: string[] = [];
  if (paying.length > 0)
    lines.push(`Break-even (model, typical expression, evaluations): ${paying.join("; ")}.`);
  if (never.length > 0)
    lines.push(
      `No break-even (model; cheaper both to compile and per evaluation): ${never.join("; ")}.`,
    );
  return lines;
}

/**
 * Which exprjit back-end is cheapest in total over n (the lower envelope of
 * the typical-expression cost lines), as ranges of n.
 */
export function cheapestSentence(results: BenchResults): string | undefined {
  const fn = new Set(results.engines.filter((e) => e.entry === "fn").map((e) => e.id));
  const costs = (results.total?.curves ?? [])
    .filter((c) => fn.has(c.engine))
    .map((c) => ({ engine: c.engine, compileNs: c.compileUs * 1000, evalNs: c.evalNs }));
  if (costs.length < 2) return undefined;
  let n = 1;
  let current = costs.reduce((a, b) => (totalUs(b, 1) < totalUs(a, 1) ? b : a));
  const parts: string[] = [];
  for (;;) {
    // The next engine to overtake the current one: the earliest crossing past n.
    let next: { at: number; cost: (typeof costs)[number] } | undefined;
    for (const c of costs) {
      if (c.evalNs >= current.evalNs) continue;
      // Faster per evaluation: it overtakes at the break-even, or at once if also cheaper to compile.
      const at = Math.max(n, breakEven(current, c).n ?? n);
      if (next === undefined || at < next.at) next = { at, cost: c };
    }
    if (next === undefined) {
      parts.push(`${current.engine} from n = ${count(n)} on`);
      break;
    }
    parts.push(`${current.engine} for n = ${count(n)} to ${count(next.at - 1)}`);
    n = next.at;
    current = next.cost;
  }
  return `Cheapest exprjit back-end in total (model, typical expression): ${parts.join(", ")}.`;
}

/**
 * The measured totals' headline: auto's total over the cheapest single
 * back-end at each n, the worst n, the worst expression, and each
 * `auto@T` variant's worst.
 */
export function measuredSentences(results: BenchResults): string[] {
  const m = results.total?.measured;
  if (m === undefined || m.auto.length === 0) return [];
  const worstOf = (a: (typeof m.auto)[number]) =>
    a.points.reduce((w, p) => (p.geomeanRatio > w.geomeanRatio ? p : w));
  const nText = (n: number) => `${count(n)}${n > m.measuredUpTo ? "*" : ""}`;
  const lines: string[] = [];
  const main = m.auto.find((a) => a.engine === "auto") ?? (m.auto[0] as (typeof m.auto)[number]);
  const list = main.points.map((p) => `${nText(p.n)} ${times(p.geomeanRatio)}`).join(", ");
  const worst = worstOf(main);
  const verdict = worst.geomeanRatio <= AUTO_TARGET ? "within" : "over";
  lines.push(
    `Measured total (fresh compile + n calls; * extrapolated past n = ${count(m.measuredUpTo)}): ${main.engine} ÷ the cheapest single back-end (${m.singles.join(", ")}), geometric mean over the workload, at n = ${list}. Worst ${times(worst.geomeanRatio)} at n = ${nText(worst.n)} (cheapest there: ${worst.cheapest}), ${verdict} the ${times(AUTO_TARGET)} target.`,
  );
  const single = main.points
    .flatMap((p) => p.perExpr.map((x) => ({ ...x, n: p.n })))
    .reduce((w, x) => (x.ratio > w.ratio ? x : w));
  lines.push(
    `Worst single expression for ${main.engine}: ${single.expr} at n = ${nText(single.n)}, ${times(single.ratio)} the cheapest there (${single.cheapest}).`,
  );
  const variants = m.auto.filter((a) => a !== main);
  if (variants.length > 0) {
    const each = variants
      .map((a) => {
        const w = worstOf(a);
        return `${a.engine} ${times(w.geomeanRatio)} at n = ${nText(w.n)}`;
      })
      .join("; ");
    lines.push(`Other thresholds (--auto-thresholds), worst measured ratio over n: ${each}.`);
  }
  return lines;
}

/** µs as µs, or as ms when large. */
function duration(us: number): string {
  return us >= 10_000 ? `${num(us / 1000)} ms` : `${num(us)} µs`;
}

function ratio(slow: EngineSummary, fast: EngineSummary): number {
  return (slow.evalNs as number) / (fast.evalNs as number);
}

function workload(results: BenchResults): string {
  const code = (text: string) => `\`${text.replaceAll("|", "\\|")}\``;
  const rows = results.expressions.map(
    (x) => `| ${x.id} | ${code(x.source)} | ${code(x.baseline)} |`,
  );
  const dialects = results.expressions.flatMap((x) =>
    Object.entries(x.dialects ?? {}).map(([peer, text]) => `| ${x.id} | ${peer} | ${code(text)} |`),
  );
  const dialectPart =
    dialects.length === 0
      ? []
      : [
          "",
          "Peers get their own dialect where it differs (`PI` for `pi`, `and` for `&&`, filtrex's `if … then … else`, fparser's `ifElse`); filtrex is given `pi` as a constant and `sin`/`cos` as extra functions:",
          "",
          "| id | peer | text given |",
          "| --- | --- | --- |",
          ...dialects,
        ];
  return [
    "## Workload",
    "",
    "The ExprTk benchmark set over `x` and `y`, a constant expression and a branchy one; 1024 fixed pseudo-random inputs in [0.5, 2.5).",
    "",
    "| id | exprjit | hand-written JS (the baseline) |",
    "| --- | --- | --- |",
    ...rows,
    ...dialectPart,
  ].join("\n");
}

const METHOD = `## Method

- Every engine is first evaluated on all inputs and compared with the hand-written baseline (\`Object.is\`); a pair that differs is reported above and not timed.
- Each (engine, expression) pair has its own measuring loop, built with \`new Function\` from source text unique to the pair, so the call site stays monomorphic as in a hand-written loop.
- Every pair runs before any timing (each engine's shared code sees every shape); repetitions are calibrated so a sample lasts about the target time; one warm-up sample is discarded; the figure is the median of the samples. \`gc()\` runs before each evaluate measurement (\`--expose-gc\`); front-end and compile measurements allocate on every call, so collections happen inside every sample anyway, and forcing a full collection before each made them erratic here (2–3× slower at random), so they run without it.
- Rounds rotate the engine order; ns figures are medians over rounds, ratios are medians over rounds of the ratio to the baseline measured in the same round, summaries are geometric means over the workload.
- Compile is timed from source text to the first result (lazy compilation included) under \`--no-compilation-cache\` and \`--no-wasm-native-module-cache\` (named \`--no-wasm-native-module-cache-enabled\` before V8 13, Node 24), so V8 serves neither JS nor wasm from its caches, with each compiler already warm; what a sample built is disposed after the clock stops.
- The js back-end's compile is set beside \`js/new-function\`, bare \`new Function\` of the same body: js's own generated JavaScript for the expression (its expression functions, then the body of \`Main\`), made once before the clock, compiled as one \`new Function(builtins…, variables…, body)\` and called once with the captured builtins and the inputs (checked against the baseline). It is what V8 alone costs for that text; js ÷ it is what exprjit adds (front end, code generation, loading, cache, API).
- Peers are called the cheapest honest way: compiled once, evaluated with one reused scope object whose \`x\` and \`y\` are set before each call. exprjit's \`fn\` takes positional numbers in first-appearance order; its \`evaluate(vars)\` takes the same reused object and checks it.
- Total cost, measured (the exact exprjit back-ends through \`fn\`, \`auto\` and any \`auto@T\`): one clock around a fresh compile of an expression the engine has not cached (the js cache, which auto's promotion also goes through, cleared first) and n calls with the workload's changing inputs, through a calling loop built for that repetition with \`new Function\` from unique text and run once with n = 0 before the clock starts (so its call site sees one callee and its own compile is off the clock). Timed for n = 1 … 10^5 (\`--quick\`: up to 10^3), repetitions interleaved over expressions, n and a rotating engine order, figure = median over repetitions; for larger n, extrapolated as the measured total at the largest n timed + the remaining calls × the evaluate phase's ns/eval. The typical expression is the geometric mean over the workload of the per-expression totals; auto's ratio to the cheapest single back-end is the geometric mean over the workload of the per-expression ratios (the cheapest picked per expression). native is not in it (its C compile takes tens of ms): it has the model only.
- Total cost, modelled: compile + n × evaluate from the two phases, with geometric means; the break-evens and the "cheapest back-end" ranges come from this model. auto is not in it: one compile cost and one ns/eval cannot describe a tiered engine.`;
