/**
 * `compileSet`: a formula set (LANGUAGE.md v3, "Formula sets") compiled as
 * ONE program, so each back-end makes one piece of code computing every
 * output in one pass (one generated function and one loop for js, one
 * chunk and one block program for vm, one wasm function and one batch
 * module, one C function and one loop): never one compiled formula per
 * output. `auto` promotes the set as one unit.
 *
 * The front end of sets is semantics/set.ts; the entries here check inputs
 * as `compile` does (inputs.ts, batch.ts) and call the back-end's
 * several-results entries (`fnInto`, `batchInto`, backend.ts).
 */

import type { BackendName, BatchIntoFn, CompiledCode } from "../backends/backend.js";
import { ExprInputError, ExprOptionsError } from "../errors.js";
import { lower } from "../semantics/lower.js";
import type { Program } from "../semantics/program.js";
import { type FormulaSource, resolveSet } from "../semantics/set.js";
import { type BackendChoice, type Promotion, TieredCode } from "./auto.js";
import { BATCH_CHUNK_ROWS, type BatchColumns, type BatchPlan, planBatch } from "./batch.js";
import { AUTO, chooseEngine, optionsFor, tierPlan } from "./choose.js";
import { guardStack } from "./frontend.js";
import { collectValues, type Vars } from "./inputs.js";
import { type CompileOptions, checkOptions } from "./options.js";
import { userNamesOf } from "./scope.js";

/** Options of {@link compileSet}: those of `compile`, and which outputs to return. */
export interface SetOptions extends CompileOptions {
  /**
   * The formulas whose values are returned, in this order (default: every
   * formula, in the order given). The others are computed only where a
   * returned one needs them.
   */
  readonly outputs?: readonly string[];
}

/** Options of {@link CompiledSet.evaluateBatch}. */
export interface SetBatchOptions {
  /** The row count, when no column has rows. */
  readonly length?: number;
  /** Where to write: one `Float64Array` of the row count per output, by name or in `outputs` order. */
  readonly out?: Readonly<Record<string, Float64Array>> | readonly Float64Array[];
}

/** A compiled formula set. */
export interface CompiledSet {
  /** The returned formulas' names, in order: the order of every result. */
  readonly outputs: readonly string[];
  /** Variable names in order of first appearance, reading the formulas in the order given. */
  readonly variables: readonly string[];
  /** The back-end asked for. */
  readonly backend: BackendChoice;
  /** The back-end running it now (with `auto`, the current tier). */
  readonly tier: BackendName;
  /** When each tier took over, as for `compile`. */
  readonly promotions: readonly Promotion[];
  /**
   * Every output of one row, positional and UNCHECKED like `Compiled.fn`:
   * written to `out` when given (at least `outputs.length` long), else to
   * a fresh array; returned.
   */
  fn(...values: number[]): Float64Array;
  /** {@link CompiledSet.fn} into the caller's array: `fnInto(out, x, y)`; returns `out`. */
  fnInto(out: Float64Array, ...values: number[]): Float64Array;
  /** Every output of one row, inputs checked as `Compiled.evaluate` checks them. */
  evaluate(vars?: Vars): Record<string, number>;
  /**
   * Every output of many rows, in one pass over the rows: a column per
   * output, by name (`options.out`'s own arrays when given). Row `i` of
   * each is exactly what `evaluate` gives for row `i`.
   */
  evaluateBatch(columns?: BatchColumns, options?: SetBatchOptions): Record<string, Float64Array>;
  /** The back-end's artefact: the one piece of code for the whole set. */
  dump(): string;
  /** The back-end's batch artefact. */
  dumpBatch(): string;
  /** Frees what the back-end holds. */
  dispose(): void;
}

/**
 * Compiles the formulas of `formulas` (name → program; key order is the
 * output order) as one program. Throws ExprError: an error in a formula
 * names it (`error.formula`) with the caret in its own text; a cycle names
 * every formula in it (`ExprCycleError`).
 */
