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
import { boolean, type Term } from "./dialect.js";

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
