/**
 * THE dialect table: every SQL dialect by name. The public API, the CLI
 * and the tests read the names from here.
 */

import { CLICKHOUSE } from "./clickhouse.js";
import type { SqlDialect, SqlDialectName } from "./dialect.js";
import { DUCKDB } from "./duckdb.js";
import { POSTGRES } from "./postgres.js";

/** Every dialect, by name. */
export const DIALECTS = {
  duckdb: DUCKDB,
  postgres: POSTGRES,
  clickhouse: CLICKHOUSE,
} as const satisfies Record<SqlDialectName, SqlDialect>;

/** The dialect names, in table order. */
export const DIALECT_NAMES: readonly SqlDialectName[] = Object.freeze(
  Object.keys(DIALECTS) as SqlDialectName[],
);

/** The dialect called `name`, if there is one (never reaches Object.prototype). */
export function dialectOf(name: unknown): SqlDialect | undefined {
  return typeof name === "string" && Object.hasOwn(DIALECTS, name)
    ? DIALECTS[name as SqlDialectName]
    : undefined;
}
