/**
 * The `auto` back-end: interpret first, compile the formulas that turn out
 * to be hot. A compiled expression starts on the cheapest tier to compile
 * (the tree-walk interpreter) and is promoted to faster tiers (js, or wasm
 * where the engine forbids `new Function`) once it has been called as
 * often as each tier's threshold says. Every tier gives the same results
 * (they are all exact back-ends unless the caller lists `native`), so a
 * promotion changes only the speed.
 *
 * `fn` is one function for the expression's whole life. It is a small
 * trampoline: until the last promotion it counts calls and runs the
 * current tier; the last promotion adds the top tier's function to the
 * tier state as a property set once and never changed. V8 treats such a
 * property as a constant, so wherever it inlines the trampoline it inlines
 * the top tier's code through it, and `fn` costs what the top tier's own
 * `fn` costs (docs/benchmarks/REPORT.md measures both).
 *
 * A batch picks its tier by its row count at once: rows count as calls,
 * so a large batch is promoted before it runs. A promotion that fails
 * (a tier that cannot take this program) is recorded and skipped; the
 * expression keeps running on the tier it has.
 */

import type { Backend, BackendName, BatchFn, CompiledCode, EvalFn } from "../backends/backend.js";
import type { Program } from "../semantics/program.js";
import { plural } from "../text/plural.js";

/** What the `backend` option takes: a back-end's name, or `"auto"`. */
export type BackendChoice = BackendName | "auto";

/** Options of the `auto` back-end. */
export interface TierOptions {
  /**
   * The back-ends to run on, in order of promotion (default: `treewalk`
   * then `js`; `treewalk` then `wasm` where `new Function` is forbidden).
   * `native` runs only when listed here.
   */
  readonly tiers?: readonly BackendName[];
  /**
   * For each tier after the first, how many calls (or batch rows) the
   * expression must have had before that tier takes over: non-decreasing
   * whole numbers, one fewer than `tiers`. Default: {@link DEFAULT_THRESHOLD}
   * for the second tier.
   */
  readonly thresholds?: readonly number[];
}

/**
 * Calls after which the default plan leaves the interpreter for the
 * compiled tier. Chosen from the benchmark's measured totals (compile + n
 * calls; docs/benchmarks/REPORT.md, "auto ÷ cheapest single back-end",
 * run with `--auto-thresholds 16,32,64,128,256`): just past the threshold
 * auto has paid for the interpreted calls and the js compile both, about
 * twice what the cheapest back-end paid. At 16, 32 or 64 that peak falls
 * on n = 100, where interpreting is cheapest; at 128 and 256 it falls
 * between the decades, and the two do equally well beyond; 128 gives
 * the compiled code to the formulas that need it sooner.
 */
export const DEFAULT_THRESHOLD = 128;

/** A tier that took over, or failed to, and when. */
export interface Promotion {
  /** The back-end. */
  readonly tier: BackendName;
  /** Calls (and batch rows) the expression had had when it was compiled for this tier. */
  readonly at: number;
  /** Why this tier could not take the program, if it could not. */
  readonly failed?: string;
}

/** The tiers and thresholds a compile runs with, checked (backend-set.ts makes it). */
export interface TierPlan {
  readonly tiers: readonly Backend[];
  readonly thresholds: readonly number[];
}

/** Beyond this many variables the trampoline takes rest parameters (slower, but any arity). */
const FIXED_ARITY = 8;

/**
 * Compiled code that moves through tiers. Its `fn` is built once; see the
 * file comment for how it stays as fast as the top tier's.
 */
export class TieredCode implements CompiledCode {
  readonly fn: EvalFn;
  /**
   * The top tier's `fn`, added (never reassigned) when no promotion is
   * left. Declared, not initialised: it must not exist before then.
   */
  declare readonly top?: EvalFn;

  /** Calls and batch rows so far. */
  private count = 0;
  /** The count past which the next promotion is due. */
  private nextAt: number;
  /** Index in `plan.tiers` of the last tier tried. */
  private reached = 0;
  /** Index in `plan.tiers` of the tier running now. */
  private running = 0;
  /** The code running now. */
  private current: CompiledCode;
  /** Its `fn`, read on every call until the last promotion. */
  private currentFn: EvalFn;
  /** Its batch entry, once built. */
  private currentBatch: BatchFn | undefined;
  private readonly codes: CompiledCode[] = [];
  private readonly record: Promotion[];

  constructor(
    private readonly program: Program,
    private readonly plan: TierPlan,
    private readonly build: (backend: Backend, program: Program) => CompiledCode,
  ) {
    const first = plan.tiers[0] as Backend;
    this.current = build(first, program);
    this.codes.push(this.current);
    this.currentFn = this.current.fn;
    this.record = [{ tier: first.name, at: 0 }];
    this.nextAt = plan.thresholds[0] ?? Number.POSITIVE_INFINITY;
    this.fn = trampoline(this, program.variables.length);
    if (plan.tiers.length === 1) this.settle();
  }

