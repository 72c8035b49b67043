/**
 * The public entry points: compile an expression with a chosen back-end
 * (through the one registry) and evaluate it with checked inputs.
 */

import type { Backend, BackendName, BatchFn, CompiledCode, EvalFn } from "../backends/backend.js";
import { ExprBackendError, ExprInputError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import {
  type BatchColumns,
  type BatchOptions,
  PARALLEL_MIN_ROWS,
  planBatch,
  runBatch,
} from "./batch.js";
import { chooseBackend, optionsFor } from "./choose.js";
import { guardStack, guardStackAsync, toProgram } from "./frontend.js";
import { collectValues, isRecord, ownValue, type Vars } from "./inputs.js";
import { type CompileOptions, checkOptions } from "./options.js";
import { userNamesOf } from "./scope.js";

export type { CompileOptions } from "./options.js";

/** A compiled expression. */
export interface Compiled {
  /** The source it was compiled from. */
  readonly source: string;
  /** Variable names in order of first appearance: the order of positional values. */
  readonly variables: readonly string[];
  /** The name of the back-end that compiled it. */
  readonly backend: BackendName;
  /**
   * The fastest entry: one number per variable, in `variables` order.
   * UNCHECKED: passing a missing or non-number value gives an unspecified
   * number, never an error. Use {@link Compiled.evaluate} for checked input.
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
  const backend = chooseBackend(options.backend, options, source);
  const code = guardStack(source, () => backend.compile(program, optionsFor(backend, options)));
  return new CompiledExpression(program, backend, code, options);
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
  const backend = chooseBackend(options.backend, options, source);
  const taken = optionsFor(backend, options);
  const code =
    backend.compileAsync === undefined
      ? guardStack(source, () => backend.compile(program, taken))
      : await guardStackAsync(source, () =>
          (backend.compileAsync as NonNullable<typeof backend.compileAsync>)(program, taken),
        );
  return new CompiledExpression(program, backend, code, options);
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
  readonly backend: BackendName;
  readonly fn: EvalFn;
  readonly how: string | undefined;

  /** The back-end's batch entry once built; `null` when batches loop over `fn`. */
  private batchFn: BatchFn | null | undefined;

  constructor(
    private readonly program: Program,
    backend: Backend,
    private readonly code: CompiledCode,
    private readonly options: CompileOptions,
  ) {
    this.source = program.source;
    this.variables = program.variables;
    this.backend = backend.name;
    this.fn = code.fn;
    this.how = code.how;
  }

  evaluate(vars?: Vars): number {
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
      options: { backend: this.backend, maxLength, maxDepth, load, ...this.extensionData() },
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
  if (typeof workers !== "number" || !Number.isSafeInteger(workers) || workers < 1) {
    throw new ExprInputError(
      `the workers option must be a whole number of threads, 1 or more, got ${String(workers)}`,
      program.source,
      { offset: 0, length: program.source.length },
    );
  }
  return workers;
}
