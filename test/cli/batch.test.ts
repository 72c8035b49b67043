/**
 * `exprjit batch` as a user runs it: the built `dist/cli/main.js`, spawned
 * with CSV on stdin or in a file of a private temporary directory.
 * (`npm test` builds first.) The progress display is tested on its own,
 * with a fake clock: a spawned process's stderr is never a terminal.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/batch.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function exprjit(args: string[], input = "") {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const TABLE = "x,y\n1,2\n3,4.5\n-0,-0\n1e21,0.1\n";

describe("exprjit batch", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "exprjit-batch-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes the result column for CSV on stdin, numbers as they read back", () => {
    expect(exprjit(["batch", "x+y"], TABLE)).toEqual({
      status: 0,
      stdout: "result\n3\n7.5\n-0\n1e+21\n",
      stderr: "",
    });
  });

  it("reads --input FILE, with a byte-order mark and CRLF line ends", () => {
    const file = join(dir, "data.csv");
    writeFileSync(file, "\uFEFFa,b\r\n0.1,0.2\r\n1,0\r\n");
    expect(exprjit(["batch", "a+b", "--input", file])).toEqual({
      status: 0,
      stdout: "result\n0.30000000000000004\n1\n",
      stderr: "",
    });
    expect(exprjit(["batch", "a/b", "--input", file])).toEqual({
      status: 0,
      stdout: "result\n0.5\nInfinity\n",
      stderr: "",
    });
  });

  it("--append NAME writes the input with the result column, keeping cells and quoting", () => {
    const input = 'name,x,y\n"a, b",1,2\nc,3,4.5\n';
    expect(exprjit(["batch", "x*y", "--append", "p"], input)).toEqual({
      status: 0,
      stdout: 'name,x,y,p\n"a, b",1,2,2\nc,3,4.5,13.5\n',
      stderr: "",
    });
  });

  it("--var gives one value to every row; --const and --define work as for one expression", () => {
    expect(exprjit(["batch", "x*k + y", "--var", "k=10"], TABLE).stdout).toBe(
      "result\n12\n34.5\n-0\n1e+22\n",
    );
    const args = ["batch", "--const", "g=2", "--define", "f(t) = t * g", "f(x) + y"];
    expect(exprjit(args, TABLE).stdout).toBe("result\n4\n10.5\n-0\n2e+21\n");
  });

  it("reads cells as Number() does: hex, exponents, spaces, Infinity and NaN", () => {
    const input = "x\n0x10\n 2.5e3 \n-Infinity\nNaN\n.5\n";
    expect(exprjit(["batch", "x"], input).stdout).toBe("result\n16\n2500\n-Infinity\nNaN\n0.5\n");
  });

  it("evaluates with the back-end asked for, and --workers 2 equals the sequential run", () => {
    let input = "x,y\n";
    for (let i = 0; i < 70_000; i++) input += `${i / 7},${(i % 13) - 6.5}\n`;
    const sequential = exprjit(["batch", "x*y - sqrt(x) + (x > y ? 1 : -0)"], input);
    expect(sequential.status).toBe(0);
    expect(sequential.stdout.split("\n").length).toBe(70_002);
    const parallel = exprjit(
      ["batch", "--workers", "2", "x*y - sqrt(x) + (x > y ? 1 : -0)"],
      input,
    );
    expect(parallel).toEqual(sequential);
    const vm = exprjit(["batch", "-b", "vm", "x*y - sqrt(x) + (x > y ? 1 : -0)"], input);
    expect(vm).toEqual(sequential);
  });

  it("writes only the header for a table without rows, and fills rows for an expression without variables", () => {
    expect(exprjit(["batch", "x"], "x\n")).toEqual({ status: 0, stdout: "result\n", stderr: "" });
    expect(exprjit(["batch", "2^10"], "a\n1\n2\n")).toEqual({
      status: 0,
      stdout: "result\n1024\n1024\n",
      stderr: "",
    });
  });

  it.each([
    [
      "a cell that is not a number",
      "x,y\n1,2\n\n3,abc\n",
      "exprjit: line 4, column 2 (y): 'abc' is not a number\n",
    ],
    [
      "an empty cell",
      "x,y\n1,\n",
      "exprjit: line 2, column 2 (y): the cell is empty, not a number\n",
    ],
    [
      "a blank cell",
      "x,y\n1,  \n",
      "exprjit: line 2, column 2 (y): the cell is empty, not a number\n",
    ],
    [
      "a bad cell in the record after a quoted field spanning lines",
      'note,x,y\n"a\nb",1,2\nc,3,z\n',
      "exprjit: line 4, column 3 (y): 'z' is not a number\n",
    ],
    [
      "a bad cell on the second line of a record",
      'note,x,y\n"a\nb",1,q\n',
      "exprjit: line 3, column 3 (y): 'q' is not a number\n",
    ],
    [
      "a cell spanning lines, shown on one",
      'x,y\n1,"2\r\n3"\n',
      "exprjit: line 2, column 2 (y): '2\\r\\n3' is not a number\n",
    ],
    [
      "a missing column",
      "x,z\n1,2\n",
      "exprjit: variable 'y' has no column in the input (its columns: x, z) and no --var y=VALUE\n",
    ],
    [
      "a record of more fields than the header",
      "x,y\n1,2,3\n",
      "exprjit: line 2, column 3: the row has 3 fields, but the header has 2\n",
    ],
    [
      "a record of fewer fields than the header, after a blank line",
      "x,y\n1,2\n\n3\n",
      "exprjit: line 4, column 2: the row has 1 field, but the header has 2\n",
    ],
    [
      "a quoted field never closed",
      'x,y\n1,2\n3,"4\n',
      "exprjit: line 3, column 2: a quoted field is not closed before the end of the input\n",
    ],
    [
      "a closing quote followed by more of the field",
      'x,y\n1,2\n3,"4"5\n',
      'exprjit: line 3, column 2: the quoted field goes on after its closing quote (write a quote inside a quoted field as "")\n',
    ],
    [
      "a quote inside an unquoted field",
      'x,y\n1,2\n3,4"5"\n',
      "exprjit: line 3, column 2: a quote inside an unquoted field (quote the whole field and double the quote)\n",
    ],
  ])("exits 1 on %s, naming where", (_what, input, message) => {
    expect(exprjit(["batch", "x+y"], input)).toEqual({ status: 1, stdout: "", stderr: message });
  });

  it("keeps one output line per input line: a blank line gives a blank line", () => {
    expect(exprjit(["batch", "x*2"], "x\n1\n\n2\n\n\n3\n\n")).toEqual({
      status: 0,
      stdout: "result\n2\n\n4\n\n\n6\n\n",
      stderr: "",
    });
    expect(exprjit(["batch", "x*2", "--append", "z"], "\r\nx\r\n1\r\n\r\n2\r\n")).toEqual({
      status: 0,
      stdout: "x,z\n1,2\n\n2,4\n",
      stderr: "",
    });
    expect(exprjit(["batch", "x+y"], "x,y\n\n")).toEqual({
      status: 0,
      stdout: "result\n\n",
      stderr: "",
    });
  });

  it("exits 1 when --var and a column both give a variable, or a file cannot be read", () => {
    expect(exprjit(["batch", "x+y", "--var", "x=1"], TABLE)).toEqual({
      status: 1,
      stdout: "",
      stderr: "exprjit: variable 'x' is both a column of the input and given by --var; keep one\n",
    });
    const missing = join(dir, "missing.csv");
    expect(exprjit(["batch", "x", "--input", missing])).toEqual({
      status: 1,
      stdout: "",
      stderr: `exprjit: cannot read ${missing} (ENOENT)\n`,
    });
  });

  it("exits 1 with the expression's error, as for one expression", () => {
    const { status, stdout, stderr } = exprjit(["batch", "x+"], TABLE);
    expect({ status, stdout }).toEqual({ status: 1, stdout: "" });
    expect(stderr).toMatch(/^error: /);
  });

  it.each([
    [["batch"], 'exprjit: batch needs an expression: exprjit batch "x*y" --input data.csv\n'],
    [["--workers", "2", "x"], "exprjit: --workers goes with exprjit batch only\n"],
    [
      ["batch", "--workers", "0", "x"],
      "exprjit: --workers takes a positive whole number, got '0'\n",
    ],
    [
      ["batch", "--append", "", "x"],
      "exprjit: --append takes the name of the result column, got ''\n",
    ],
    [
      ["batch", "--dump", "ast", "x"],
      "exprjit: batch prints results; leave out --dump (exprjit --dump STAGE EXPR shows one)\n",
    ],
    [["batch", "--json", "x"], "exprjit: batch writes CSV; leave out --json\n"],
  ])("exits 2 on the usage mistake %j", (args, message) => {
    expect(exprjit(args, TABLE)).toEqual({
      status: 2,
      stdout: "",
      stderr: `${message}(try exprjit --help)\n`,
    });
  });

  it("documents batch in --help", () => {
    const { stdout } = exprjit(["--help"]);
    expect(stdout).toContain("exprjit batch [options] EXPR");
    expect(stdout).toContain("--append NAME");
    expect(stdout).toContain("--workers N");
  });
});

describe("the CSV library", () => {
  it("is imported under src/cli/ only: the library and the browser never load it", () => {
    const src = fileURLToPath(new URL("../../src/", import.meta.url));
    const importers = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .filter((file) => /from "csv-(?:parse|stringify)/.test(readFileSync(join(src, file), "utf8")))
      .map((file) => file.split("\\").join("/"));
    expect(importers).toEqual(["cli/batch.ts"]);
  });
});

describe("the batch progress display", () => {
  it("stays silent for the first half second, then redraws at most every 100 ms and erases itself", () => {
    const written: string[] = [];
    let time = 1000;
    const progress = new Progress(
      (text) => written.push(text),
      () => time,
    );
    progress.show("1024 rows read");
    time += 499;
    progress.show("2048 rows read");
    expect(written).toEqual([]);
    time += 1;
    progress.show("3072 rows read");
    time += 99;
    progress.show("4096 rows read");
    time += 1;
    progress.show("4 / 5 rows written");
    progress.clear();
    expect(written).toEqual([
      "\r\x1b[Kexprjit batch: 3072 rows read",
      "\r\x1b[Kexprjit batch: 4 / 5 rows written",
      "\r\x1b[K",
    ]);
  });

  it("writes nothing without a terminal, and clear() is silent when nothing was shown", () => {
    let time = 0;
    const silent = new Progress(undefined, () => time);
    time = 10_000;
    silent.show("1024 rows read");
    silent.clear();
    const written: string[] = [];
    const quick = new Progress(
      (text) => written.push(text),
      () => 0,
    );
    quick.show("1024 rows read");
    quick.clear();
    expect(written).toEqual([]);
  });
});
