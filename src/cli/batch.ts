/**
 * `exprjit batch EXPR`: one expression over every row of a CSV table. The
 * header names the columns; each variable of EXPR takes the column of its
 * name (or one `--var` value for every row); the rows go through the
 * library's batch API in one call and the results come out as CSV: a
 * `result` column, or the input with the result appended (`--append NAME`).
 *
 * CSV is read and written with csv-parse and csv-stringify (quoting,
 * embedded newlines, a byte-order mark): this file is Node-only, like the
 * rest of src/cli/, and nothing the browser loads imports it.
 */

import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { type CompileOptions, closeBatchWorkers, compileAsync } from "../api/compile.js";
import { compileGradient } from "../api/gradient.js";
import { type CompiledSet, compileSet } from "../api/set.js";
import { ExprError } from "../errors.js";
import { formatNumber } from "../text/number.js";
import { escapeHidden } from "../text/visible.js";
import type { BatchOptions } from "./args.js";
import { readSetFile, reportSetError } from "./set.js";

/** What `exprjit batch` reads from and writes to. */
export interface BatchIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress is shown only at a terminal. */
  readonly stderrIsTTY: boolean;
  /** Standard input as it arrives. */
  stdin(): AsyncIterable<Buffer | string>;
}

/** One `exprjit batch` run. */
export interface BatchRequest {
  readonly source: string;
  /** `--set FILE`: a formula set file instead of `source`; one column per output is appended. */
  readonly set?: string;
  readonly compile: CompileOptions;
  /** `--var` values: one number for every row. */
  readonly vars: Readonly<Record<string, number>>;
  readonly options: BatchOptions;
  /** `--gradient`: a column per partial derivative after the result (by `wrt`, default all). */
  readonly gradient?: { readonly wrt: readonly string[] | undefined };
}

/** A problem with the input table: one line on stderr, exit 1. */
class BatchInputError extends Error {
  override readonly name = "BatchInputError";
}

