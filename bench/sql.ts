/**
 * The SQL phase (BENCHMARKS.md, phase 7): the workload's formulas over n
 * rows (10^6; `--full` 10^7; `--quick` 10^4) inside DuckDB with 1 and 2
 * threads, beside exprjit's own batch paths (js, native, parallel on 2
 * workers), a DuckDB JS scalar function calling exprjit's batch on each
 * chunk, and the hand-written JS loop (the baseline), as ns per row and ×
 * the baseline, medians of 3 runs; then the two-shard ClickHouse figure,
 * labelled as such. Each figure sums the results (so nothing is dead code)
 * and every engine's sum is checked against the baseline's first.
 *
 *   node --expose-gc --import tsx bench/sql.ts [--quick|--full] [--out DIR]
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOUBLE, DuckDBInstance, DuckDBScalarFunction } from "@duckdb/node-api";
import { closeBatchWorkers, compile } from "../src/api/compile.js";
import { toSQL } from "../src/sql/index.js";
import { startClickHouse } from "../test/sql/engines.js";
import { WORKLOAD } from "./workload.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const rows = quick ? 10_000 : args.includes("--full") ? 10_000_000 : 1_000_000;
const outIndex = args.indexOf("--out");
const outDir = outIndex === -1 ? "bench/output" : (args[outIndex + 1] as string);
const runs = quick ? 1 : 3;

/** The inputs: x, y in [0.5, 2.5), a fixed linear congruential sequence. */
function inputs(n: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let state = 12345;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return 0.5 + (2 * state) / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    xs[i] = next();
    ys[i] = next();
  }
  return { xs, ys };
}

async function median(work: () => Promise<number> | number): Promise<{ ms: number; sum: number }> {
  const times: number[] = [];
  let sum = 0;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    sum = await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, sum };
}

const total = (values: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s;
};

interface Row {
  readonly id: string;
  readonly source: string;
  readonly ns: Record<string, number>;
}

