/**
 * The agreement check run before any timing: every engine evaluates every
 * expression on all the inputs and is compared with the hand-written
 * baseline. Disagreement is reported and the pair is left out of the
 * timings; it is never hidden.
 */

import type { Engine } from "./engines.js";
import type { WorkloadExpr } from "./workload.js";

/**
 * `exact`: `Object.is`-identical everywhere; `close`: within 1e-12 relative
 * (a peer's or native code's rounding); `differs`: worse; `unsupported`:
 * the engine cannot express it; `error`: it threw.
 */
export type AgreementStatus = "exact" | "close" | "differs" | "unsupported" | "error";

/** The verdict for one (engine, expression) pair. */
export interface AgreementCell {
  readonly engine: string;
  readonly expr: string;
  readonly status: AgreementStatus;
  /** Largest relative difference seen (0 when exact). */
  readonly maxRelError: number;
  /** The first input where it was not exact, or the error message. */
  readonly detail?: string;
}

/** Relative tolerance for `close`. */
export const CLOSE = 1e-12;

/** Checks one engine on one expression over every input pair. */
export function checkAgreement(
  engine: Engine,
  expr: WorkloadExpr,
  xs: Float64Array,
  ys: Float64Array,
): AgreementCell {
  const base = { engine: engine.id, expr: expr.id };
  const text = engine.text(expr);
  if (text === undefined) return { ...base, status: "unsupported", maxRelError: 0 };
  try {
    const built = engine.build(text, expr);
    try {
      return { ...base, ...compareAll(built.at, expr.baseline, xs, ys) };
    } finally {
      built.dispose();
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ...base, status: "error", maxRelError: Number.NaN, detail: detail ?? "" };
  }
}

function compareAll(
  at: (x: number, y: number) => number,
  expected: (x: number, y: number) => number,
  xs: Float64Array,
  ys: Float64Array,
): { status: AgreementStatus; maxRelError: number; detail?: string } {
  let maxRelError = 0;
  let detail: string | undefined;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const want = expected(x, y);
    const got = at(x, y);
    if (Object.is(want, got)) continue;
    const rel = relativeError(want, got);
    if (rel > maxRelError) maxRelError = rel;
    detail ??= `x=${x} y=${y}: expected ${want}, got ${String(got)}`;
  }
  if (detail === undefined) return { status: "exact", maxRelError: 0 };
  return { status: maxRelError <= CLOSE ? "close" : "differs", maxRelError, detail };
}

/** |a − b| relative to the larger magnitude (or to 1 near zero); Infinity for non-numbers. */
export function relativeError(want: number, got: unknown): number {
  if (typeof got !== "number" || Number.isNaN(got) !== Number.isNaN(want))
    return Number.POSITIVE_INFINITY;
  if (Number.isNaN(got)) return 0;
  return Math.abs(want - got) / Math.max(1, Math.abs(want), Math.abs(got));
}

/**
 * Whether a verdict fails the quick pass: anything that differs or throws,
 * and any inexactness in an exprjit back-end that promises exact results.
 */
export function isFailure(cell: AgreementCell, engine: Engine | undefined): boolean {
  if (cell.status === "differs" || cell.status === "error") return true;
  return cell.status === "close" && engine?.kind !== "peer" && engine?.exact === true;
}

/** Whether a pair may be timed. */
export function isTimeable(cell: AgreementCell): boolean {
  return cell.status === "exact" || cell.status === "close";
}

/** Every engine but the baseline, on every expression, against the baseline. */
export function checkAll(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  inputs: { readonly xs: Float64Array; readonly ys: Float64Array },
): AgreementCell[] {
  return engines
    .filter((e) => e.kind !== "baseline")
    .flatMap((engine) =>
      workload.map((expr) => checkAgreement(engine, expr, inputs.xs, inputs.ys)),
    );
}

/** The pairs that may be timed: the baseline, and every pair that agreed with it. */
export function timeableFrom(
  agreement: readonly AgreementCell[],
): (engine: Engine, expr: WorkloadExpr) => boolean {
  const verdict = new Map(agreement.map((c) => [`${c.engine} ${c.expr}`, c]));
  return (engine, expr) => {
    if (engine.kind === "baseline") return true;
    const cell = verdict.get(`${engine.id} ${expr.id}`);
    return cell !== undefined && isTimeable(cell);
  };
}
