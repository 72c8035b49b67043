/**
 * The shape of a run's results: what the JSON file holds, what the
 * terminal table, the Markdown report and `--compare` read. Every figure
 * of a run lives here, with the machine and versions it was measured on.
 */

import type { AgreementCell } from "./agree.js";
import type { EngineKind } from "./engines.js";

/** Where and how the figures were measured. */
export interface RunInfo {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: {
    readonly os: string;
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGB: number;
  };
  readonly node: string;
  readonly v8: string;
  readonly flags: readonly string[];
  readonly settings: {
    readonly rounds: number;
    readonly samples: number;
    readonly targetMs: number;
  };
  /** Wall-clock seconds each step of the run took. */
  readonly seconds: Readonly<Record<string, number>>;
}

/** An engine as the results name it. */
export interface EngineInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: EngineKind;
  readonly backend?: string;
  /**
   * `fn` / `evaluate(vars)`; `cached`: compile figures only, for an
   * expression compiled before; `reference`: compile figures only, the
   * floor the back-end's compile is compared with (js: bare `new Function`
   * of its generated text).
   */
  readonly entry?: "fn" | "evaluate" | "cached" | "reference";
  /** For an `auto@T` engine (`--auto-thresholds`): the thresholds it was compiled with. */
  readonly thresholds?: readonly number[];
}

/** Front-end cost for one workload expression, ns. */
export interface FrontendCell {
  readonly expr: string;
  readonly lexNs: number;
  readonly parseNs: number;
  readonly resolveNs: number;
  readonly totalNs: number;
}

/** Front-end throughput on the large generated expression. */
export interface FrontendLarge {
  readonly chars: number;
  readonly depth: number;
  readonly lexMBs: number;
  readonly parseMBs: number;
  readonly resolveMBs: number;
  readonly totalMBs: number;
}

/** Phase 1. */
export interface FrontendResult {
  readonly cells: readonly FrontendCell[];
  readonly geomean: Omit<FrontendCell, "expr">;
  readonly large?: FrontendLarge;
}

/** Phase 2: µs from source to a callable (first evaluation included). */
export interface CompileCell {
  readonly engine: string;
  readonly expr: string;
  /** Median over rounds (over fresh processes for first compiles with a disk cache). */
  readonly us: number;
  /** The per-round (or per-process) figures, µs. */
  readonly rounds?: readonly number[];
}

/** Phase 2, wide calls: µs from source to first result for one call with `width` arguments. */
export interface WideCallCell {
  /** The back-end. */
  readonly engine: string;
  readonly width: number;
  /** Median over fresh processes. */
  readonly us: number;
  /** The per-process figures, µs. */
  readonly rounds: readonly number[];
}

/** Phase 2, wide calls: how compile time grows with the width of one call. */
export interface WideCallsResult {
  /** The function called (`hypot`). */
  readonly fn: string;
  readonly widths: readonly number[];
  readonly cells: readonly WideCallCell[];
}

/** Phase 3: ns per evaluation, and the ratio to the baseline of the same round (medians over rounds). */
export interface EvalCell {
  readonly engine: string;
  readonly expr: string;
  readonly ns: number;
  readonly ratio: number;
  /** The per-round medians, ns. */
  readonly rounds: readonly number[];
}

/** Per-engine summary over the workload (geometric means). */
export interface EngineSummary {
  readonly engine: string;
  readonly evalNs?: number;
  readonly evalRatio?: number;
  readonly compileUs?: number;
}

/** Phase 4: compile + n × evaluate for the typical (geometric-mean) expression. */
export interface TotalResult {
  readonly ns: readonly number[];
  /** Per engine: the typical cost model and its totals at each `ns`. */
  readonly curves: readonly TotalCurve[];
  readonly breakEven: readonly BreakEven[];
  /** The same totals timed end to end, for the exact exprjit back-ends and `auto`. */
  readonly measured?: MeasuredTotal;
}

/**
 * Phase 4, measured: µs for a fresh compile followed by n calls of `fn`
 * with changing inputs, timed as one piece (V8's warm-up of new code and
 * `auto`'s promotions included), for n = 1 … 10^7. Up to `measuredUpTo`
 * each figure is a median over repetitions; beyond it, the measured total
 * at `measuredUpTo` plus (n − measuredUpTo) × the evaluate phase's ns/eval.
 */
export interface MeasuredTotal {
  /** The n of each column. */
  readonly ns: readonly number[];
  /** The largest n timed; larger ones are extrapolated. */
  readonly measuredUpTo: number;
  /** The engines measured: the exact exprjit back-ends through `fn`, `auto` and its `auto@T` variants. */
  readonly engines: readonly string[];
  /** The back-ends `auto` is compared with (every measured engine but the `auto` ones). */
  readonly singles: readonly string[];
  readonly cells: readonly MeasuredTotalCell[];
  /** Per engine, the typical expression: geometric mean over the workload of its per-expression totals. */
  readonly typical: readonly MeasuredTypical[];
  /** Per `auto` engine: its total over the cheapest single back-end's at each n. */
  readonly auto: readonly AutoVersusSingles[];
}