async function main(): Promise<void> {
  const { xs, ys } = inputs(rows);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run("CREATE TABLE t (x DOUBLE, y DOUBLE)");
  const appender = await connection.createAppender("t");
  for (let i = 0; i < rows; i++) {
    appender.appendDouble(xs[i] as number);
    appender.appendDouble(ys[i] as number);
    appender.endRow();
  }
  appender.closeSync();
  const clickhouse = quick ? undefined : await startClickHouse().catch(() => undefined);
  if (clickhouse?.onServer !== undefined) {
    for (const server of [0, 1])
      await clickhouse.onServer(server, "CREATE TABLE t (x Float64, y Float64) ENGINE = Memory");
    await clickhouse.onServer(
      0,
      "CREATE TABLE t_all AS t ENGINE = Distributed(exprjit_two_shards, default, t)",
    );
    for (const server of [0, 1]) {
      const half = Math.ceil(rows / 2);
      const from = server * half;
      const to = Math.min(rows, from + half);
      const bytes = new DataView(new ArrayBuffer((to - from) * 16));
      for (let i = from; i < to; i++) {
        bytes.setFloat64((i - from) * 16, xs[i] as number, true);
        bytes.setFloat64((i - from) * 16 + 8, ys[i] as number, true);
      }
      await clickhouse.onServer(
        server,
        "INSERT INTO t FORMAT RowBinary",
        new Uint8Array(bytes.buffer),
      );
    }
  }
  const results: Row[] = [];
  // The constant expression has no columns to read: nothing for a database to do per row.
  for (const expr of WORKLOAD.filter((e) => compile(e.source).variables.length > 0)) {
    const ns: Record<string, number> = {};
    const baseline = expr.baseline;
    const loop = new Function(
      "f",
      "xs",
      "ys",
      "let s = 0; for (let i = 0; i < xs.length; i++) s += f(xs[i], ys[i]); return s;",
    ) as (f: typeof baseline, a: Float64Array, b: Float64Array) => number;
    const base = await median(() => loop(baseline, xs, ys));
    ns.js_loop = (base.ms * 1e6) / rows;
    const close = (sum: number): boolean =>
      Math.abs(sum - base.sum) <= 1e-9 * Math.abs(base.sum) + 1e-6;
    const record = (name: string, figure: { ms: number; sum: number }): void => {
      if (!close(figure.sum))
        throw new Error(`${expr.id} ${name}: sum ${figure.sum}, the baseline's ${base.sum}`);
      ns[name] = (figure.ms * 1e6) / rows;
    };
    const sql = toSQL(expr.source, { dialect: "duckdb" });
    for (const threads of [1, 2]) {
      await connection.run(`SET threads = ${threads}`);
      record(
        `duckdb_sql_${threads}t`,
        await median(async () =>
          Number((await connection.runAndReadAll(`SELECT sum(${sql}) FROM t`)).getRows()[0]?.[0]),
        ),
      );
    }
    for (const backend of ["js", "native"] as const) {
      const compiled = compile(expr.source, { backend });
      record(
        `exprjit_${backend}`,
        await median(() => total(compiled.evaluateBatch({ x: xs, y: ys }))),
      );
      compiled.dispose();
    }
    const parallel = compile(expr.source, { backend: "js" });
    record(
      "exprjit_parallel_2",
      await median(async () =>
        total(await parallel.evaluateBatchParallel({ x: xs, y: ys }, { workers: 2 })),
      ),
    );
    parallel.dispose();
    // A DuckDB scalar function (called on the JS thread, chunk by chunk) that runs exprjit's batch.
    const compiled = compile(expr.source, { backend: "js" });
    const name = `exprjit_${expr.id}`;
    connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name,
        returnType: DOUBLE,
        parameterTypes: [DOUBLE, DOUBLE],
        mainFunction: (_info, input, output) => {
          const n = input.rowCount;
          const a = input.getColumnVector(0);
          const b = input.getColumnVector(1);
          const x = new Float64Array(n);
          const y = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            x[i] = a.getItem(i) as number;
            y[i] = b.getItem(i) as number;
          }
          const values = compiled.evaluateBatch({ x, y });
          for (let i = 0; i < n; i++) output.setItem(i, values[i] as number);
          output.flush();
        },
      }),
    );
    await connection.run("SET threads = 1");
    record(
      "duckdb_js_udf",
      await median(async () =>
        Number(
          (await connection.runAndReadAll(`SELECT sum(${name}(x, y)) FROM t`)).getRows()[0]?.[0],
        ),
      ),
    );
    compiled.dispose();
    if (clickhouse?.onServer !== undefined) {
      const chSql = (() => {
        try {
          return toSQL(expr.source, { dialect: "clickhouse" });
        } catch {
          return undefined;
        }
      })();
      if (chSql !== undefined) {
        const query = clickhouse.onServer;
        record(
          "clickhouse_2_shards",
          await median(async () =>
            Number(new TextDecoder().decode(await query(0, `SELECT sum(${chSql}) FROM t_all`))),
          ),
        );
      }
    }
    results.push({ id: expr.id, source: expr.source, ns });
    console.log(
      `${expr.id} ${Object.entries(ns)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join("  ")}`,
    );
  }
  await closeBatchWorkers();
  connection.closeSync();
  instance.closeSync();
  await clickhouse?.close();
  report(results);
}

function report(results: readonly Row[]): void {
  const names = [...new Set(results.flatMap((r) => Object.keys(r.ns)))];
  const geomean = (name: string): number => {
    const ratios = results
      .filter((r) => r.ns[name] !== undefined)
      .map((r) => (r.ns[name] as number) / (r.ns.js_loop as number));
    return Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  };
  const lines = [
    `# SQL phase: ${rows.toLocaleString("en")} rows, ns per row (× the hand-written JS loop), medians of ${runs}`,
    "",
    `Node ${process.version}; ${quick ? "quick pass" : "shared 2-core machine, other work running"}. clickhouse_2_shards is a two-shard ClickHouse 18.16 cluster on this one machine (two server processes), through its Distributed table, measured end to end over HTTP.`,
    "",
    `| formula | ${names.join(" | ")} |`,
    `| --- | ${names.map(() => "---:").join(" | ")} |`,
    ...results.map(
      (r) =>
        `| \`${r.source}\` | ${names
          .map((n) =>
            r.ns[n] === undefined
              ? "refused"
              : `${(r.ns[n] as number).toFixed(2)} (${((r.ns[n] as number) / (r.ns.js_loop as number)).toFixed(2)}×)`,
          )
          .join(" | ")} |`,
    ),
    `| geometric mean × JS loop | ${names.map((n) => geomean(n).toFixed(2)).join(" | ")} |`,
  ];
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "sql.md"), `${lines.join("\n")}\n`);
  writeFileSync(
    join(outDir, "sql.json"),
    `${JSON.stringify({ rows, node: process.version, results }, null, 2)}\n`,
  );
  console.log(lines.join("\n"));
}

await main();
