/**
 * What a SQL dialect is: a full table over the language's operators and
 * builtins, each entry turning the SQL of its operands into the SQL of its
 * value, guarded so that the value is the language's (LANGUAGE.md "SQL").
 * A new operator or builtin is a type error in every dialect until it has
 * an entry here ({@link BinarySpellings}, {@link FunctionSpellings} are
 * full records). An entry may refuse instead, naming why; the emitter turns
 * that into an ExprBackendError naming the construct and the dialect.
 *
 * Terms carry their SQL type: `double` (the engine's binary64 type) or
 * `boolean` (a truth, never NULL: the emitter guards NULL inputs once, at
 * the top), so comparisons and `&&` stay booleans until a number is needed.
 */

import type { FunctionName } from "../semantics/builtins.js";
import type { BinaryOp, ProgramUnaryOp } from "../syntax/operators.js";

/** The dialects exprjit emits. */
export type SqlDialectName = "duckdb" | "postgres" | "clickhouse";

/** A piece of SQL with its type. */
export interface Term {
  readonly sql: string;
  readonly type: "double" | "boolean";
}

/** A construct the dialect cannot express exactly, and why. */
export interface Refusal {
  readonly refused: string;
}

/**
 * A binary operator's spelling: the SQL of its operands to its value (or a
 * refusal). The emitter hands arithmetic operators and comparisons their
 * operands as doubles, `&&` and `||` theirs as booleans.
 */
export type BinarySpelling = (a: string, b: string) => Term | Refusal;

/** A prefix operator's spelling: `-` gets a double, `!` a boolean (the operand's truth). */
export type UnarySpelling = (a: string) => Term | Refusal;

/** A builtin's spelling, on its arguments as doubles (arity already checked). */
export type FunctionSpelling = (args: readonly string[]) => Term | Refusal;

/** Every binary operator's spelling: a missing one is a type error. */
export type BinarySpellings = { readonly [Op in BinaryOp]: BinarySpelling };

/** Every prefix operator's spelling. */
export type UnarySpellings = { readonly [Op in ProgramUnaryOp]: UnarySpelling };

/** Every builtin's spelling. */
export type FunctionSpellings = { readonly [Name in FunctionName]: FunctionSpelling };

/** One SQL dialect: how it writes values, names, and every construct. */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** The engine's name for people (`DuckDB`). */
  readonly title: string;
  /** The engine's binary64 type as it is written in a cast. */
  readonly doubleType: string;
  /** An exact literal of the binary64 `value` (NaN, ±Infinity and -0 included). */
  literal(value: number): string;
  /** `name` (already a valid identifier) as a quoted identifier. */
  quote(name: string): string;
  /** SQL that reads a variable's column as the engine's double. */
  read(column: string): string;
  /** The truth of a double: true iff it is not ±0 (NaN is true). */
  truth(a: string): string;
  /** A boolean as the double 1 or +0. */
  number(a: string): string;
  /** `test ? then : otherwise`: a boolean and two doubles. */
  choose(test: string, then: string, otherwise: string): string;
  /** The value of the whole program, NULL when any of `columns` (the columns' SQL as given, not read) is NULL. */
  nullGuard(columns: readonly string[], value: string): string;
  readonly binary: BinarySpellings;
  readonly unary: UnarySpellings;
  readonly functions: FunctionSpellings;
  /** Statements to run once before the dialect's SQL is used (helper functions); "" if none. */
  prelude(): string;
  /**
   * A statement that installs the program as a reusable database function
   * `name(params…)` (quoted), with `body` the SQL reading the parameters;
   * undefined where the dialect has none.
   */
  defineFunction(name: string, params: readonly string[], body: string): string | undefined;
}

/** A refusal, for the spellings. */
export function refuse(reason: string): Refusal {
  return { refused: reason };
}

/** Whether a spelling refused. */
export function isRefusal(value: Term | Refusal): value is Refusal {
  return "refused" in value;
}

/** A double term. */
export function double(sql: string): Term {
  return { sql, type: "double" };
}

/** A boolean term. */
export function boolean(sql: string): Term {
  return { sql, type: "boolean" };
}

/** `"name"` with inner quotes doubled: the standard SQL quoted identifier. */
export function doubleQuoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
