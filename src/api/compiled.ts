/**
 * The public face of a compiled expression: the {@link Compiled}
 * interface every entry point returns, and the options of its parallel
 * batch. Types only; expression.ts implements them.
 */

import type { BackendName, EvalFn } from "../backends/backend.js";
import type { BackendChoice, Promotion } from "./auto.js";
import type { BatchColumns, BatchOptions } from "./batch.js";
import type { Vars } from "./inputs.js";

/** A compiled expression. */
export interface Compiled {
  /** The source it was compiled from. */
  readonly source: string;
  /** Variable names in order of first appearance: the order of positional values. */
  readonly variables: readonly string[];
  /** The back-end asked for: `auto` (the default) or a back-end's name. */
  readonly backend: BackendChoice;
  /**
   * The back-end running it now: `backend` itself, or with `auto` the
   * current tier (it changes as the expression is promoted).
   */
  readonly tier: BackendName;
  /**
   * When each tier took over (or failed to): with `auto`, the first tier at
   * 0 calls and each promotion since; otherwise the one back-end, at 0.
   */
  readonly promotions: readonly Promotion[];
  /**
   * The fastest entry: one number per variable, in `variables` order.
   * UNCHECKED: passing a missing or non-number value gives an unspecified
   * number, never an error. Use {@link Compiled.evaluate} for checked input.
   * With `auto` it is the same function before and after promotions, and
   * runs the current tier.
   */
  readonly fn: EvalFn;
  /**
   * Evaluates with checked input: an object (own properties only; extra
   * ones ignored) or positional values. Throws ExprInputError naming a
   * missing or non-number variable.
   */
  evaluate(vars?: Vars): number;
  /**
   * Evaluates many rows at once (LANGUAGE.md, "Batch evaluation"): one
   * column per variable (an object of own properties, or an array in
   * `variables` order), each a `Float64Array`, an array of numbers, or one
   * number for every row. Returns a `Float64Array` of one result per row
   * (`options.out` if given, written in place), row `i` exactly what
   * `evaluate` gives for row `i`. `options.length` gives the row count
   * when no column has rows. Throws ExprInputError naming the variable and
   * row; nothing is written to `out` then.
   */
  evaluateBatch(columns?: BatchColumns, options?: BatchOptions): Float64Array;
  /**
   * Like {@link Compiled.evaluateBatch}, splitting the rows across a pool
   * of worker threads (Node only) that compile the same source with the
   * same back-end; small batches run on the calling thread. Rejects with
   * ExprError.
   */
  evaluateBatchParallel(
    columns?: BatchColumns,
    options?: ParallelBatchOptions,
  ): Promise<Float64Array>;
  /** One line on how the back-end produced and loaded the code, when it says. */
  readonly how: string | undefined;
  /** The text of the back-end's artefact (tree, bytecode, JS, WAT or C). */
  dump(): string;
  /**
   * The text of the back-end's batch artefact: the loop (js, C), the block
   * program (vm), the batch module (wat); the tree for treewalk.
   */
  dumpBatch(): string;
  /** Frees what the back-end holds; the object must not be used afterwards. */
  dispose(): void;
}

/** Options of {@link Compiled.evaluateBatchParallel}. */
export interface ParallelBatchOptions extends BatchOptions {
  /** Threads to use at most (default: one per core). */
  readonly workers?: number;
}
