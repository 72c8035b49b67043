/**
 * The real database engines the SQL tests run on, started by the tests
 * and removed after them: DuckDB in process, and a private PostgreSQL
 * cluster (initdb in a temporary directory, a Unix socket in it, no TCP
 * port; as the `postgres` user when the tests run as root, since initdb
 * refuses root). Values come back exactly: DuckDB hands DOUBLEs to JS as
 * numbers; PostgreSQL's are read as their 8 bytes (`float8send`).
 *
 * Every engine answers one question: the values of one SQL expression over
 * rows of inputs, in row order, each input written as the dialect's exact
 * literal (NULL for null).
 */

import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { DIALECTS } from "../../src/sql/dialects.js";
import type { SqlDialectName } from "../../src/sql/index.js";

/** A running engine. */
export interface Engine {
  readonly dialect: SqlDialectName;
  /** The engine's version, as it reports it. */
  readonly version: string;
  /** Runs statements (a prelude, a CREATE) that return nothing. */
  exec(sql: string): Promise<void>;
  /**
   * The values of `expression` over `rows` (each row gives `columns` in
   * order; null is SQL NULL), in row order; null where the value is NULL.
   */
  values(
    expression: string,
    columns: readonly string[],
    rows: readonly (readonly (number | null)[])[],
  ): Promise<(number | null)[]>;
  /** Stops the engine and removes everything it made. */
  close(): Promise<void>;
}

/** The FROM clause that gives `rows` as a table with `columns` and a row number. */
export function valuesTable(
  dialect: SqlDialectName,
  columns: readonly string[],
  rows: readonly (readonly (number | null)[])[],
): string {
  const { literal, quote, doubleType } = DIALECTS[dialect];
  const cell = (v: number | null): string =>
    v === null ? `CAST(NULL AS ${doubleType})` : literal(v);
  const body = rows.map((row, i) => `(${[String(i), ...row.map(cell)].join(", ")})`).join(", ");
  const names = ["exprjit_row", ...columns].map(quote).join(", ");
  return `(VALUES ${body}) AS exprjit_input(${names})`;
}

/** DuckDB in this process, in memory. */
export async function startDuckDB(): Promise<Engine> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const version = String((await connection.runAndReadAll("SELECT version()")).getRows()[0]?.[0]);
  return {
    dialect: "duckdb",
    version: `DuckDB ${version}`,
    exec: async (sql) => {
      await connection.run(sql);
    },
    values: async (expression, columns, rows) => {
      const from = valuesTable("duckdb", columns, rows);
      const reader = await connection.runAndReadAll(
        `SELECT ${expression} AS v FROM ${from} ORDER BY "exprjit_row"`,
      );
      return reader.getRows().map((row) => row[0] as number | null);
    },
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The directory of PostgreSQL's server programs (initdb, pg_ctl). */
function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "initdb"))) return bin;
  }
  throw new Error("PostgreSQL's server is not installed (Debian: apt-get install postgresql)");
}

/** A private PostgreSQL cluster in a temporary directory, reached through a Unix socket there. */
export async function startPostgres(): Promise<Engine> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "exprjit-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: readonly string[]): void => {
    const command = join(bin, program);
    if (asRoot)
      execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
    else execFileSync(command, args, { stdio: "pipe" });
  };
  const data = join(dir, "data");
  let client: pg.Client | undefined;
  const stop = (): void => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
      chmodSync(dir, 0o700);
    }
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    run("pg_ctl", [
      "-D",
      data,
      "-w",
      "-l",
      join(dir, "log"),
      "-o",
      `-k ${dir} -c listen_addresses= -c fsync=off`,
      "start",
    ]);
    client = new pg.Client({ host: dir, user: "postgres", database: "postgres" });
    await client.connect();
    const connected = client;
    const version = String((await connected.query("SHOW server_version")).rows[0]?.server_version);
    return {
      dialect: "postgres",
      version: `PostgreSQL ${version}`,
      exec: async (sql) => {
        await connected.query(sql);
      },
      values: async (expression, columns, rows) => {
        const from = valuesTable("postgres", columns, rows);
        const result = await connected.query<{ v: Buffer | null }>(
          `SELECT float8send(${expression}) AS v FROM ${from} ORDER BY "exprjit_row"`,
        );
        return result.rows.map(({ v }) => (v === null ? null : v.readDoubleBE(0)));
      },
      close: async () => {
        await connected.end().catch(() => undefined);
        stop();
      },
    };
  } catch (error) {
    await client?.end().catch(() => undefined);
    stop();
    throw error;
  }
}
