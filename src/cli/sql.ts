/**
 * The CLI's SQL: `exprjit sql EXPR --dialect D [--column x=price …]`
 * (print the SQL), `--dump sql`, and `exprjit batch EXPR --engine duckdb`,
 * which evaluates the formula inside DuckDB over a CSV or Parquet file
 * (larger than memory: DuckDB streams it), writing CSV or Parquet to
 * `--output` (or CSV to standard output), with a progress display on a
 * terminal. `@duckdb/node-api` is an optional peer dependency, imported
 * only here and only when `--engine duckdb` is asked for.
 */

import type { Environment } from "../api/environment.js";
import { ExprError } from "../errors.js";
import { DIALECT_NAMES, dialectOf } from "../sql/dialects.js";
import { type SqlDialectName, toSQL } from "../sql/index.js";
import { formatNumber } from "../text/number.js";
import { UsageError } from "./args.js";
import { Progress } from "./batch.js";

/** What the SQL commands need from the command line. */
export interface SqlRequest {
  readonly source: string;
  /** `--dialect`, as written (default duckdb). */
  readonly dialect: string | undefined;
  /** `--column NAME=SQL`, in order: the caller's SQL for a variable. */
  readonly columns: readonly (readonly [string, string])[];
  readonly environment: Environment | undefined;
  readonly maxLength: number | undefined;
  readonly maxDepth: number | undefined;
}

/** The dialect `--dialect` names; a usage error for another. */
export function dialectName(text: string | undefined): SqlDialectName {
  const name = text ?? "duckdb";
  if (dialectOf(name) === undefined) {
    throw new UsageError(`--dialect takes one of ${DIALECT_NAMES.join(", ")}; got '${name}'`);
  }
  return name as SqlDialectName;
}

/** The SQL of the request's formula. Throws ExprError (and UsageError for a bad dialect). */
export function sqlOf(request: SqlRequest, dialect = dialectName(request.dialect)): string {
  return toSQL(request.source, {
    dialect,
    columns: Object.fromEntries(request.columns),
    environment: request.environment,
    maxLength: request.maxLength,
    maxDepth: request.maxDepth,
  });
}

/** Where `exprjit batch --engine duckdb` reads and writes. */
export interface DuckDBBatchRequest extends SqlRequest {
  /** `--input FILE` (CSV, or Parquet by its extension). */
  readonly input: string | undefined;
  /** `--output FILE` (Parquet by its extension, else CSV); undefined: CSV on standard output. */
  readonly output: string | undefined;
  /** `--append NAME`: every input column and the result as NAME (default: the result alone, as `result`). */
  readonly append: string | undefined;
  /** `--var` values, one number for every row. */
  readonly vars: Readonly<Record<string, number>>;
}

/** The DuckDB package's module, or a message saying how to install it. */
async function loadDuckDB(): Promise<typeof import("@duckdb/node-api")> {
  try {
    return await import("@duckdb/node-api");
  } catch {
    throw new UsageError(
      "--engine duckdb needs the DuckDB package: npm install @duckdb/node-api (it ships prebuilt binaries)",
    );
  }
}

const quoteString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const isParquet = (path: string): boolean => /\.parquet$/i.test(path);

/** One CSV cell: numbers as the shortest text that reads back exactly, NULL empty, text quoted if it must be. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value);
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Runs the formula over the input file inside DuckDB. Resolves to the exit
 * code; ExprErrors and DuckDB's errors are printed on stderr (exit 1).
 */
export async function runDuckDBBatch(
  request: DuckDBBatchRequest,
  io: { stdout(text: string): void; stderr(text: string): void; readonly stderrIsTTY: boolean },
): Promise<number> {
  if (request.input === undefined || request.input === "-") {
    throw new UsageError("--engine duckdb reads a file: give --input FILE (CSV or Parquet)");
  }
  // --var values become the columns' SQL: exact literals of the dialect.
  const varColumns = Object.entries(request.vars).map(
    ([name, value]) => [name, dialectOf("duckdb")?.literal(value) as string] as const,
  );
  let expression: string;
  try {
    expression = sqlOf({ ...request, columns: [...varColumns, ...request.columns] }, "duckdb");
  } catch (error) {
    if (error instanceof ExprError) {
      io.stderr(`${error.format()}\n`);
      return 1;
    }
    throw error;
  }
  const { DuckDBInstance, DuckDBPendingResultState } = await loadDuckDB();
  const reader = isParquet(request.input)
    ? `read_parquet(${quoteString(request.input)})`
    : `read_csv(${quoteString(request.input)}, header = true)`;
  const result =
    request.append === undefined
      ? `${expression} AS "result"`
      : `*, ${expression} AS "${request.append.replaceAll('"', '""')}"`;
  const select = `SELECT ${result} FROM ${reader}`;
  const instance = await DuckDBInstance.create(":memory:", {
    // Memory that does not grow with the file: DuckDB streams the COPY, spilling if it must.
    memory_limit: process.env.EXPRJIT_DUCKDB_MEMORY ?? "512MB",
  });
  const connection = await instance.connect();
  const progress = new Progress(io.stderrIsTTY ? io.stderr : undefined);
  const showProgress = (): void => {
    const { percentage } = connection.progress;
    if (percentage >= 0) progress.show(`${percentage.toFixed(1)}% of ${request.input}`);
  };
  try {
    if (request.output === undefined) {
      // CSV on standard output, written here chunk by chunk (DuckDB's vectors of 2048 rows).
      const stream = await connection.stream(select);
      io.stdout(`${stream.columnNames().map(csvCell).join(",")}\n`);
      for (;;) {
        const chunk = await stream.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        io.stdout(
          chunk
            .getRows()
            .map((row) => `${row.map(csvCell).join(",")}\n`)
            .join(""),
        );
        showProgress();
      }
    } else {
      const format = isParquet(request.output) ? "(FORMAT parquet)" : "(FORMAT csv, HEADER true)";
      const pending = await connection.start(
        `COPY (${select}) TO ${quoteString(request.output)} ${format}`,
      );
      for (;;) {
        const state = pending.runTask();
        if (state === DuckDBPendingResultState.RESULT_READY) break;
        showProgress();
        if (state === DuckDBPendingResultState.NO_TASKS_AVAILABLE) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      await pending.getResult();
    }
    progress.clear();
    return 0;
  } catch (error) {
    progress.clear();
    io.stderr(`exprjit: DuckDB: ${(error as Error).message}\n`);
    return 1;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