export function compileSet(
  formulas: Readonly<Record<string, string>>,
  options: SetOptions | null = {},
): CompiledSet {
  options = checkOptions(options, "", "set");
  if (formulas === null || typeof formulas !== "object" || Array.isArray(formulas)) {
    throw new ExprOptionsError("the formulas must be an object of name → program text", "");
  }
  return compileSetProgram(setPrograms(formulas, options).lowered, options);
}

/**
 * The set as the front end makes it, for `explain --set`: the resolved
 * Program and the lowered one every back-end receives. Throws as compileSet.
 */
export function setPrograms(
  formulas: Readonly<Record<string, string>>,
  options: SetOptions = {},
): { readonly resolved: Program; readonly lowered: Program } {
  const list: FormulaSource[] = Object.keys(formulas).map((name) => ({
    name,
    source: formulas[name] as string,
  }));
  const outputs = checkedOutputs(options.outputs);
  const user = userNamesOf(options, options, "");
  const resolved = resolveSet(list, {
    limits: options,
    ...(user === undefined ? {} : { user }),
    ...(outputs === undefined ? {} : { outputs }),
  });
  return { resolved, lowered: guardStack(resolved.source, () => lower(resolved)) };
}

/** Compiles an already resolved and lowered set program with the chosen back-end. */
export function compileSetProgram(program: Program, options: CompileOptions): CompiledSet {
  const engine = chooseEngine(options.backend, options, program.source);
  if (engine === AUTO) {
    const plan = tierPlan(options, program.source);
    const code = guardStack(
      program.source,
      () =>
        new TieredCode(program, plan, (backend, p) =>
          guardStack(p.source, () => backend.compile(p, optionsFor(backend, options))),
        ),
    );
    return new SetCode(program, AUTO, code);
  }
  const code = guardStack(program.source, () =>
    engine.compile(program, optionsFor(engine, options)),
  );
  return new SetCode(program, engine.name, code);
}

function checkedOutputs(outputs: unknown): readonly string[] | undefined {
  if (outputs === undefined) return undefined;
  if (!Array.isArray(outputs) || outputs.length === 0) {
    throw new ExprOptionsError("outputs must be a non-empty array of formula names", "");
  }
  return outputs as readonly string[];
}

/** The public face of a compiled set: input checks over the back-end's several-results entries. */
class SetCode implements CompiledSet {
  readonly outputs: readonly string[];
  readonly variables: readonly string[];
  private batchFn: BatchIntoFn | null | undefined;

  constructor(
    private readonly program: Program,
    readonly backend: BackendChoice,
    private readonly code: CompiledCode,
  ) {
    this.outputs = program.results.map((result) => result.name);
    this.variables = program.variables;
    const into = code.fnInto;
    const count = this.outputs.length;
    this.fn = (...values) => {
      const out = new Float64Array(count);
      into(out, ...values);
      return out;
    };
    this.fnInto = (out, ...values) => {
      into(out, ...values);
      return out;
    };
  }

  readonly fn: (...values: number[]) => Float64Array;
  readonly fnInto: (out: Float64Array, ...values: number[]) => Float64Array;

  get tier(): BackendName {
    return this.code instanceof TieredCode ? this.code.tier : (this.backend as BackendName);
  }

  get promotions(): readonly Promotion[] {
    return this.code instanceof TieredCode
      ? this.code.promotions
      : [{ tier: this.backend as BackendName, at: 0 }];
  }

