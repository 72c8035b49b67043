/**
 * The CLI's SQL commands as a user runs them (the built dist/cli/main.js):
 * `exprjit sql`, `--dump sql`, `explain`'s SQL sections, and
 * `exprjit batch --engine duckdb` over CSV and Parquet files in a
 * temporary directory, removed after.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "exprjit-cli-sql-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exprjit(args: string[]) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("exprjit sql", () => {
  it("prints the SQL of a dialect, with the caller's columns", () => {
    expect(exprjit(["sql", "x * 2", "--dialect", "postgres", "--column", "x=price"])).toEqual({
      status: 0,
      stdout:
        "CASE WHEN (price) IS NULL THEN CAST(NULL AS float8) ELSE exprjit_mul(CAST((price) AS float8), CAST('2' AS float8)) END\n",
      stderr: "",
    });
    expect(exprjit(["sql", "-x"]).stdout).toBe(
      'CASE WHEN "x" IS NULL THEN CAST(NULL AS DOUBLE) ELSE (-CAST("x" AS DOUBLE)) END\n',
    );
    expect(exprjit(["--dump", "sql", "--dialect", "clickhouse", "x < 1"]).stdout).toBe(
      "if(isNull(`x`), NULL, toFloat64((toFloat64(assumeNotNull(`x`)) < toFloat64(1))))\n",
    );
  });

  it("says what a dialect refuses (exit 1) and which dialects there are (exit 2)", () => {
    const refused = exprjit(["sql", "x % 2", "--dialect", "clickhouse"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      "cannot compile to SQL: the operator '%' cannot be exact in ClickHouse",
    );
    const unknown = exprjit(["sql", "x", "--dialect", "oracle"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(
      "--dialect takes one of duckdb, postgres, clickhouse; got 'oracle'",
    );
  });

  it("shows every dialect's SQL in explain", () => {
    const { stdout } = exprjit(["explain", "x % 2"]);
    expect(stdout).toMatch(/== sql \(duckdb\): .*\n {3}CASE WHEN "x" IS NULL/);
    expect(stdout).toMatch(
      /== sql \(clickhouse\): .*\n {3}\(refused: cannot compile to SQL: the operator '%'/,
    );
  });
});

describe("exprjit batch --engine duckdb", () => {
  const input = join(dir, "in.csv");
  writeFileSync(input, "x,y\n1.5,2\n-0,3\nNaN,1\n,4\n");

  it("writes the result column as CSV on standard output, exactly, NULL as an empty cell", () => {
    expect(exprjit(["batch", "x % y + 1", "--engine", "duckdb", "--input", input])).toEqual({
      status: 0,
      stdout: "result\n2.5\n1\nNaN\n\n",
      stderr: "",
    });
  });

  it("appends the result to the input, to a Parquet file that reads back", () => {
    const parquet = join(dir, "out.parquet");
    const first = ["batch", "x * y", "--engine", "duckdb", "--input", input];
    expect(exprjit([...first, "--append", "z", "--output", parquet]).status).toBe(0);
    const back = exprjit([
      "batch",
      "z + 1",
      "--engine",
      "duckdb",
      "--input",
      parquet,
      "--append",
      "w",
    ]);
    expect(back.stdout).toBe("x,y,z,w\n1.5,2,3,4\n-0,3,-0,1\nNaN,1,NaN,NaN\n,4,,\n");
  });

  it("writes CSV to --output, and names a column the file lacks", () => {
    const output = join(dir, "out.csv");
    expect(
      exprjit(["batch", "x / y", "--engine", "duckdb", "--input", input, "--output", output])
        .status,
    ).toBe(0);
    expect(readFileSync(output, "utf8")).toBe("result\n0.75\n-0.0\nnan\n\n");
    const missing = exprjit(["batch", "x * q", "--engine", "duckdb", "--input", input]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Referenced column "q" not found');
  });
});
