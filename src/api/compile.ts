/**
 * The public entry points: compile an expression with a chosen back-end
 * (through the one registry) and evaluate it with checked inputs.
 */

import type { BackendName, BatchFn, CompiledCode, EvalFn } from "../backends/backend.js";
import { ExprBackendError, ExprInputError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import { type CheckedEntry, generateAccessor } from "./accessor.js";
import { type BackendChoice, type Promotion, TieredCode, tierPlan } from "./auto.js";
import {
  type BatchColumns,
  type BatchOptions,
  PARALLEL_MIN_ROWS,
  planBatch,
  runBatch,
} from "./batch.js";
import { AUTO, chooseEngine, optionsFor } from "./choose.js";
import { guardStack, guardStackAsync, toProgram } from "./frontend.js";
import { collectValues, isRecord, ownValue, type Vars } from "./inputs.js";
import { type CompileOptions, checkOptions } from "./options.js";
import { userNamesOf } from "./scope.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isSafeInteger } = Number;

export type { BackendChoice, Promotion, TierOptions } from "./auto.js";
export type { CompileOptions } from "./options.js";

/**
 * Checked calls of `evaluate` after which an expression gets its own
 * generated entry (accessor.ts): generating one costs about as much as a
 * few hundred calls through the generic path, so only expressions called
 * that often pay for it.
 */
export const ACCESSOR_AFTER = 128;

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

/** Compiles `source` with the chosen back-end. Throws ExprError. */
export function compile(source: string, options: CompileOptions | null = {}): Compiled {
  options = checkOptions(options, source);
  const program = toProgram(source, options, userNamesOf(options, options, source));
  const engine = chooseEngine(options.backend, options, source);
  if (engine === AUTO) return compileTiered(program, options);
  const code = guardStack(source, () => engine.compile(program, optionsFor(engine, options)));
  return new CompiledExpression(program, engine.name, code, options);
}

/** The auto back-end: its first tier now, the others as the expression is called. */
function compileTiered(program: Program, options: CompileOptions): Compiled {
  const plan = tierPlan(options, program.source);
  const code = guardStack(
    program.source,
    () =>
      new TieredCode(program, plan, (backend, p) =>
        guardStack(p.source, () => backend.compile(p, optionsFor(backend, options))),
      ),
  );
  return new CompiledExpression(program, AUTO, code, options);
}

/**
 * Like {@link compile}, for back-ends whose loading is asynchronous
 * (`js` with `load: "module"`); works with every back-end.
 */
export async function compileAsync(
  source: string,
  options: CompileOptions | null = {},
): Promise<Compiled> {
  options = checkOptions(options, source);
  const program = toProgram(source, options, userNamesOf(options, options, source));
  const engine = chooseEngine(options.backend, options, source);
  if (engine === AUTO) return compileTiered(program, options);
  const taken = optionsFor(engine, options);
  const code =
    engine.compileAsync === undefined
      ? guardStack(source, () => engine.compile(program, taken))
      : await guardStackAsync(source, () =>
          (engine.compileAsync as NonNullable<typeof engine.compileAsync>)(program, taken),
        );
  return new CompiledExpression(program, engine.name, code, options);
}

/** Compiles and evaluates once (with the reference interpreter by default). */
export function evaluate(source: string, vars?: Vars, options: CompileOptions | null = {}): number {
  const compiled = compile(source, { backend: "treewalk", ...checkOptions(options, source) });
  try {
    return compiled.evaluate(vars);
  } finally {
    compiled.dispose();
  }
}

/** The public face of compiled code: input checking over the back-end's fast entry. */
class CompiledExpression implements Compiled {
  readonly source: string;
  readonly variables: readonly string[];
  readonly backend: BackendChoice;
  readonly fn: EvalFn;
  declare readonly evaluate: (vars?: Vars) => number;

  /** The back-end's batch entry once built; `null` when batches loop over `fn`. */
  private batchFn: BatchFn | null | undefined;
  /** Calls of the generic `evaluate` so far (see {@link ACCESSOR_AFTER}). */
  private checkedCalls = 0;
  /**
   * The expression's generated entry, added (never reassigned) after
   * {@link ACCESSOR_AFTER} calls; declared, not initialised, so it does
   * not exist before.
   */
  declare readonly generated?: CheckedEntry;

  constructor(
    private readonly program: Program,
    backend: BackendChoice,
    private readonly code: CompiledCode,
    private readonly options: CompileOptions,
  ) {
    this.source = program.source;
    this.variables = program.variables;
    this.backend = backend;
    this.fn = code.fn;
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
    const plan = planBatch(this.program, columns, options);
    return runBatch(plan, this.fn, this.batchEntry());
  }

  async evaluateBatchParallel(
    columns?: BatchColumns,
    options?: ParallelBatchOptions,
  ): Promise<Float64Array> {
    const plan = planBatch(this.program, columns, options);
    const workers = checkedWorkers(this.program, options?.workers);
    if (rowOrderOnly(this.program)) {
      throw new ExprBackendError(
        "a program that calls host functions cannot run in a parallel batch: use evaluateBatch",
        this.program.source,
      );
    }
    const batch = this.batchEntry();
    if (plan.n < PARALLEL_MIN_ROWS || workers === 1) return runBatch(plan, this.fn, batch);
    const parallel = await loadParallel(this.source);
    if (!parallel.worthParallel(plan, workers)) return runBatch(plan, this.fn, batch);
    const { maxLength, maxDepth, load } = this.options;
    const job = {
      source: this.source,
      // Only what decides the code, and only plain data: the options cross to another thread.
      options: {
        backend: this.backend,
        maxLength,
        maxDepth,
        load,
        tiers: this.options.tiers,
        thresholds: this.options.thresholds,
        ...this.extensionData(),
      },
    };
    return parallel.runParallel(plan, workers, job, (columns, out) => {
      runBatch({ n: out.length, columns, out }, this.fn, batch);
    });
  }

  /**
   * The application's names this program needs, as plain data a worker can
   * compile with: every constant, and each expression function it calls as
   * its definition text (callees first). Host functions never get here.
   */
  private extensionData(): {
    constants?: Record<string, number>;
    functions?: Record<string, string>;
  } {
    const names = userNamesOf(this.options, this.options, this.source);
    if (names === undefined) return {};
    const constants: Record<string, number> = {};
    for (const [name, value] of names.constants) constants[name] = value;
    const functions: Record<string, string> = {};
    for (const definition of this.program.definitions) functions[definition.name] = definition.text;
    return { constants, functions };
  }

  /** The back-end's batch entry, built on first use; undefined where rows must go one by one. */
  private batchEntry(): BatchFn | undefined {
    if (this.batchFn === undefined) {
      this.batchFn =
        rowOrderOnly(this.program) || this.code.batch === undefined ? null : this.code.batch();
    }
    return this.batchFn ?? undefined;
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

/**
 * Whether a program must be evaluated one row at a time, in row order,
 * through its scalar entry: a program that calls host functions
 * (LANGUAGE.md, "User constants and functions": each call exactly once,
 * left to right, never in an untaken branch, its result checked). The
 * batch paths and the parallel refusal read only this.
 */
function rowOrderOnly(program: Program): boolean {
  return program.hosts.length > 0;
}

/** The parallel module, imported on first use only (it needs `node:worker_threads`). */
let parallelModule: Promise<typeof import("./parallel.js")> | undefined;

/** The parallel module; where it cannot load (no `node:worker_threads`), an ExprBackendError. */
async function loadParallel(source: string): Promise<typeof import("./parallel.js")> {
  parallelModule ??= import("./parallel.js");
  try {
    return await parallelModule;
  } catch (error) {
    parallelModule = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExprBackendError(
      `parallel batches need Node's worker_threads, which this engine cannot load (${reason}): use evaluateBatch`,
      source,
    );
  }
}

/**
 * Ends the worker threads of parallel batches, if any were started (they
 * never keep the process alive while idle; this frees them at once). The
 * next parallel batch starts them again.
 */
export async function closeBatchWorkers(): Promise<void> {
  if (parallelModule !== undefined) await (await parallelModule).closePool();
}

function checkedWorkers(program: Program, workers: unknown): number | undefined {
  if (workers === undefined) return undefined;
  if (typeof workers !== "number" || !isSafeInteger(workers) || workers < 1) {
    throw new ExprInputError(
      `the workers option must be a whole number of threads, 1 or more, got ${String(workers)}`,
      program.source,
      { offset: 0, length: program.source.length },
    );
  }
  return workers;
}