  evaluate(vars?: Vars): Record<string, number> {
    const values = collectValues(this.program, vars);
    const out = new Float64Array(this.outputs.length);
    this.code.fnInto(out, ...values);
    const result: Record<string, number> = {};
    this.outputs.forEach((name, r) => {
      // defineProperty: an output named `__proto__` is an own property like any other.
      Object.defineProperty(result, name, {
        value: out[r] as number,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return result;
  }

  evaluateBatch(columns?: BatchColumns, options?: SetBatchOptions): Record<string, Float64Array> {
    const plan = planBatch(this.program, columns, {
      ...(options?.length === undefined ? {} : { length: options.length }),
    });
    const given = this.givenOuts(options?.out, plan.n);
    const outs = given ?? this.outputs.map(() => new Float64Array(plan.n));
    // A host function may throw mid-batch: the caller's columns get rows only when all are done.
    const rowOrder = this.program.hosts.length > 0;
    const target =
      rowOrder && given !== undefined ? outs.map(() => new Float64Array(plan.n)) : outs;
    this.run(plan, target);
    if (target !== outs) {
      for (const [r, column] of target.entries()) (outs[r] as Float64Array).set(column);
    }
    const result: Record<string, Float64Array> = {};
    this.outputs.forEach((name, r) => {
      Object.defineProperty(result, name, {
        value: outs[r] as Float64Array,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return result;
  }

  /** The caller's output columns, checked (one per output, each exactly `n` long), or undefined. */
  private givenOuts(
    out: SetBatchOptions["out"] | undefined,
    n: number,
  ): Float64Array[] | undefined {
    if (out === undefined) return undefined;
    const columns = Array.isArray(out)
      ? (out as readonly unknown[])
      : this.outputs.map((name) =>
          Object.hasOwn(out as object, name) ? (out as Record<string, unknown>)[name] : undefined,
        );
    return this.outputs.map((name, r) => {
      const column = columns[r];
      if (!(column instanceof Float64Array) || column.length !== n) {
        throw new ExprInputError(
          `out for output '${name}' must be a Float64Array of ${n} rows`,
          this.program.source,
          { offset: 0, length: 0 },
        );
      }
      return column;
    });
  }

  /** Runs a checked plan: the back-end's loop where it has one, else row by row. */
  private run(plan: BatchPlan, outs: Float64Array[]): void {
    const { n, columns } = plan;
    if (n === 0) return;
    const batch = this.batchEntry();
    if (batch === undefined) {
      const values = new Array<number>(columns.length).fill(0);
      const row = new Float64Array(outs.length);
      const into = this.code.fnInto;
      for (let i = 0; i < n; i++) {
        for (let slot = 0; slot < columns.length; slot++) {
          const column = columns[slot];
          values[slot] = typeof column === "number" ? column : (column?.[i] as number);
        }
        into(row, ...values);
        for (let r = 0; r < outs.length; r++) (outs[r] as Float64Array)[i] = row[r] as number;
      }
      return;
    }
    if (columns.every((c): c is Float64Array => c instanceof Float64Array)) {
      batch(columns, outs);
      return;
    }
    // Plain arrays copied, single numbers broadcast, one chunk at a time.
    const size = Math.min(BATCH_CHUNK_ROWS, n);
    const views: Float64Array[] = columns.map((column) =>
      typeof column === "number" ? new Float64Array(size).fill(column) : new Float64Array(0),
    );
    const buffers = columns.map((column) =>
      Array.isArray(column) ? new Float64Array(size) : undefined,
    );
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size);
      for (let slot = 0; slot < columns.length; slot++) {
        const column = columns[slot];
        if (column instanceof Float64Array) views[slot] = column.subarray(start, end);
        else if (Array.isArray(column)) {
          const buffer = buffers[slot] as Float64Array;
          for (let i = start; i < end; i++) buffer[i - start] = column[i] as number;
          views[slot] = end - start === size ? buffer : buffer.subarray(0, end - start);
        } else views[slot] = (views[slot] as Float64Array).subarray(0, end - start);
      }
      batch(
        views,
        outs.map((out) => out.subarray(start, end)),
      );
    }
  }

  /** The back-end's batch entry for every output; undefined where rows must go one by one. */
  private batchEntry(): BatchIntoFn | undefined {
    if (this.batchFn === undefined) {
      this.batchFn =
        this.program.hosts.length > 0 || this.code.batchInto === undefined
          ? null
          : this.code.batchInto();
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