  /** The back-end running now. */
  get tier(): BackendName {
    return (this.plan.tiers[this.running] as Backend).name;
  }

  /** Every tier that took over (or failed to), in order, the first at 0 calls. */
  get promotions(): readonly Promotion[] {
    return this.record;
  }

  /** The tiers in promotion order and the thresholds between them. */
  get tiers(): TierPlan {
    return this.plan;
  }

  /** One call before the last promotion: counts, promotes when due, runs the current tier. */
  step(
    a?: number,
    b?: number,
    c?: number,
    d?: number,
    e?: number,
    f?: number,
    g?: number,
    h?: number,
  ): number {
    if (++this.count > this.nextAt) this.promote(this.count - 1);
    return this.currentFn(
      a as number,
      b as number,
      c as number,
      d as number,
      e as number,
      f as number,
      g as number,
      h as number,
    );
  }

  /** {@link step} for more than eight variables. */
  stepMany(values: readonly number[]): number {
    if (++this.count > this.nextAt) this.promote(this.count - 1);
    return this.currentFn(...values);
  }

  /** Counts `rows` calls at once, promoting as due, and returns the entry for a batch of them. */
  private batchFor(rows: number): BatchFn | undefined {
    const before = this.count;
    this.count += rows;
    if (this.count > this.nextAt) this.promote(before);
    if (this.currentBatch === undefined && this.current.batch !== undefined) {
      this.currentBatch = this.current.batch();
    }
    return this.currentBatch;
  }

  batch(): BatchFn {
    return (columns, out) => {
      const batch = this.batchFor(out.length);
      if (batch !== undefined) return batch(columns, out);
      const fn = this.currentFn;
      const values = new Array<number>(columns.length);
      for (let row = 0; row < out.length; row++) {
        for (let slot = 0; slot < columns.length; slot++) {
          values[slot] = (columns[slot] as Float64Array)[row] as number;
        }
        out[row] = fn(...values);
      }
    };
  }

  /**
   * Compiles every tier whose threshold the count has passed; the last that
   * compiles runs. `before`: the calls had before the one (or the batch)
   * that made the promotion due.
   */
  private promote(before: number): void {
    const { tiers, thresholds } = this.plan;
    while (this.reached + 1 < tiers.length && this.count > (thresholds[this.reached] as number)) {
      this.reached++;
      const backend = tiers[this.reached] as Backend;
      try {
        const code = this.build(backend, this.program);
        this.codes.push(code);
        this.current = code;
        this.currentFn = code.fn;
        this.currentBatch = undefined;
        this.running = this.reached;
        this.record.push({ tier: backend.name, at: before });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.record.push({ tier: backend.name, at: before, failed: reason });
      }
    }
    this.nextAt =
      this.reached + 1 < tiers.length
        ? (thresholds[this.reached] as number)
        : Number.POSITIVE_INFINITY;
    if (this.nextAt === Number.POSITIVE_INFINITY) this.settle();
  }

  /** No promotion is left: the current tier becomes the trampoline's constant target. */
  private settle(): void {
    (this as { top?: EvalFn }).top = this.currentFn;
  }

  /** What runs now and how it got there, then the current tier's artefact. */
  dump(): string {
    return `${this.story()}\n\n${this.current.dump()}`;
  }

  dumpBatch(): string {
    return this.current.dumpBatch?.() ?? this.current.dump();
  }

  get how(): string {
    const how = this.current.how;
    return how === undefined ? this.story() : `${this.story()}; ${how}`;
  }

  /** `auto: treewalk → js after 128 calls; treewalk from the start, js from call 129`. */
  private story(): string {
    const { tiers, thresholds } = this.plan;
    const steps = tiers
      .map((tier, i) =>
        i === 0 ? tier.name : `${tier.name} after ${plural(thresholds[i - 1] as number, "call")}`,
      )
      .join(" → ");
    const history = this.record
      .map((p, i) =>
        p.failed !== undefined
          ? `${p.tier} failed at call ${p.at + 1} (${p.failed})`
          : i === 0
            ? `${p.tier} from the start`
            : `${p.tier} from call ${p.at + 1}`,
      )
      .join(", ");
    return `auto: ${steps}; ${history}`;
  }

  dispose(): void {
    for (const code of this.codes) code.dispose();
  }
}

/**
 * The expression's one `fn`: reads the top tier's function, once the last
 * promotion has added it, or takes the counting step. Arguments are passed
 * through as they come (extra ones are ignored by every tier's `fn`).
 */
function trampoline(state: TieredCode, arity: number): EvalFn {
  if (arity > FIXED_ARITY) {
    return (...values: number[]): number => {
      const top = state.top;
      return top !== undefined ? top(...values) : state.stepMany(values);
    };
  }
  return (
    a: number,
    b: number,
    c: number,
    d: number,
    e: number,
    f: number,
    g: number,
    h: number,
  ): number => {
    const top = state.top;
    return top !== undefined ? top(a, b, c, d, e, f, g, h) : state.step(a, b, c, d, e, f, g, h);
  };
}
