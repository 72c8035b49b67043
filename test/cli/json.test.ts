/**
 * The CLI's machine-readable and forgiving spellings: `--json` lines for
 * results and errors, `-v` and `help` alone, and standard-input errors whose
 * frame numbers the line as the input does. Through the built CLI.
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function exprjit(args: readonly string[], input = "") {
  const run = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("--json", () => {
  it("prints a result as one JSON line: the number, and its exact text", () => {
    expect(exprjit(["--json", "1+1.2-5"])).toEqual({
      status: 0,
      stdout: '{"ok":true,"value":-2.8,"text":"-2.8"}\n',
      stderr: "",
    });
  });

  it("gives numbers JSON cannot spell as null, with the text that reads back", () => {
    const lines = exprjit(["--json", "-"], "0/0\n-1/0\n-(0)\n").stdout.trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { inputLine: 1, ok: true, value: null, text: "NaN" },
      { inputLine: 2, ok: true, value: null, text: "-Infinity" },
      { inputLine: 3, ok: true, value: null, text: "-0" },
    ]);
  });

  it("prints errors on stdout too, with kind and position, and exits 1", () => {
    const run = exprjit(["--json", "--var", "x=2"], "x^2\n\n1 +\n");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n").map((line) => (line === "" ? null : JSON.parse(line)))).toEqual([
      { inputLine: 1, ok: true, value: 4, text: "4" },
      {
        inputLine: 3,
        ok: false,
        error: {
          kind: "syntax",
          message: "expected an operand after '+', found end of input",
          offset: 3,
          length: 0,
          line: 1,
          column: 4,
        },
      },
      null,
    ]);
  });

  it("goes with neither --dump nor explain", () => {
    expect(exprjit(["--json", "--dump", "js", "1"])).toMatchObject({
      status: 2,
      stderr:
        "exprjit: --json prints results and errors; it goes with neither --dump, explain nor repl\n(try exprjit --help)\n",
    });
    expect(exprjit(["explain", "--json", "1"]).status).toBe(2);
  });
});

describe("spellings users reach for", () => {
  it("-v alone is the version, help alone is the help", () => {
    expect(exprjit(["-v"]).stdout).toMatch(/^exprjit \d+\.\d+\.\d+\n$/);
    expect(exprjit(["help"]).stdout).toMatch(/^exprjit: evaluate arithmetic expressions/);
  });

  it("with more words they stay expressions", () => {
    expect(exprjit(["-v", "--var", "v=2"]).stdout).toBe("-2\n");
    expect(exprjit(["help", "+", "1", "--var", "help=1"]).stdout).toBe("2\n");
  });
});

describe("errors in standard input", () => {
  it("number the frame's line as the input numbers it", () => {
    const run = exprjit(["-"], "1\n2\n3\n4\n5\n6\n7\n8\n9\nsinn(1)\n");
    expect(run.stderr).toBe(
      "line 10: error: unknown function 'sinn'; did you mean 'sin'?\n  10 | sinn(1)\n     | ^^^^\n",
    );
  });
});
