/**
 * The CLI as a user runs it: the built `dist/cli/main.js`, spawned.
 * (`npm test` builds first.)
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { native } from "../../src/backends/native/index.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function exprjit(args: string[], input?: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    env,
    input: input ?? "",
    encoding: "utf8",
    timeout: 30_000,
    maxBuffer: 256 * 1024 * 1024, // explain of a deep tree prints tens of MB
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("exprjit CLI", () => {
  it.each([
    [["1+1.2-5"], "-2.8\n"],
    [["-2^2"], "-4\n"],
    [["--var", "x=3", "x^2"], "9\n"],
    [["--var=x=3", "x^2"], "9\n"],
    [["-(0)"], "-0\n"],
    [["0/0"], "NaN\n"],
    [["-1/0"], "-Infinity\n"],
    [["1e21"], "1e+21\n"],
    [["0.1"], "0.1\n"],
    [["1", "+", "2"], "3\n"],
    [["--var", "x=-0", "x"], "-0\n"],
    [["--var", "t=pi/2", "sin(t)"], "1\n"],
    [["--backend", "treewalk", "2*3"], "6\n"],
    [["-b", "treewalk", "2*3"], "6\n"],
    [["--", "--1"], "1\n"],
  ])("exprjit %j prints %j", (args, out) => {
    const { status, stdout, stderr } = exprjit(args);
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: out, stderr: "" });
  });

  it("exits 1, not 2, when the back-end asked for cannot run here: that is the machine, not the usage", () => {
    const env = { ...process.env, CC: "/nonexistent/exprjit-cc" };
    const { status, stdout, stderr } = exprjit(["-b", "native", "1"], undefined, env);
    expect({ status, stdout }).toEqual({ status: 1, stdout: "" });
    expect(stderr).toMatch(/^exprjit: back-end 'native' is not available here: .*\(available: /);
    expect(stderr).not.toContain("--help");
  });

  it("reports and empties the back-ends' caches with exprjit cache", () => {
    const dir = mkdtempSync(join(tmpdir(), "exprjit-cli-cache-"));
    try {
      const env = { ...process.env, EXPRJIT_CACHE_DIR: join(dir, "cache") };
      const empty = exprjit(["cache", "info"], undefined, env);
      expect(empty.status).toBe(0);
      expect(empty.stdout).toContain("js: 0 entries, 0 B in memory\n");
      if (native.availability().available) {
        expect(empty.stdout).toContain(`native: 0 entries, 0 B in ${join(dir, "cache")} (limit `);
        expect(exprjit(["-b", "native", "x*7+1", "--var", "x=1"], undefined, env).stdout).toBe(
          "8\n",
        );
        expect(exprjit(["cache", "info"], undefined, env).stdout).toMatch(/native: [1-9]\d* entr/);
        const cleared = exprjit(["cache", "clear"], undefined, env);
        expect(cleared.stdout).toMatch(
          /^js: removed 0 entries from memory\nnative: removed [1-9]\d* entr/,
        );
        expect(exprjit(["cache", "info"], undefined, env).stdout).toContain("native: 0 entries");
      }
      const wrong = exprjit(["cache", "purge"], undefined, env);
      expect([wrong.status, wrong.stderr]).toEqual([
        2,
        "exprjit: cache takes one of: info, clear\n(try exprjit --help)\n",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [["-b", "na\u202Etive", "1"], "exprjit: unknown back-end 'na\\u202Etive' (known: "],
    [
      ["--var", "x\u202E=1", "x"],
      "exprjit: --var takes NAME=VALUE (for example --var x=1.5), got 'x\\u202E=1'",
    ],
    [["--dump", "c\u200B", "1"], "exprjit: --dump takes one of "],
  ])("never echoes a hidden character the user typed in an option: %j", (args, start) => {
    const { status, stderr } = exprjit(args);
    expect(status).toBe(2);
    expect(stderr.startsWith(start)).toBe(true);
    expect(stderr).not.toMatch(/[\u200B\u202E]/);
  });

  it("prints the caret error to stderr and exits 1", () => {
    const { status, stdout, stderr } = exprjit(["1 + * 2"]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "error: expected an operand after '+', found '*'\n  1 | 1 + * 2\n    |     ^\n",
    );
  });

  it("names a missing variable", () => {
    const { status, stderr } = exprjit(["x + 1"]);
    expect(status).toBe(1);
    expect(stderr).toContain("error: no value given for variable 'x'");
  });

  it("evaluates one expression per input line, going on after an error", () => {
    const { status, stdout, stderr } = exprjit(["--var", "x=2"], "1+1\n\nx^10\r\n1 +\n-2^2\n");
    expect(status).toBe(1);
    expect(stdout).toBe("2\n1024\n-4\n");
    expect(stderr).toBe(
      "line 4: error: expected an operand after '+', found end of input\n  4 | 1 +\n    |    ^\n",
    );
    expect(exprjit(["-"], "3*3\n")).toEqual({ status: 0, stdout: "9\n", stderr: "" });
    expect(exprjit(["-"], "\uFEFF1+1\n")).toEqual({ status: 0, stdout: "2\n", stderr: "" });
  });

  it("dumps tokens and the syntax tree", () => {
    expect(exprjit(["--dump", "tokens", "1+1.2-5"]).stdout).toBe(
      "NUMBER 1\nPLUS\nNUMBER 1.2\nMINUS\nNUMBER 5\nEOF\n",
    );
    expect(exprjit(["--dump", "ast", "1+2"]).stdout).toBe(
      "Binary +  @0..3\n├─ Number 1  @0..1\n└─ Number 2  @2..3\n",
    );
  });

  it("explains the pipeline with every back-end's artefact and result", () => {
    const { status, stdout } = exprjit(["explain", "1+1.2-5"]);
    expect(status).toBe(0);
    expect(stdout).toContain("== tokens:");
    expect(stdout).toContain("== syntax tree (parse):");
    expect(stdout).toContain("== back-end treewalk:");
    expect(stdout).toMatch(/result: -2\.8 {3}\(first evaluation: /);
    // The lowered program every back-end receives: the constant folded.
    expect(stdout).toMatch(
      /== lower \(constant folding, exact rewrites\): every back-end's input: .*\n {3}variables: \(none\)\n {3}Number -2\.8\n/,
    );
    if (native.availability().available) {
      expect(stdout).toContain(`   note: ${native.allowance}\n`);
      expect(native.allowance).toContain("(1 ulp; 2 for log10 and tanh; see docs/BACKENDS.md)");
    }
  });

  it("explains with the js back-end loading an ES module when asked", () => {
    const { status, stdout } = exprjit(["explain", "--load", "module", "--var", "x=1", "x+1"]);
    expect(status).toBe(0);
    expect(stdout).toContain("how: generated ES module written to a private temp dir");
  });

  it("explains 1,999 nested calls without a stack trace", () => {
    const source = `${"abs(".repeat(1_999)}x${")".repeat(1_999)}`;
    const { status, stdout, stderr } = exprjit(["explain", "--var", "x=-3", source]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout.match(/result: 3 /g)?.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    [["--backend", "nope", "1"], "unknown back-end 'nope'"],
    [["--dump", "nope", "1"], "--dump takes one of tokens, ast"],
    [["--var", "x", "1"], "--var takes NAME=VALUE"],
    [["--var", "pi=3", "1"], "'pi' is a reserved name"],
    [["--var", "x=y", "x"], "the value must be a number or a constant expression"],
    [["--frobnicate"], "unknown option '--frobnicate'"],
    [["explain"], "explain needs an expression"],
    [["--max-depth", "0", "1"], "--max-depth takes a positive whole number"],
    [["--load", "module", "-b", "vm", "1"], "--load applies only to the js back-end"],
  ])("exits 2 on the usage error %j", (args, message) => {
    const { status, stderr } = exprjit(args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });

  it("has --help and --version", () => {
    const help = exprjit(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage:");
    expect(help.stdout).toContain("treewalk");
    expect(exprjit(["-V"]).stdout).toMatch(/^exprjit \d+\.\d+\.\d+\n$/);
  });
});
