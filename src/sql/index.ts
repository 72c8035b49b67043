/**
 * The public face of SQL: `toSQL` (a formula as one scalar SQL
 * expression), `sqlPrelude` (the helper functions a dialect needs, run
 * once) and `sqlFunction` (a statement installing the formula as a
 * reusable database function). Options are checked here; the emitter
 * (emit.ts) does the rest.
 *
 * Trust: `columns` and `sqlFunctions` are the caller's own SQL and reach
 * the output as given; everything else in the output comes from the
 * dialect's table, exact numeric literals, or quoted identifiers of names
 * the language (or this file) validated.
 */

import { guardStack, toProgram } from "../api/frontend.js";
import { type ExtensionOptions, userNamesOf } from "../api/scope.js";
import { ExprBackendError, ExprOptionsError } from "../errors.js";
import type { Limits } from "../limits.js";
import type { Program } from "../semantics/program.js";
import { isIdentifier } from "../syntax/identifier.js";
import type { SqlDialect, SqlDialectName } from "./dialect.js";
import { DIALECT_NAMES, dialectOf } from "./dialects.js";
import { emitProgram, type SqlResult } from "./emit.js";

export type { SqlDialectName } from "./dialect.js";
export type { SqlResult } from "./emit.js";

/** Default bound on the SQL of one result, in characters. */
export const DEFAULT_MAX_SQL_LENGTH = 1_000_000;

/** Options of {@link toSQL}. */
export interface SqlOptions extends Limits, ExtensionOptions {
  /** The engine: `"duckdb"`, `"postgres"` or `"clickhouse"`. */
  readonly dialect: SqlDialectName;
  /**
   * The SQL giving each variable's value, by variable name (default: the
   * variable's name as a quoted identifier). This is the caller's own SQL,
   * trusted and emitted as given (in parentheses).
   */
  readonly columns?: Readonly<Record<string, string>>;
  /**
   * The caller's SQL function for each host function, by host function
   * name (e.g. `{ discount: "shop.discount" }`): a call of that host
   * function becomes a call of the SQL function, with the arguments as
   * doubles. Trusted, emitted as given. A host function not mapped is refused.
   */
  readonly sqlFunctions?: Readonly<Record<string, string>>;
  /** Most characters the SQL may have (default {@link DEFAULT_MAX_SQL_LENGTH}); longer is refused. */
  readonly maxSqlLength?: number;
}

/**
 * `source` as one scalar SQL expression of the dialect's binary64 type,
 * giving row by row what evaluating the row gives (LANGUAGE.md "SQL"):
 * NULL where a variable is NULL. PostgreSQL's SQL calls the helpers of
 * {@link sqlPrelude}, which must be installed first. Throws ExprError:
 * kind `backend` for a construct the dialect cannot express exactly.
 *
 * ```ts
 * toSQL("x^2 + y", { dialect: "duckdb", columns: { x: "price" } });
 * ```
 */
export function toSQL(source: string, options: SqlOptions): string {
  return (sqlResults(source, options)[0] as SqlResult).sql;
}

/** Every result of `source` as SQL (one, for a plain expression). */
export function sqlResults(source: string, options: SqlOptions): readonly SqlResult[] {
  const { dialect, program, emit } = prepare(source, options);
  // The emitter recurses once per level of the tree, several frames deep:
  // a tree near the depth limit may still exhaust a small stack.
  return guardStack(source, () => emitProgram(program, dialect, emit));
}

/**
 * The statements a dialect needs run once in a database before its SQL
 * is used ("" for DuckDB): PostgreSQL's helper functions (`exprjit_*`,
 * `LANGUAGE sql IMMUTABLE PARALLEL SAFE`), created or replaced.
 */
export function sqlPrelude(dialect: SqlDialectName): string {
  return checkDialect(dialect, "").prelude();
}

/** Options of {@link sqlFunction}: those of {@link toSQL} and the function's name. */
export interface SqlFunctionOptions extends Omit<SqlOptions, "columns"> {
  /** The database function's name: an identifier (`[A-Za-z_][A-Za-z0-9_]*`), emitted quoted. */
  readonly name: string;
}

/**
 * A statement installing `source` as a database function `name(variables…)`
 * taking the program's variables in order: a DuckDB macro, or a PostgreSQL
 * `LANGUAGE sql IMMUTABLE PARALLEL SAFE` function (after the prelude).
 */
export function sqlFunction(source: string, options: SqlFunctionOptions): string {
  const name = options?.name;
  if (!isIdentifier(name)) {
    throw new ExprOptionsError(
      "the SQL function's name must be an identifier ([A-Za-z_][A-Za-z0-9_]*)",
      source,
    );
  }
  const { dialect, program, emit } = prepare(source, { ...options, columns: {} });
  // Parameters are read by their quoted names.
  const [result] = guardStack(source, () => emitProgram(program, dialect, emit));
  const statement = dialect.defineFunction(name, program.variables, (result as SqlResult).sql);
  if (statement === undefined) {
    throw new ExprBackendError(
      `cannot make a database function of this program in ${dialect.title}`,
      source,
    );
  }
  return statement;
}

function prepare(
  source: string,
  options: SqlOptions,
): { dialect: SqlDialect; program: Program; emit: Parameters<typeof emitProgram>[2] } {
  if (typeof options !== "object" || options === null) {
    throw new ExprOptionsError(
      "toSQL needs options with a dialect",
      typeof source === "string" ? source : "",
    );
  }
  const text = typeof source === "string" ? source : "";
  const dialect = checkDialect(options.dialect, text);
  const columns = stringMap(options.columns, "columns", text);
  const sqlFunctions = stringMap(options.sqlFunctions, "sqlFunctions", text);
  const maxLength = options.maxSqlLength ?? DEFAULT_MAX_SQL_LENGTH;
  if (typeof maxLength !== "number" || !(maxLength > 0)) {
    throw new ExprOptionsError("maxSqlLength must be a positive number", text);
  }
  const program = toProgram(source, options, userNamesOf(options, options, text));
  return { dialect, program, emit: { columns, sqlFunctions, maxLength } };
}

function checkDialect(name: unknown, source: string): SqlDialect {
  const dialect = dialectOf(name);
  if (dialect === undefined) {
    throw new ExprOptionsError(
      `the SQL dialect must be one of ${DIALECT_NAMES.join(", ")}`,
      source,
    );
  }
  return dialect;
}

/** An option that maps names to SQL text, as a map of its own properties. */
function stringMap(value: unknown, option: string, source: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (value === undefined || value === null) return map;
  if (typeof value !== "object") {
    throw new ExprOptionsError(`${option} must be an object of names to SQL text`, source);
  }
  for (const key of Object.keys(value)) {
    const sql = (value as Record<string, unknown>)[key];
    if (typeof sql !== "string" || sql.trim() === "") {
      throw new ExprOptionsError(`${option}.${key} must be SQL text`, source);
    }
    map.set(key, sql);
  }
  return map;
}
