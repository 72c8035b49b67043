/**
 * Phase 1, the front end: ns per workload expression for lexing, parsing
 * (which lexes too), resolving, and the whole source → Program path; and
 * MB/s for the same steps on the large generated expression.
 */

import { toProgram } from "../../src/api/frontend.js";
import { resolve } from "../../src/semantics/resolve.js";
import type { ProgramSyntax } from "../../src/syntax/ast.js";
import { tokenize } from "../../src/syntax/lexer.js";
import { parseSyntax } from "../../src/syntax/parser.js";
import type { Progress } from "../progress.js";
import type { FrontendCell, FrontendLarge, FrontendResult } from "../results.js";
import { geomean, median } from "../stats.js";
import { measure, type SampleOptions, type Work, warmUp } from "../timing.js";
import type { WorkloadExpr } from "../workload.js";

/** Module-level sink so the measured work is never dead code. */
let sink = 0;

/** The steps measured, each as one unit of work on a source and its syntax tree. */
const STEPS = {
  lexNs: (source: string) => tokenize(source).length,
  parseNs: (source: string) => parseSyntax(source).result.start,
  resolveNs: (source: string, ast: ProgramSyntax) => resolve(ast, source).depth,
  totalNs: (source: string) => toProgram(source).depth,
} as const satisfies Record<string, (source: string, ast: ProgramSyntax) => number>;

type Step = keyof typeof STEPS;

/** One (expression, step) measurement: its work, calibrated repetitions, and per-round medians. */
interface Cell {
  readonly expr: string;
  readonly step: Step;
  readonly work: Work;
  reps?: number;
  readonly ns: number[];
}

/**
 * Runs phase 1. `large` is the generated expression, or undefined to skip
 * throughput. Like phase 3, it measures in rounds (every cell once per
 * round) and keeps the median over rounds, so a burst of load on a shared
 * machine spoils one round of a cell, not the cell.
 */
export function runFrontend(
  workload: readonly WorkloadExpr[],
  large: string | undefined,
  options: SampleOptions & { readonly rounds: number },
  progress: Progress,
): FrontendResult {
  // Every step sees every shape before any clock runs.
  for (const { source } of workload) {
    warmUp(
      () => void (sink ^= toProgram(source).depth + tokenize(source).length),
      options.targetNs * 4,
    );
  }
  const cells = workload.flatMap((expr) => makeCells(expr));
  for (let round = 0; round < options.rounds; round++) {
    cells.forEach((cell, i) => {
      progress.step(
        `front end ${round + 1}/${options.rounds}`,
        `${cell.expr} ${cell.step}`,
        i,
        cells.length,
      );
      // No gc() here: these steps allocate on every call, so collections happen inside every
      // sample anyway, and a forced full collection made later measurements erratic on this
      // kind of machine (code flushed, pages reclaimed), not steadier.
      const m = measure(cell.work, 1, { ...options, gc: false }, cell.reps);
      cell.reps = m.reps;
      cell.ns.push(m.nsPerUnit);
    });
  }
  const rows = workload.map((expr) => {
    const of = (step: Step) =>
      median(cells.find((c) => c.expr === expr.id && c.step === step)?.ns ?? []);
    return {
      expr: expr.id,
      lexNs: of("lexNs"),
      parseNs: of("parseNs"),
      resolveNs: of("resolveNs"),
      totalNs: of("totalNs"),
    };
  });
  const geo = (pick: (c: FrontendCell) => number) => geomean(rows.map(pick));
  const result: FrontendResult = {
    cells: rows,
    geomean: {
      lexNs: geo((c) => c.lexNs),
      parseNs: geo((c) => c.parseNs),
      resolveNs: geo((c) => c.resolveNs),
      totalNs: geo((c) => c.totalNs),
    },
  };
  if (large === undefined) return result;
  progress.step("front end", "large expression", 0, 1);
  return { ...result, large: measureLarge(large, options) };
}

function makeCells(expr: WorkloadExpr): Cell[] {
  const { source } = expr;
  const ast = parseSyntax(source);
  return (Object.keys(STEPS) as Step[]).map((step) => {
    const once = STEPS[step];
    const work: Work = (n) => {
      for (let i = 0; i < n; i++) sink ^= once(source, ast);
    };
    return { expr: expr.id, step, work, ns: [] };
  });
}

/** Throughput on one big input: a few samples of one run each (a run takes milliseconds). */
function measureLarge(source: string, options: SampleOptions): FrontendLarge {
  const ast = parseSyntax(source);
  const depth = resolve(ast, source).depth;
  const few: SampleOptions = { ...options, samples: Math.min(options.samples, 5) };
  const mbs = (ns: number) => source.length / 1e6 / (ns / 1e9);
  const lex = measure(() => void (sink ^= tokenize(source).length), 1, few, 1).nsPerUnit;
  const parse = measure(() => void (sink ^= parseSyntax(source).result.start), 1, few, 1).nsPerUnit;
  const res = measure(() => void (sink ^= resolve(ast, source).depth), 1, few, 1).nsPerUnit;
  const total = measure(() => void (sink ^= toProgram(source).depth), 1, few, 1).nsPerUnit;
  return {
    chars: source.length,
    depth,
    lexMBs: mbs(lex),
    parseMBs: mbs(parse),
    resolveMBs: mbs(res),
    totalMBs: mbs(total),
  };
}

/** The sink's value, so a caller can print or ignore it (keeps the work observable). */
export function frontendSink(): number {
  return sink;
}
