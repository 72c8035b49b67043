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
  /** ClickHouse only: a statement on one of the two servers (0 or 1), with a body to send (RowBinary). */
  readonly onServer?: (server: number, sql: string, body?: Uint8Array) => Promise<Uint8Array>;
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

/**
 * Where the cluster's directory goes. As root the server runs as the
 * `postgres` user, which must reach it: a private TMPDIR (mode 700, as CI
 * makes) is closed to that user, so the first of the temporary directory,
 * /tmp and /var/tmp that it can write in is taken. The directory is
 * removed at the end wherever it is.
 */
function postgresBase(asRoot: boolean): string {
  if (!asRoot) return tmpdir();
  for (const base of [tmpdir(), "/tmp", "/var/tmp"]) {
    try {
      execFileSync("runuser", ["-u", "postgres", "--", "test", "-w", base, "-a", "-x", base], {
        stdio: "pipe",
      });
      return base;
    } catch {
      // not reachable by postgres: try the next
    }
  }
  throw new Error("no temporary directory that the postgres user can write in");
}

/** A private PostgreSQL cluster in a temporary directory, reached through a Unix socket there. */
export async function startPostgres(): Promise<Engine> {
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(postgresBase(asRoot), "exprjit-pg-"));
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

/** A free loopback TCP port (the kernel's choice, released at once). */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === "object" && address !== null ? address.port : 0),
      );
    });
  });
}

/** The configuration of one ClickHouse server of the two-shard cluster. */
function clickhouseConfig(
  dir: string,
  http: number,
  tcp: number,
  shards: readonly number[],
): string {
  const replicas = shards
    .map((port) => `<shard><replica><host>127.0.0.1</host><port>${port}</port></replica></shard>`)
    .join("");
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <mark_cache_size>5368709</mark_cache_size>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <remote_servers><exprjit_two_shards>${replicas}</exprjit_two_shards></remote_servers>
</yandex>
`;
}

const CLICKHOUSE_USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`;

/**
 * ClickHouse as two server processes on loopback ports forming a two-shard
 * cluster: each query's rows are spread over both shards' local tables
 * (even rows on the first, odd on the second) and read back through a
 * `Distributed` table, so every formula runs on both servers.
 */
export async function startClickHouse(): Promise<Engine> {
  const { spawn } = await import("node:child_process");
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const root = mkdtempSync(join(tmpdir(), "exprjit-ch-"));
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  const servers: { http: number; tcp: number; process: ReturnType<typeof spawn> }[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      servers.map(
        ({ process: child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
    rmSync(root, { recursive: true, force: true });
  };
  const query = async (server: number, sql: string, body?: Uint8Array): Promise<Uint8Array> => {
    const { http } = servers[server] as { http: number };
    const url =
      body === undefined
        ? `http://127.0.0.1:${http}/`
        : `http://127.0.0.1:${http}/?query=${encodeURIComponent(sql)}`;
    const response = await fetch(url, { method: "POST", body: body ?? sql });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!response.ok) throw new Error(`ClickHouse: ${new TextDecoder().decode(bytes)}\n${sql}`);
    return bytes;
  };
  try {
    const tcps = [ports[1] as number, ports[3] as number];
    for (let i = 0; i < 2; i++) {
      const dir = join(root, `shard${i + 1}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "users.xml"), CLICKHOUSE_USERS);
      const http = ports[2 * i] as number;
      const tcp = ports[2 * i + 1] as number;
      writeFileSync(join(dir, "config.xml"), clickhouseConfig(dir, http, tcp, tcps));
      const child = spawn("clickhouse-server", [`--config-file=${join(dir, "config.xml")}`], {
        stdio: "ignore",
      });
      servers.push({ http, tcp, process: child });
    }
    // Wait until both answer.
    for (let i = 0; i < 2; i++) {
      for (let attempt = 0; ; attempt++) {
        try {
          await query(i, "SELECT 1");
          break;
        } catch (error) {
          if (attempt > 150) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    const version = new TextDecoder().decode(await query(0, "SELECT version()")).trim();
    let tables = 0;
    return {
      dialect: "clickhouse",
      version: `ClickHouse ${version} (two shards)`,
      onServer: query,
      exec: async (sql) => {
        await query(0, sql);
      },
      values: async (expression, columns, rows) => {
        const table = `exprjit_t${++tables}`;
        const schema = [
          "`exprjit_row` UInt32",
          ...columns.map((c) => `${quoteCh(c)} Nullable(Float64)`),
        ];
        for (let i = 0; i < 2; i++)
          await query(i, `CREATE TABLE ${table} (${schema.join(", ")}) ENGINE = Memory`);
        await query(
          0,
          `CREATE TABLE ${table}_all AS ${table} ENGINE = Distributed(exprjit_two_shards, default, ${table})`,
        );
        try {
          for (let shard = 0; shard < 2; shard++) {
            const mine = rows.flatMap((row, i) => (i % 2 === shard ? [[i, row] as const] : []));
            if (mine.length === 0) continue;
            const bytes = new DataView(new ArrayBuffer(mine.length * (4 + 9 * columns.length)));
            let at = 0;
            for (const [i, row] of mine) {
              bytes.setUint32(at, i, true);
              at += 4;
              for (let c = 0; c < columns.length; c++) {
                const v = row[c] ?? null;
                bytes.setUint8(at, v === null ? 1 : 0);
                at += 1;
                if (v !== null) {
                  bytes.setFloat64(at, v, true);
                  at += 8;
                }
              }
            }
            await query(
              shard,
              `INSERT INTO ${table} FORMAT RowBinary`,
              new Uint8Array(bytes.buffer, 0, at),
            );
          }
          const out = await query(
            0,
            `SELECT exprjit_row, toNullable(${expression}) AS v FROM ${table}_all ORDER BY exprjit_row FORMAT RowBinary`,
          );
          const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
          const values: (number | null)[] = [];
          for (let at = 0; at < out.byteLength; ) {
            at += 4;
            const isNull = view.getUint8(at) === 1;
            at += 1;
            if (isNull) values.push(null);
            else {
              values.push(view.getFloat64(at, true));
              at += 8;
            }
          }
          if (values.length !== rows.length)
            throw new Error(`ClickHouse gave ${values.length} rows for ${rows.length}`);
          return values;
        } finally {
          await query(0, `DROP TABLE IF EXISTS ${table}_all`);
          for (let i = 0; i < 2; i++) await query(i, `DROP TABLE IF EXISTS ${table}`);
        }
      },
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function quoteCh(name: string): string {
  return DIALECTS.clickhouse.quote(name);
}
