/**
 * Guards that more than one dialect spells the same way. DuckDB and
 * PostgreSQL both say `NaN = NaN` and order NaN above every number, so an
 * IEEE comparison takes the right operand through `nullif(b, NaN)` (NULL
 * when b is NaN) and a `coalesce(…, false)` turns that NULL into false;
 * `>` and `>=` are written mirrored (`b < a`), because NaN on the left of
 * `<` or `<=` is already false there. Each operand is read once, so the
 * SQL grows linearly with the program.
 */

import type { BinaryOpOf } from "../syntax/operators.js";
import { formatNumber } from "../text/number.js";
import { boolean, doubleQuoted, type SqlDialect, type Term } from "./dialect.js";

/** The comparison operators. */
export type ComparisonOp = BinaryOpOf<"comparison">;

/** IEEE comparisons for an engine where NaN equals NaN and is greater than every number. */
export function nanGreatestComparisons(nan: string): {
  readonly [Op in ComparisonOp]: (a: string, b: string) => Term;
} {
  const notNan = (x: string): string => `nullif(${x}, ${nan})`;
  const safe = (sql: string): Term => boolean(`coalesce(${sql}, false)`);
  return {
    "<": (a, b) => safe(`${a} < ${notNan(b)}`),
    "<=": (a, b) => safe(`${a} <= ${notNan(b)}`),
    ">": (a, b) => safe(`${b} < ${notNan(a)}`),
    ">=": (a, b) => safe(`${b} <= ${notNan(a)}`),
    "==": (a, b) => safe(`${a} = ${notNan(b)}`),
    "!=": (a, b) => boolean(`(NOT coalesce(${a} = ${notNan(b)}, false))`),
  };
}

/** The members of a dialect that DuckDB and PostgreSQL spell alike. */
type SharedMembers = Pick<
  SqlDialect,
  "doubleType" | "literal" | "quote" | "read" | "truth" | "number" | "choose" | "nullGuard"
>;

/**
 * What DuckDB and PostgreSQL spell alike, over their binary64 type
 * (`DOUBLE`, `float8`): literals as a cast of the shortest round-trip
 * text (a bare decimal literal would be DECIMAL / numeric), a column read
 * as that type, truth as `<> 0`, a boolean back to 1 or 0, `?:` as `CASE`,
 * and NULL in any variable read giving NULL. Also `&&`, `||` and the
 * NaN-safe comparisons, as {@link standardLogic}.
 */
export function standardMembers(doubleType: string): SharedMembers {
  const literal = (value: number): string => `CAST('${formatNumber(value)}' AS ${doubleType})`;
  const zero = literal(0);
  const one = literal(1);
  return {
    doubleType,
    literal,
    quote: doubleQuoted,
    read: (column) => `CAST(${column} AS ${doubleType})`,
    truth: (a) => `(${a} <> ${zero})`,
    number: (a) => `CASE WHEN ${a} THEN ${one} ELSE ${zero} END`,
    choose: (test, then, otherwise) => `CASE WHEN ${test} THEN ${then} ELSE ${otherwise} END`,
    nullGuard: (columns, value) =>
      columns.length === 0
        ? value
        : `CASE WHEN ${columns.map((c) => `${c} IS NULL`).join(" OR ")} THEN CAST(NULL AS ${doubleType}) ELSE ${value} END`,
  };
}

/** `||`, `&&` and the comparisons of an engine where NaN equals NaN and is greater than every number. */
export function standardLogic(nan: string): {
  readonly [Op in ComparisonOp | "||" | "&&"]: (a: string, b: string) => Term;
} {
  return {
    "||": (a, b) => boolean(`(${a} OR ${b})`),
    "&&": (a, b) => boolean(`(${a} AND ${b})`),
    ...nanGreatestComparisons(nan),
  };
}
