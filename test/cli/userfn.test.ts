/**
 * The CLI's user names: `--const`, `--define` and `--define-file`, the
 * errors they give (with where the definition came from and a caret in its
 * text), `explain` listing the user names used, and the dumps showing the
 * definitions.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findBackend } from "../../src/backends/registry.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function exprjit(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input: input ?? "",
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const directory = mkdtempSync(join(tmpdir(), "exprjit-cli-defs-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe("user names on the command line", () => {
  it("takes constants, which may use the constants before them", () => {
    const run = exprjit([
      "--const",
      "g=9.81",
      "--const",
      "half=g/2",
      "half * 2 + x",
      "--var",
      "x=1",
    ]);
    expect(run).toEqual({ status: 0, stdout: "10.81\n", stderr: "" });
  });

  it("takes definitions, repeatable, each calling those before it", () => {
    const run = exprjit([
      "--define",
      "lerp(a, b, t) = a + (b - a) * t",
      "--define=mid(a, b) = lerp(a, b, 0.5)",
      "-b",
      "vm",
      "mid(1, x)",
      "--var",
      "x=4",
    ]);
    expect(run).toEqual({ status: 0, stdout: "2.5\n", stderr: "" });
  });

  it("reads a definition file: one a line, blank lines and # comments skipped", () => {
    const path = file(
      "ok.defs",
      "# shapes\nsq(v) = v * v\n\n  # indented comment\r\ncube(v) = sq(v) * v\r\n",
    );
    const run = exprjit(["--define-file", path, "cube(3) + sq(2)"]);
    expect(run).toEqual({ status: 0, stdout: "31\n", stderr: "" });
  });

  it("names the file and line of a bad definition, with a caret in its text", () => {
    const path = file("bad.defs", "sq(v) = v * v\n# next one is wrong\nbad(y) = y + q\n");
    const run = exprjit(["--define-file", path, "1"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        `exprjit: ${path}:3: error: unknown name 'q' in the body of 'bad' (its parameters: y)`,
        "  1 | bad(y) = y + q",
        "    |              ^",
        "",
      ].join("\n"),
    );
  });

  it("says which --define is wrong, and why", () => {
    expect(exprjit(["--define", "f(x) = x +", "1"]).stderr).toBe(
      [
        "exprjit: --define: error: expected an operand after '+', found end of input",
        "  1 | f(x) = x +",
        "    |           ^",
        "",
      ].join("\n"),
    );
    const cycle = exprjit(["--define", "f(x) = g(x)", "--define", "g(x) = f(x)", "1"]);
    expect(cycle.status).toBe(1);
    expect(cycle.stderr).toContain(
      "--define: error: 'f' and 'g' call each other (f → g → f); expression functions cannot be recursive",
    );
    const twice = exprjit(["--define", "f(x) = x", "--define", "f(y) = y", "1"]);
    expect(twice.stderr).toContain("--define: error: 'f' is already defined (by --define)");
    const nameless = exprjit(["--define", "= 1", "1"]);
    expect(nameless.stderr).toContain(
      "--define: error: a definition starts with the function's name",
    );
  });

  it("refuses what cannot be a constant, and variables with user names", () => {
    const bad = [
      [["--const", "g", "1"], "--const takes NAME=VALUE"],
      [["--const", "pi=3", "1"], "'pi' is a builtin name"],
      [["--const", "g=x", "1"], "the value must be a number or a constant expression"],
      [["--const", "g=1", "--const", "g=2", "1"], "--const g is given twice"],
      [["--const", "g=1", "--var", "g=2", "g"], "'g' is defined by --const or --define"],
    ] as const;
    for (const [args, message] of bad) {
      const run = exprjit([...args]);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
    const missing = exprjit(["--define-file", join(directory, "none.defs"), "1"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read it");
  });

  it("evaluates every stdin line with the same names", () => {
    const run = exprjit(
      ["--const", "k=3", "--define", "tri(n) = n * (n + 1) / 2"],
      "tri(k)\nk + 1\n",
    );
    expect(run).toEqual({ status: 0, stdout: "6\n4\n", stderr: "" });
  });

  it("dumps show the definitions, and explain lists the user names used", () => {
    const defines = ["--define", "sq(v) = v * v", "--const", "g=2"];
    const bytecode = exprjit([...defines, "--dump", "bytecode", "sq(x) + g"]).stdout;
    expect(bytecode).toContain("CALL_USER  sq argc=1");
    expect(bytecode).toContain("; definition sq(v) = v * v");
    expect(exprjit([...defines, "--dump", "js", "sq(x)"]).stdout).toContain("function d0(v0)");
    expect(exprjit([...defines, "--dump", "wat", "sq(x)"]).stdout).toContain("(func $def.sq");
    if (findBackend("native")?.availability().available === true) {
      expect(exprjit([...defines, "--dump", "c", "sq(x)"]).stdout).toContain(
        "static double exprjit_u0(double a0)",
      );
    }
    expect(exprjit([...defines, "--dump", "tree", "sq(x)"]).stdout).toContain(
      "definition sq(v) = v * v",
    );
    const explained = exprjit(["explain", ...defines, "sq(x) + g", "--var", "x=3"]);
    expect(explained.status).toBe(0);
    expect(explained.stdout).toContain(
      [
        "user names used:",
        "     sq: expression function sq(v) = v * v",
        "     g: constant = 2",
      ].join("\n"),
    );
    expect(explained.stdout.match(/result: 11 /g)?.length).toBeGreaterThanOrEqual(4);
  });

  it("lists the options in --help", () => {
    const help = exprjit(["--help"]).stdout;
    for (const option of ["--const NAME=VALUE", '--define "DEF"', "--define-file FILE"]) {
      expect(help).toContain(option);
    }
  });
});
