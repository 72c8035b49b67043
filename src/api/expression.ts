/**
 * The compiled object every entry point returns: input checking over the
 * back-end's fast entry (inputs.ts), and the promotion of a hot
 * expression's `evaluate` to its own generated entry (accessor.ts).
 * Batches go through its {@link BatchDispatch}.
 */

import type { BackendName, CompiledCode, EvalFn } from "../backends/backend.js";
import type { Program } from "../semantics/program.js";
import { type CheckedEntry, generateAccessor } from "./accessor.js";
import { type BackendChoice, type Promotion, TieredCode } from "./auto.js";
import type { BatchColumns, BatchOptions } from "./batch.js";
import type { Compiled, ParallelBatchOptions } from "./compiled.js";
import { BatchDispatch } from "./dispatch.js";
import { collectValues, isRecord, ownValue, type Vars } from "./inputs.js";
import type { ParallelPlumbing } from "./parallel-load.js";
import type { Request } from "./request.js";

/**
 * Checked calls of `evaluate` after which an expression gets its own
 * generated entry (accessor.ts): generating one costs about as much as a
 * few hundred calls through the generic path, so only expressions called
 * that often pay for it.
 */
export const ACCESSOR_AFTER = 128;

/** The public face of compiled code: input checking over the back-end's fast entry. */
export class CompiledExpression implements Compiled {
  readonly source: string;
  readonly variables: readonly string[];
  readonly backend: BackendChoice;
  readonly fn: EvalFn;
  declare readonly evaluate: (vars?: Vars) => number;

  /** Calls of the generic `evaluate` so far (see {@link ACCESSOR_AFTER}). */
  private checkedCalls = 0;
  /** Where batches go. */
  private readonly batches: BatchDispatch;
  /**
   * The expression's generated entry, added (never reassigned) after
   * {@link ACCESSOR_AFTER} calls; declared, not initialised, so it does
   * not exist before.
   */
  declare readonly generated?: CheckedEntry;

  constructor(
    request: Request,
    private readonly program: Program,
    private readonly code: CompiledCode,
    parallel: ParallelPlumbing,
  ) {
    this.source = program.source;
    this.variables = program.variables;
    this.backend = request.engine === "auto" ? "auto" : request.engine.name;
    this.fn = code.fn;
    this.batches = new BatchDispatch(request, program, code, parallel);
    this.evaluate = checkedEntry(this);
  }

  get tier(): BackendName {
    return this.code instanceof TieredCode ? this.code.tier : (this.backend as BackendName);
  }

  get promotions(): readonly Promotion[] {
    return this.code instanceof TieredCode
      ? this.code.promotions
      : [{ tier: this.backend as BackendName, at: 0 }];
  }

  get how(): string | undefined {
    return this.code.how;
  }

  /**
   * One call of `evaluate` before the generated entry exists: after
   * {@link ACCESSOR_AFTER} of them it is generated (where code may be
   * generated from strings), and `evaluate` calls it from then on.
   */
  evaluateSlowly(vars: Vars | undefined): number {
    if (++this.checkedCalls === ACCESSOR_AFTER) {
      const entry = generateAccessor(this.program.variables, this.fn, (v) =>
        this.evaluateGeneric(v as Vars | undefined),
      );
      if (entry !== undefined) (this as { generated?: CheckedEntry }).generated = entry;
    }
    return this.evaluateGeneric(vars);
  }

  /** The checked entry every back-end shares: input checking in inputs.ts, then `fn`. */
  private evaluateGeneric(vars: Vars | undefined): number {
    const { program, fn } = this;
    // Objects of up to three variables, the common case, are read without
    // allocating; everything else (and every error) goes the general way.
    if (isRecord(vars)) {
      switch (program.variables.length) {
        case 0:
          return fn();
        case 1:
          return fn(ownValue(program, vars, 0));
        case 2: {
          const a = ownValue(program, vars, 0);
          return fn(a, ownValue(program, vars, 1));
        }
        case 3: {
          const a = ownValue(program, vars, 0);
          const b = ownValue(program, vars, 1);
          return fn(a, b, ownValue(program, vars, 2));
        }
      }
    }
    return fn(...collectValues(program, vars));
  }

  evaluateBatch(columns?: BatchColumns, options?: BatchOptions): Float64Array {
    return this.batches.run(columns, options);
  }

  evaluateBatchParallel(
    columns?: BatchColumns,
    options?: ParallelBatchOptions,
  ): Promise<Float64Array> {
    return this.batches.runParallel(columns, options);
  }

  dump(): string {
    return this.code.dump();
  }

  dumpBatch(): string {
    return this.code.dumpBatch?.() ?? this.code.dump();
  }

  dispose(): void {
    this.code.dispose();
  }
}

/**
 * The `evaluate` of `state`, one function for its whole life: once the
 * generated entry has been added it calls that, otherwise the generic
 * path. The entry is a property set once and never changed, so where V8
 * inlines this function it inlines the generated entry through it (the
 * same reasoning as auto's trampoline, auto.ts).
 */
function checkedEntry(state: CompiledExpression): (vars?: Vars) => number {
  return (vars?: Vars): number => {
    const generated = state.generated;
    return generated !== undefined ? generated(vars) : state.evaluateSlowly(vars);
  };
}