/** Runs `exprjit batch`; resolves to the exit code (errors are printed here). */
export async function runBatchCommand(request: BatchRequest, io: BatchIO): Promise<number> {
  try {
    await batch(request, io);
    return 0;
  } catch (error) {
    if (error instanceof ExprError) {
      io.stderr(`${error.format()}\n`);
      return 1;
    }
    if (error instanceof BatchInputError) {
      io.stderr(`exprjit: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function batch(request: BatchRequest, io: BatchIO): Promise<void> {
  if (request.set !== undefined) return batchSet(request, request.set, io);
  const { source, vars, options } = request;
  const compiled =
    request.gradient === undefined
      ? await compileAsync(source, request.compile)
      : compileGradient(source, { ...request.compile, wrt: request.gradient.wrt });
  const progress = new Progress(io.stderrIsTTY ? io.stderr : undefined);
  try {
    const table = await readTable(request, compiled.variables, io, progress);
    const n = table.rows;
    const columns: Record<string, Float64Array | number> = Object.create(null);
    for (const name of compiled.variables) {
      columns[name] = vars[name] ?? (table.columns.get(name) as Float64Array).subarray(0, n);
    }
    const results =
      options.workers === undefined
        ? compiled.evaluateBatch(columns, { length: n })
        : await compiled.evaluateBatchParallel(columns, { length: n, workers: options.workers });
    const name = options.append ?? "result";
    // With --gradient: the result, then d<result>/d<variable> for each partial.
    const names = "wrt" in compiled ? [name, ...compiled.wrt.map((w) => `d${name}/d${w}`)] : [name];
    writeTable(table, Array.isArray(results) ? results : [results], names, io, progress);
  } finally {
    progress.clear();
    compiled.dispose();
    if (options.workers !== undefined) await closeBatchWorkers();
  }
}

/**
 * `exprjit batch --set FILE`: the set over every row in one batch, the
 * input written back with one column per output appended.
 */
async function batchSet(request: BatchRequest, path: string, io: BatchIO): Promise<void> {
  const file = readSetFile(path, io);
  if (file === undefined) throw new BatchInputError(`the set file ${path} could not be used`);
  if (request.options.workers !== undefined) {
    throw new BatchInputError(
      "--workers does not go with --set yet: a set batch runs on one thread",
    );
  }
  let set: CompiledSet;
  try {
    set = compileSet(file.formulas, request.compile);
  } catch (error) {
    reportSetError(error, path, file, io);
    throw new BatchInputError(`the set file ${path} does not compile`);
  }
  const progress = new Progress(io.stderrIsTTY ? io.stderr : undefined);
  try {
    // Every input cell is kept: the outputs are appended to the input.
    const keep = { ...request, options: { ...request.options, append: set.outputs[0] } };
    const table = await readTable(keep, set.variables, io, progress);
    for (const name of set.outputs) {
      if (table.header.includes(name)) {
        throw new BatchInputError(
          `the input already has a column named '${name}', an output of the set`,
        );
      }
    }
    const n = table.rows;
    const columns: Record<string, Float64Array | number> = Object.create(null);
    for (const name of set.variables) {
      columns[name] =
        request.vars[name] ?? (table.columns.get(name) as Float64Array).subarray(0, n);
    }
    const results = set.evaluateBatch(columns, { length: n });
    const outputs = set.outputs.map((name) => results[name] as Float64Array);
    writeTable(table, outputs, set.outputs, io, progress);
  } finally {
    progress.clear();
    set.dispose();
  }
}

/** The input as read: the variables' columns as numbers; for `--append`, every cell as text. */
interface Table {
  readonly header: readonly string[];
  /** Rows with values (blank lines not counted). */
  readonly rows: number;
  /**
   * Where the blank lines after the header were, as the number of rows
   * with values before each (in order): each gives a blank output line
   * there, so output lines stay in step with input lines.
   */
  readonly blanks: readonly number[];
  readonly columns: ReadonlyMap<string, Float64Array>;
  readonly records: readonly (readonly string[])[] | undefined;
}

/** Where one record came from: `raw` is its text, leading empty lines included. */
interface ParsedRecord {
  readonly record: string[];
  readonly raw: string;
}

async function readTable(
  request: BatchRequest,
  variables: readonly string[],
  io: BatchIO,
  progress: Progress,
): Promise<Table> {
  const { input, append } = request.options;
  const origin = input === undefined || input === "-" ? "standard input" : escapeHidden(input);
  // Blank lines and ragged rows come through, to be told apart and reported here.
  const parser = parse({ bom: true, raw: true, relax_column_count: true });
  const stream = input === undefined || input === "-" ? io.stdin() : createReadStream(input);
  // Errors of the source (a missing file) reach the loop below through the parser.
  pipeline(stream, parser, () => {});
  let header: string[] | undefined;
  let needed: { name: string; index: number; values: Float64Array }[] = [];
  const records: string[][] | undefined = append === undefined ? undefined : [];
  const blanks: number[] = [];
  let rows = 0;
  let linesBefore = 0;
  try {
    for await (const { record, raw } of parser as AsyncIterable<ParsedRecord>) {
      const firstLine = linesBefore + 1 + leadingNewlines(raw);
      linesBefore += newlines(raw);
      const blank = /^\r?\n?$/.test(raw);
      if (header === undefined) {
        // Blank lines before the header are skipped.
        if (blank) continue;
        header = record;
        needed = columnsFor(variables, header, request.vars, append);
        continue;
      }
      if (blank) {
        blanks.push(rows);
        continue;
      }
      if (record.length !== header.length) {
        const column = Math.min(record.length, header.length) + 1;
        const fields = `${record.length} field${record.length === 1 ? "" : "s"}`;
        throw new BatchInputError(
          `line ${firstLine}, column ${column}: the row has ${fields}, but the header has ${header.length}`,
        );
      }
      if (rows === needed[0]?.values.length) needed = needed.map(grow);
      for (const column of needed) {
        const line = firstLine + newlinesBefore(record, column.index);
        column.values[rows] = cellValue(record[column.index] as string, line, column);
      }
      records?.push(record);
      rows++;
      if ((rows & 1023) === 0) progress.show(`${rows} rows read`);
    }
  } catch (error) {
    if (error instanceof CsvError) throw new BatchInputError(csvProblem(error, origin));
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string") {
      const code = (error as NodeJS.ErrnoException).code as string;
      throw new BatchInputError(`cannot read ${origin} (${code})`);
    }
    throw error;
  }
  if (header === undefined) {
    header = [];
    needed = columnsFor(variables, header, request.vars, append);
  }
  const columns = new Map(needed.map((column) => [column.name, column.values]));
  return { header, rows, blanks, columns, records };
}

/** What csv-parse found wrong, in exprjit's `line N, column M: …` form. */
function csvProblem(error: CsvError, origin: string): string {
  const { lines, column } = error as CsvError & { lines?: unknown; column?: unknown };
  const line = typeof lines === "number" ? lines : undefined;
  const where =
    line === undefined
      ? `${origin}: `
      : `line ${line}${typeof column === "number" ? `, column ${column + 1}` : ""}: `;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `${where}a quoted field is not closed before the end of the input`;
    case "CSV_INVALID_CLOSING_QUOTE":
      return `${where}the quoted field goes on after its closing quote (write a quote inside a quoted field as "")`;
    case "INVALID_OPENING_QUOTE":
      return `${where}a quote inside an unquoted field (quote the whole field and double the quote)`;
    default:
      return `${where}the input is not valid CSV (${error.code})`;
  }
}

/** Where each variable without a `--var` value is in the header; errors for the missing. */
function columnsFor(
  variables: readonly string[],
  header: readonly string[],
  vars: Readonly<Record<string, number>>,
  append: string | undefined,
): { name: string; index: number; values: Float64Array }[] {
  const names = header.map((name) => name.trim());
  if (append !== undefined && names.includes(append)) {
    throw new BatchInputError(
      `--append ${escapeHidden(append)}: the input already has a column of that name`,
    );
  }
  const found: { name: string; index: number; values: Float64Array }[] = [];
  for (const name of variables) {
    const index = names.indexOf(name);
    if (Object.hasOwn(vars, name)) {
      if (index !== -1) {
        throw new BatchInputError(
          `variable '${name}' is both a column of the input and given by --var; keep one`,
        );
      }
      continue;
    }
    if (index === -1) {
      const known = names.length === 0 ? "it has none" : `its columns: ${names.join(", ")}`;
      throw new BatchInputError(
        `variable '${name}' has no column in the input (${escapeHidden(known)}) and no --var ${name}=VALUE`,
      );
    }
    if (names.indexOf(name, index + 1) !== -1) {
      throw new BatchInputError(`variable '${name}' names more than one column of the input`);
    }
    found.push({ name, index, values: new Float64Array(1024) });
  }
  return found;
}

function grow(column: { name: string; index: number; values: Float64Array }) {
  const values = new Float64Array(column.values.length * 2);
  values.set(column.values);
  return { ...column, values };
}

/**
 * A cell as `Number()` reads its text; `NaN` is accepted because exprjit
 * writes it, anything else `Number()` cannot read (and an empty cell,
 * which `Number()` would take for 0) is an error naming line and column.
 */
function cellValue(text: string, line: number, column: { name: string; index: number }): number {
  const where = `line ${line}, column ${column.index + 1} (${column.name})`;
  if (text.trim() === "") throw new BatchInputError(`${where}: the cell is empty, not a number`);
  const value = Number(text);
  if (Number.isNaN(value) && text.trim() !== "NaN") {
    // A quoted cell may hold line breaks: shown escaped, the message stays one line.
    const shown = escapeHidden(text.replaceAll("\r", "\\r").replaceAll("\n", "\\n"));
    throw new BatchInputError(`${where}: '${shown}' is not a number`);
  }
  return value;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** Empty lines the parser skipped before the record: they are in its raw text. */
function leadingNewlines(raw: string): number {
  const match = /^(?:\r?\n)+/.exec(raw);
  return match === null ? 0 : newlines(match[0]);
}

/** A quoted field may span lines: a cell's line counts those of the fields before it. */
function newlinesBefore(record: readonly string[], index: number): number {
  let count = 0;
  for (let i = 0; i < index; i++) count += newlines(record[i] as string);
  return count;
}

/** Rows per stringify call: bounded text in flight, progress between chunks. */
const WRITE_CHUNK = 4096;

/** Writes the result columns `results` named `names`, after the input's cells when it kept them. */
function writeTable(
  table: Table,
  results: readonly Float64Array[],
  names: readonly string[],
  io: BatchIO,
  progress: Progress,
): void {
  const { records, blanks } = table;
  io.stdout(stringify([records === undefined ? [...names] : [...table.header, ...names]]));
  let blank = 0;
  /** The blank lines that stood before row `row` of the input. */
  const blanksBefore = (row: number): string => {
    let text = "";
    for (; blank < blanks.length && blanks[blank] === row; blank++) text += "\n";
    return text;
  };
  for (let start = 0; start < table.rows; start += WRITE_CHUNK) {
    const end = Math.min(start + WRITE_CHUNK, table.rows);
    let text = "";
    let chunk: string[][] = [];
    for (let row = start; row < end; row++) {
      const before = blanksBefore(row);
      if (before !== "") {
        text += stringify(chunk) + before;
        chunk = [];
      }
      const cells = results.map((column) => formatNumber(column[row] as number));
      chunk.push(records === undefined ? cells : [...(records[row] as string[]), ...cells]);
    }
    io.stdout(text + stringify(chunk));
    progress.show(`${end} / ${table.rows} rows written`);
  }
  const after = blanksBefore(table.rows);
  if (after !== "") io.stdout(after);
}

/** Before this, nothing is shown: short inputs finish without a flicker. */
const PROGRESS_DELAY_MS = 500;
/** At most one update this often. */
const PROGRESS_INTERVAL_MS = 100;

/** A one-line progress display on stderr, redrawn in place; silent when not at a terminal. */
export class Progress {
  private readonly start: number;
  private last = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private readonly write: ((text: string) => void) | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
  }

  /** Shows `text` if the run has been long enough and the last update is old enough. */
  show(text: string): void {
    if (this.write === undefined) return;
    const time = this.now();
    if (time - this.start < PROGRESS_DELAY_MS || time - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = time;
    this.shown = true;
    this.write(`\r\x1b[Kexprjit batch: ${text}`);
  }

  /** Erases the display, if it was ever drawn. */
  clear(): void {
    if (this.shown) this.write?.("\r\x1b[K");
    this.shown = false;
  }
}