/** One engine on one expression: total µs at each n, and the repetitions behind each measured figure. */
export interface MeasuredTotalCell {
  readonly engine: string;
  readonly expr: string;
  /** µs at each of {@link MeasuredTotal.ns}. */
  readonly totalUs: readonly number[];
  /** Repetitions timed at each measured n (0 for an extrapolated one). */
  readonly reps: readonly number[];
}

/** One engine's typical-expression totals, µs at each n. */
export interface MeasuredTypical {
  readonly engine: string;
  readonly totalUs: readonly number[];
}

/** An `auto` engine against the single back-ends, at each n. */
export interface AutoVersusSingles {
  readonly engine: string;
  readonly points: readonly AutoPoint[];
}

/** `auto` at one n. */
export interface AutoPoint {
  readonly n: number;
  /** Geometric mean over the workload of (auto's total ÷ the cheapest single back-end's total on that expression). */
  readonly geomeanRatio: number;
  /** auto's typical total ÷ the cheapest single back-end's typical total. */
  readonly typicalRatio: number;
  /** The single back-end with the cheapest typical total. */
  readonly cheapest: string;
  /** How many expressions each single back-end is the cheapest on. */
  readonly cheapestCounts: Readonly<Record<string, number>>;
  /** Per expression: the ratio and the cheapest single back-end there. */
  readonly perExpr: readonly {
    readonly expr: string;
    readonly ratio: number;
    readonly cheapest: string;
  }[];
}

/** One engine's typical cost: µs to compile, ns per evaluation, and the total µs at each n. */
export interface TotalCurve {
  readonly engine: string;
  readonly compileUs: number;
  readonly evalNs: number;
  readonly totalUs: readonly number[];
}

/**
 * Past `n` evaluations, `faster` (dearer to compile, cheaper per evaluation)
 * costs less in total than `cheaper` (cheaper to compile). `n` is undefined
 * when one of the two is never worse. Per expression: `withBreakEven` of
 * the `compared` expressions have a break-even in this direction, and
 * `medianN` is the median of those.
 */
export interface BreakEven {
  readonly cheaper: string;
  readonly faster: string;
  readonly n?: number;
  readonly medianN?: number;
  readonly withBreakEven: number;
  readonly compared: number;
}

/** Phase `optimisations`: the vm's optimisations one at a time, beside treewalk and the baseline. */
export interface OptimisationsResult {
  /** The engines compared, in order: the baseline, treewalk, then each vm step. */
  readonly engines: readonly EngineInfo[];
  /** What each step switches on (the vm compiler's flags it sets), in order. */
  readonly steps: readonly {
    readonly engine: string;
    readonly flags: Readonly<Record<string, boolean>>;
  }[];
  readonly agreement: readonly AgreementCell[];
  readonly compile: readonly CompileCell[];
  readonly evaluate: readonly EvalCell[];
  readonly summary: readonly EngineSummary[];
}

/**
 * Phase 5: ns per row of one batch. Engines: `baseline` (the hand-written
 * loop), `<backend>/batch`, `<backend>/parallel-<workers>`, `numexpr-<threads>`.
 */
export interface BatchCell {
  readonly engine: string;
  readonly expr: string;
  /** Rows in the batch. */
  readonly n: number;
  /** Median over rounds. */
  readonly nsPerRow: number;
  /** Over the baseline loop at the same n, median over rounds. */
  readonly ratio: number;
}

/** Phase 5 per engine and n: geometric means over the expressions it ran. */
export interface BatchSummary {
  readonly engine: string;
  readonly n: number;
  readonly nsPerRow: number;
  readonly ratio: number;
  readonly exprs: number;
}

/** Phase 5. */
export interface BatchResult {
  /** The row counts measured. */
  readonly ns: readonly number[];
  readonly cells: readonly BatchCell[];
  readonly summary: readonly BatchSummary[];
  /** What was left out, and why (numexpr's constant expression, …). */
  readonly notes: readonly string[];
}

/** A workload expression as the results name it. */
export interface ExpressionInfo {
  readonly id: string;
  readonly source: string;
  /** The hand-written JS twin. */
  readonly baseline: string;
  /** Peer id → the text it was given, where its dialect differs. */
  readonly dialects?: Readonly<Record<string, string>>;
}

/** Everything one run produced. */
export interface BenchResults {
  readonly schema: 1;
  readonly run: RunInfo;
  readonly engines: readonly EngineInfo[];
  readonly expressions: readonly ExpressionInfo[];
  readonly agreement: readonly AgreementCell[];
  readonly frontend?: FrontendResult;
  readonly compile?: readonly CompileCell[];
  readonly wideCalls?: WideCallsResult;
  readonly evaluate?: readonly EvalCell[];
  readonly summary: readonly EngineSummary[];
  readonly total?: TotalResult;
  readonly optimisations?: OptimisationsResult;
  readonly batch?: BatchResult;
  /** Phases or parts not measured, and why. */
  readonly skipped: readonly string[];
}
