/**
 * Formula sets on the command line, as a user runs them: the built
 * `dist/cli/main.js` with a set file in a private temporary directory
 * (removed afterwards): `exprjit set FILE`, `batch --set FILE` and
 * `explain --set FILE`, the file's grammar, and errors pointing at the
 * file's line.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSetFile } from "../../src/cli/setfile.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function exprjit(args: string[], input = "") {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PRICES = `# prices
subtotal = price * qty
tax      = subtotal * rate   # a comment

total    = t = subtotal + tax; round(t * 100) / 100
`;

describe("exprjit set", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "exprjit-set-"));
    file = join(dir, "prices.set");
    writeFileSync(file, PRICES);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints each output, name = value", () => {
    const vars = ["--var", "price=9.99", "--var", "qty=3", "--var", "rate=0.2"];
    for (const backend of ["treewalk", "vm", "js", "wasm"]) {
      expect(exprjit(["set", file, "-b", backend, ...vars])).toEqual({
        status: 0,
        stdout: "subtotal = 29.97\ntax      = 5.994\ntotal    = 35.96\n",
        stderr: "",
      });
    }
    expect(exprjit(["set", "--set", file, "--json", ...vars]).stdout).toBe(
      '{"subtotal":29.97,"tax":5.994,"total":35.96}\n',
    );
  });

  it("batch --set appends one column per output", () => {
    expect(exprjit(["batch", "--set", file], "price,qty,rate\n1,2,0.5\n3,4,0.25\n")).toEqual({
      status: 0,
      stdout: "price,qty,rate,subtotal,tax,total\n1,2,0.5,2,1,3\n3,4,0.25,12,3,15\n",
      stderr: "",
    });
  });

  it("explain --set shows the one program and each back-end's one artefact", () => {
    const { status, stdout } = exprjit([
      "explain",
      "--set",
      file,
      "--var",
      "price=1",
      "--var",
      "qty=2",
      "--var",
      "rate=3",
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain(
      "== outputs: subtotal, tax, total\n== variables in order: price, qty, rate\n",
    );
    expect(stdout).toContain("   binding total.t = #2\n");
    expect(stdout).toContain("   results: subtotal = 2, tax = 6, total = 8");
  });

  it("points an error at the formula's line in the file", () => {
    const bad = join(dir, "bad.set");
    writeFileSync(bad, "a = b + 1\n\nb = 2 *\n");
    expect(exprjit(["set", bad])).toEqual({
      status: 1,
      stdout: "",
      stderr: `exprjit: ${bad}:3: error: formula 'b': expected an operand after '*', found end of input\n  3 | 2 *\n    |    ^\n`,
    });
  });

  it("says which formulas form a cycle", () => {
    const cycle = join(dir, "cycle.set");
    writeFileSync(cycle, "a = b + 1\nb = a * 2\n");
    const { status, stderr } = exprjit(["set", cycle]);
    expect(status).toBe(1);
    expect(stderr).toContain("formulas 'a', 'b' form a cycle (a → b → a)");
  });

  it("takes exactly one set file", () => {
    expect(exprjit(["set"]).status).toBe(2);
    expect(exprjit(["set", file, "x+1"]).stderr).toContain("set takes one set file");
  });
});

describe("the set file's grammar", () => {
  it("reads one formula a line, name first, with comments and blank lines", () => {
    const { formulas, lines } = parseSetFile(PRICES);
    expect(formulas).toEqual({
      subtotal: "price * qty",
      tax: "subtotal * rate",
      total: "t = subtotal + tax; round(t * 100) / 100",
    });
    expect([...lines]).toEqual([
      ["subtotal", 2],
      ["tax", 3],
      ["total", 5],
    ]);
  });

  it.each([
    [
      "x + 1\n",
      "line 1: expected 'name = formula' (a set file has one formula a line, its name first)",
    ],
    [
      "a = 1\na == 2\n",
      "line 2: expected 'name = formula' (a set file has one formula a line, its name first)",
    ],
    ["a = 1\n a = 2\n", "line 2: formula 'a' is defined twice (first on line 1)"],
    ["# nothing\n\n", "the set file has no formula ('name = formula' lines)"],
  ])("%j: %s", (text, message) => {
    expect(() => parseSetFile(text)).toThrow(message);
  });
});
