/**
 * Batch input checking, written once for every back-end (LANGUAGE.md,
 * "Batch evaluation"): turns what a caller passes to `evaluateBatch` (an
 * object of own properties or an array of columns in `variables` order;
 * each column a `Float64Array`, an array of numbers or one number) into a
 * checked {@link BatchPlan}, or an ExprInputError naming the variable and,
 * for an element, its row. Nothing is written anywhere until every check
 * has passed, so a caller's `out` is untouched on error.
 *
 * Then {@link runBatch} feeds a back-end's batch entry: whole
 * `Float64Array` columns go in as they are; plain arrays were copied into
 * one when checked (each element is read exactly once, so a getter cannot
 * pass the check and then yield something else); single numbers go
 * through fixed-size chunk buffers, so broadcasting stays bounded
 * whatever the row count.
 */

import type { BatchFn, EvalFn } from "../backends/backend.js";
import { ExprInputError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import { plural } from "../text/plural.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isArray } = Array;
const { isView } = ArrayBuffer;
const { hasOwn } = Object;
const { isSafeInteger } = Number;
const { min: minOf } = Math;

/** One column: a value per row, or one number for every row. */
export type BatchColumn = Float64Array | readonly number[] | number;

/**
 * Columns: an object (own properties only) or an array in `variables`
 * order, each a {@link BatchColumn} (still checked when passed).
 */
export type BatchColumns = Readonly<Record<string, BatchColumn>> | readonly BatchColumn[];

/** Options of `evaluateBatch`. */
export interface BatchOptions {
  /** Where to write the results: a `Float64Array` of exactly the row count; returned. */
  readonly out?: Float64Array;
  /** The row count: needed when no column has rows (every column one number, or no variables). */
  readonly length?: number;
}

/** A checked batch, ready to run. */
export interface BatchPlan {
  /** The row count. */
  readonly n: number;
  /**
   * One column per variable slot: a `Float64Array` as given, a plain array
   * as a checked copy, or one number.
   */
  readonly columns: readonly BatchColumn[];
  /** The caller's output, if given (exactly `n` long). */
  readonly out: Float64Array | undefined;
  /** The expression's source, for an error about the whole batch (the output's allocation). */
  readonly source?: string;
}

/** Rows per chunk when columns must be copied or broadcast: bounded memory, negligible overhead. */
export const BATCH_CHUNK_ROWS = 8192;

/**
 * Below this many rows a parallel batch runs on the calling thread:
 * starting threads would not pay (and no Node-only module is loaded).
 */
export const PARALLEL_MIN_ROWS = 1 << 16;

/** Checks `columns` and `options` for `program`; throws ExprInputError, writes nothing. */
export function planBatch(
  program: Program,
  columns: BatchColumns | undefined,
  options: BatchOptions | undefined,
): BatchPlan {
  const given = gather(program, columns);
  const length = checkedLength(program, options);
  let n: number | undefined;
  let first = -1;
  for (let slot = 0; slot < given.length; slot++) {
    const column = given[slot];
    if (typeof column === "number") continue;
    const rows = column instanceof Float64Array || isArray(column) ? column.length : -1;
    if (rows < 0) throw badColumn(program, slot, column);
    if (n === undefined) {
      n = rows;
      first = slot;
    } else if (rows !== n) {
      throw new ExprInputError(
        `column '${program.variables[slot]}' has ${plural(rows, "row")}, but column '${program.variables[first]}' has ${n}`,
        program.source,
        spanOf(program, slot),
      );
    }
  }
  if (n === undefined) {
    if (length === undefined) {
      throw whole(
        program,
        given.length === 0
          ? "the expression has no variables: give the row count as the length option"
          : "every column is a single number: give the row count as the length option",
      );
    }
    n = length;
  } else if (length !== undefined && length !== n) {
    throw new ExprInputError(
      `the length option is ${length}, but column '${program.variables[first]}' has ${plural(n, "row")}`,
      program.source,
      spanOf(program, first),
    );
  }
  for (let slot = 0; slot < given.length; slot++) {
    const column = given[slot];
    if (isArray(column)) given[slot] = readElements(program, slot, column, n);
  }
  const out = checkedOut(program, options, n);
  if (out !== undefined) separateFromOut(given, out);
  return { n, columns: given as BatchPlan["columns"], out, source: program.source };
}

/**
 * Replaces each column whose memory overlaps `out` (but is not exactly
 * `out`) by a copy, in place in `columns`: the back-ends' loops read row
 * `i` and write row `i`, which is only what row-by-row evaluation of the
 * inputs as they were gives when a column is `out` itself or apart from
 * it. Checked once here, for every back-end and entry (batch, parallel,
 * auto); the copy is paid only by a caller who overlaps.
 */
function separateFromOut(columns: unknown[], out: Float64Array): void {
  const start = out.byteOffset;
  const end = start + out.byteLength;
  for (let slot = 0; slot < columns.length; slot++) {
    const column = columns[slot];
    if (!(column instanceof Float64Array) || column.buffer !== out.buffer) continue;
    const from = column.byteOffset;
    if (from === start && column.length === out.length) continue;
    if (from < end && start < from + column.byteLength) columns[slot] = new Float64Array(column);
  }
}

/** The raw column of each slot, in slot order; a missing one or a wrong shape is an error. */
function gather(program: Program, columns: BatchColumns | undefined): unknown[] {
  const { variables } = program;
  const count = variables.length;
  if (columns === undefined || columns === null) {
    if (count > 0) throw missing(program, 0);
    return [];
  }
  if (typeof columns !== "object" || isView(columns)) {
    const got = isView(columns) ? "a typed array" : typeof columns;
    throw whole(program, `columns must be given as an object or an array, not ${got}`);
  }
  const out = new Array<unknown>(count);
  if (isArray(columns)) {
    if (columns.length > count) {
      throw whole(
        program,
        `expected ${plural(count, "column")}${count === 0 ? "" : ` (${variables.join(", ")})`}, got ${columns.length}`,
      );
    }
    for (let slot = 0; slot < count; slot++) {
      if (slot >= columns.length || columns[slot] === undefined) throw missing(program, slot);
      out[slot] = columns[slot];
    }
    return out;
  }
  const record = columns as Readonly<Record<string, unknown>>;
  for (let slot = 0; slot < count; slot++) {
    const name = variables[slot] as string;
    // Own properties only: `constructor` or `toString` must never come from a prototype.
    if (!hasOwn(record, name) || record[name] === undefined) throw missing(program, slot);
    out[slot] = record[name];
  }
  return out;
}

function checkedLength(program: Program, options: BatchOptions | undefined): number | undefined {
  const length = options?.length;
  if (length === undefined) return undefined;
  if (typeof length !== "number" || !isSafeInteger(length) || length < 0) {
    throw whole(
      program,
      `the length option must be a whole number of rows, got ${typeof length === "number" ? length : describeColumn(length)}`,
    );
  }
  return length;
}

function checkedOut(
  program: Program,
  options: BatchOptions | undefined,
  n: number,
): Float64Array | undefined {
  const out = options?.out;
  if (out === undefined) return undefined;
  if (!(out instanceof Float64Array)) {
    throw whole(program, `the out option must be a Float64Array, got ${describeColumn(out)}`);
  }
  if (out.length !== n) {
    throw whole(program, `the out option has ${plural(out.length, "row")}, expected ${n}`);
  }
  return out;
}

/**
 * The `n` elements of a plain-array column, each read exactly once, checked
 * and copied: what the back-ends then read is what was checked.
 */
function readElements(
  program: Program,
  slot: number,
  column: readonly unknown[],
  n: number,
): Float64Array {
  const values = allocateRows(n, program.source);
  for (let row = 0; row < n; row++) {
    const value = column[row];
    if (typeof value !== "number") {
      throw new ExprInputError(
        `variable '${program.variables[slot]}' must be a number in row ${row}, got ${describeColumn(value)}`,
        program.source,
        spanOf(program, slot),
      );
    }
    values[row] = value;
  }
  return values;
}

/**
 * Runs a checked plan through `batch`, or row by row through `fn` when
 * `batch` is undefined (the reference loop, and the path for programs whose
 * calls must happen one row at a time, in row order).
 */
export function runBatch(plan: BatchPlan, fn: EvalFn, batch: BatchFn | undefined): Float64Array {
  const { n, columns } = plan;
  const out = plan.out ?? allocateRows(n, plan.source);
  if (n === 0) return out;
  if (batch === undefined) {
    // A call may throw mid-batch (a host function): a caller's out gets rows only when all are done.
    const target = plan.out === undefined ? out : allocateRows(n, plan.source);
    rowByRow(columns, fn, target);
    if (target !== out) out.set(target);
    return out;
  }
  if (columns.every((c): c is Float64Array => c instanceof Float64Array)) {
    batch(columns, out);
    return out;
  }
  // Plain arrays are copied, and single numbers broadcast, one chunk at a time.
  const size = minOf(BATCH_CHUNK_ROWS, n);
  const views: Float64Array[] = columns.map((column) =>
    typeof column === "number" ? new Float64Array(size).fill(column) : new Float64Array(0),
  );
  const buffers = columns.map((column) => (isArray(column) ? new Float64Array(size) : undefined));
  for (let start = 0; start < n; start += size) {
    const end = minOf(n, start + size);
    for (let slot = 0; slot < columns.length; slot++) {
      const column = columns[slot];
      if (column instanceof Float64Array) views[slot] = column.subarray(start, end);
      else if (isArray(column)) {
        const buffer = buffers[slot] as Float64Array;
        for (let i = start; i < end; i++) buffer[i - start] = column[i] as number;
        views[slot] = buffer;
      }
    }
    batch(views, out.subarray(start, end));
  }
  return out;
}

/**
 * A `Float64Array` of `n` rows (over a `SharedArrayBuffer` when `shared`),
 * or, where the engine cannot allocate one (`length: 1e12`), an
 * ExprInputError rather than the engine's RangeError.
 */
export function allocateRows(n: number, source = "", shared = false): Float64Array {
  try {
    return shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ExprInputError(
      `cannot hold ${n} rows: the out buffer could not be allocated`,
      source,
      { offset: 0, length: source.length },
      { cause: error },
    );
  }
}

/** The reference loop: one scalar evaluation per row, in row order. */
function rowByRow(columns: readonly BatchColumn[], fn: EvalFn, out: Float64Array): void {
  const values = new Array<number>(columns.length).fill(0);
  for (let row = 0; row < out.length; row++) {
    for (let slot = 0; slot < columns.length; slot++) {
      const column = columns[slot];
      values[slot] = typeof column === "number" ? column : (column?.[row] as number);
    }
    out[row] = fn(...values);
  }
}

function describeColumn(value: unknown): string {
  if (value === null) return "null";
  if (isArray(value)) return "an array";
  if (isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}

function badColumn(program: Program, slot: number, column: unknown): ExprInputError {
  return new ExprInputError(
    `column '${program.variables[slot]}' must be a Float64Array, an array of numbers or a number, got ${describeColumn(column)}`,
    program.source,
    spanOf(program, slot),
  );
}

function missing(program: Program, slot: number): ExprInputError {
  return new ExprInputError(
    `no column given for variable '${program.variables[slot]}'`,
    program.source,
    spanOf(program, slot),
  );
}

function whole(program: Program, message: string): ExprInputError {
  return new ExprInputError(message, program.source, { offset: 0, length: program.source.length });
}

function spanOf(program: Program, slot: number): { offset: number; length: number } {
  const use = program.firstUse[slot] ?? { start: 0, end: 0 };
  return { offset: use.start, length: use.end - use.start };
}
