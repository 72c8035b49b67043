/**
 * Gradients: a program compiled for its value and its partial derivatives
 * with respect to some or all of its variables, all given by one call
 * (issue 23, LANGUAGE.md "Derivatives"): a positional entry writing into a
 * caller's Float64Array, a checked `evaluate`, a batch (a column for the
 * value and one per partial) and the parallel batch, on every back-end,
 * `auto` included.
 *
 * The value and the partials are ONE Program (derivative.ts,
 * semantics/derive.ts `gradientProgram`): its results are the value and
 * each partial, its bindings the program's own and their companions, so a
 * back-end computes them all in one piece of code and one pass over the
 * rows. A parallel batch sends its workers source text, so it compiles the
 * value and each partial's text (which give the same values) there.
 */

import type { CompiledCode, IntoFn } from "../backends/backend.js";
import { ExprBackendError, ExprInputError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import { TieredCode } from "./auto.js";
import { type BatchColumns, type BatchOptions, planBatch } from "./batch.js";
import { AUTO, chooseEngine, optionsFor, tierPlan } from "./choose.js";
import { type Compiled, compile } from "./compile.js";
import { derivativesOf, derivativeText } from "./derivative.js";
import { guardStack } from "./frontend.js";
import { collectValues, type Vars } from "./inputs.js";
import { type CompileOptions, checkOptions } from "./options.js";

/** Options of {@link compileGradient}: those of `compile`, and which variables to differentiate by. */
export interface GradientOptions extends CompileOptions {
  /** The variables of the partials, in order (default: every variable, in `variables` order). */
  readonly wrt?: readonly string[];
}

/** Options of the gradient batches. */
export interface GradientBatchOptions {
  /** Where to write: one Float64Array per result (value, then each partial), each the row count long. */
  readonly out?: readonly Float64Array[];
  /** The row count, when no column has rows. */
  readonly length?: number;
}

/** Options of {@link CompiledGradient.evaluateBatchParallel}. */
export interface GradientParallelOptions extends GradientBatchOptions {
  /** Threads to use at most (default: one per core). */
  readonly workers?: number;
}

/** The positional entry: writes the value and each partial into `out`, and returns it. */
export type GradientFn = (out: Float64Array, ...values: number[]) => Float64Array;

/** A program compiled with its gradient. */
export interface CompiledGradient {
  /** The source it was compiled from. */
  readonly source: string;
  /** Its variables, in order of first appearance: the order of positional values. */
  readonly variables: readonly string[];
  /** The variables of the partials, in the order of the results after the value. */
  readonly wrt: readonly string[];
  /** Each partial as exprjit source (what `derivative(source, wrt[i])` gives). */
  readonly derivatives: readonly string[];
  /**
   * The fast entry: `out[0]` is the value, `out[1 + i]` the partial by
   * `wrt[i]`; one number per variable in `variables` order, UNCHECKED
   * (as `Compiled.fn`). `out` must hold `1 + wrt.length` numbers.
   */
  readonly fnInto: GradientFn;
  /** Checked input (as `Compiled.evaluate`); a new Float64Array of the value and each partial. */
  evaluate(vars?: Vars): Float64Array;
  /**
   * Many rows (as `Compiled.evaluateBatch`): one column for the value and
   * one per partial, row `i` exactly what `evaluate` gives for row `i`.
   */
  evaluateBatch(columns?: BatchColumns, options?: GradientBatchOptions): Float64Array[];
  /** {@link CompiledGradient.evaluateBatch} across worker threads (Node only). */
  evaluateBatchParallel(
    columns?: BatchColumns,
    options?: GradientParallelOptions,
  ): Promise<Float64Array[]>;
  /** The artefact of each result's code, headed by what it computes. */
  dump(): string;
  /** Frees what the back-ends hold. */
  dispose(): void;
}

/**
 * Compiles `source` for its value and its partial derivatives with
 * respect to `options.wrt` (default: every variable). Throws ExprError.
 */
export function compileGradient(
  source: string,
  options: GradientOptions | null = {},
): CompiledGradient {
  options = checkOptions(options, source, "gradient");
  const { wrt, ...rest } = options;
  const found = derivativesOf(source, wrt, rest);
  const derivatives = found.resolved.map((program) => derivativeText(program, rest));
  const code = compileCode(found.gradient, rest);
  return new Gradient(found.gradient, found.wrt, derivatives, code, rest);
}

/** `program` with the chosen back-end (or auto's first tier), as compile.ts does. */
function compileCode(program: Program, options: CompileOptions): CompiledCode {
  const engine = chooseEngine(options.backend, options, program.source);
  if (engine === AUTO) {
    const plan = tierPlan(options, program.source);
    return guardStack(
      program.source,
      () =>
        new TieredCode(program, plan, (backend, p) =>
          guardStack(p.source, () => backend.compile(p, optionsFor(backend, options))),
        ),
    );
  }
  return guardStack(program.source, () => engine.compile(program, optionsFor(engine, options)));
}

class Gradient implements CompiledGradient {
  readonly source: string;
  readonly variables: readonly string[];
  readonly fnInto: GradientFn;
  /** Compiled from the partials' texts for parallel batches, on first use. */
  private parallel: Compiled[] | undefined;

  /** Results: the value, then one per partial. */
  private readonly k: number;

  constructor(
    private readonly program: Program,
    readonly wrt: readonly string[],
    readonly derivatives: readonly string[],
    private readonly code: CompiledCode,
    private readonly options: CompileOptions,
  ) {
    this.source = program.source;
    this.variables = program.variables;
    this.k = program.results.length;
    this.fnInto = into(code.fnInto, program.variables.length);
  }

  evaluate(vars?: Vars): Float64Array {
    const values = collectValues(this.program, vars);
    return this.fnInto(new Float64Array(this.k), ...values);
  }

  evaluateBatch(columns?: BatchColumns, options?: GradientBatchOptions): Float64Array[] {
    const plan = planBatch(this.program, columns, { length: options?.length });
    const outs = this.checkedOuts(options, plan.n);
    const { n } = plan;
    const batch = this.program.hosts.length > 0 ? undefined : this.code.batchInto?.();
    if (batch !== undefined) {
      // One pass over the rows for every result; plain arrays and numbers become columns first.
      const columns = plan.columns.map((column) =>
        column instanceof Float64Array
          ? column
          : typeof column === "number"
            ? new Float64Array(n).fill(column)
            : Float64Array.from(column),
      );
      const results =
        outs === undefined ? this.program.results.map(() => new Float64Array(n)) : [...outs];
      if (n > 0) batch(columns, results);
      return results;
    }
    {
      // Row by row, in row order (host functions: each call once per row, in order).
      const results = this.program.results.map(() => new Float64Array(n));
      const row = new Float64Array(this.k);
      const values = new Array<number>(plan.columns.length);
      for (let i = 0; i < n; i++) {
        plan.columns.forEach((column, slot) => {
          values[slot] = typeof column === "number" ? column : (column[i] as number);
        });
        this.fnInto(row, ...values);
        row.forEach((value, k) => {
          (results[k] as Float64Array)[i] = value;
        });
      }
      if (outs === undefined) return results;
      outs.forEach((out, k) => {
        out.set(results[k] as Float64Array);
      });
      return [...outs];
    }
  }

  async evaluateBatchParallel(
    columns?: BatchColumns,
    options?: GradientParallelOptions,
  ): Promise<Float64Array[]> {
    const plan = planBatch(this.program, columns, { length: options?.length });
    const outs = this.checkedOuts(options, plan.n);
    if (this.program.hosts.length > 0) {
      throw new ExprBackendError(
        "a program that calls host functions cannot run in a parallel batch: use evaluateBatch",
        this.source,
      );
    }
    // The workers compile source text: the value's own, and each partial's.
    this.parallel ??= [this.source, ...this.derivatives].map((text) => compile(text, this.options));
    const named: Record<string, Float64Array | readonly number[] | number> = Object.create(null);
    this.variables.forEach((name, slot) => {
      named[name] = plan.columns[slot] as Float64Array | readonly number[] | number;
    });
    const results: Float64Array[] = [];
    for (const [k, compiled] of this.parallel.entries()) {
      const batch: BatchOptions & { workers?: number } = {
        out: outs?.[k] ?? new Float64Array(plan.n),
        length: plan.n,
        workers: options?.workers,
      };
      results.push(await compiled.evaluateBatchParallel(named, batch));
    }
    return results;
  }

  dump(): string {
    const heads = this.wrt.map((name, i) => `; d/d${name} = ${this.derivatives[i]}`);
    return `; results: the value, then d/d${this.wrt.join(", d/d")}\n${heads.join("\n")}\n${this.code.dump()}`;
  }

  dispose(): void {
    this.code.dispose();
    for (const compiled of this.parallel ?? []) compiled.dispose();
  }

  /** The caller's output columns, if given: one per result, `n` long. Throws ExprInputError. */
  private checkedOuts(
    options: GradientBatchOptions | undefined,
    n: number,
  ): readonly Float64Array[] | undefined {
    const outs: unknown = options?.out;
    if (outs === undefined) return undefined;
    const { k } = this;
    const fits = (o: unknown): boolean => o instanceof Float64Array && o.length === n;
    if (!Array.isArray(outs) || outs.length !== k || !outs.every(fits)) {
      throw new ExprInputError(
        `out must be ${k} Float64Arrays of ${n} rows: the value, then one per partial (${this.wrt.join(", ")})`,
        this.source,
        { offset: 0, length: this.source.length },
      );
    }
    return outs;
  }
}

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const NativeFunction: new (...paramsThenBody: string[]) => unknown = Function;

/** Gradients made so far: each generated entry's text is its own, so V8 gives each its own feedback. */
let made = 0;

/**
 * The positional entry over the program's `fnInto`, returning `out`.
 * Where code may be generated, a function of its own per gradient (its
 * text holds only counts and generated names, never anything of the
 * source), so its one call site has one target V8 can inline; elsewhere,
 * closures written out for up to three variables.
 */
function into(fn: IntoFn, arity: number): GradientFn {
  if (arity <= 64) {
    const params = Array.from({ length: arity }, (_, i) => `, v${i}`).join("");
    const text = `// gradient ${++made}\nreturn function gradient(out${params}) {\n  f(out${params});\n  return out;\n};`;
    try {
      return (new NativeFunction("f", text) as (f: IntoFn) => GradientFn)(fn);
    } catch {
      // EvalError where the engine forbids generating code: the closures below.
    }
  }
  switch (arity) {
    case 0:
      return (out) => {
        fn(out);
        return out;
      };
    case 1:
      return (out, a) => {
        fn(out, a as number);
        return out;
      };
    case 2:
      return (out, a, b) => {
        fn(out, a as number, b as number);
        return out;
      };
    default:
      return (out, ...values) => {
        fn(out, ...values);
        return out;
      };
  }
}
