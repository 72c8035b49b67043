/**
 * The CLI's derivatives as a user runs them (the built `dist/cli/main.js`):
 * `exprjit derive`, `--gradient` when evaluating and in `batch`, and
 * `explain --wrt`. (`npm test` builds first.)
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

function exprjit(args: string[], input = "") {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("exprjit derive", () => {
  it("prints the derivative's source by one variable", () => {
    expect(exprjit(["derive", "x^2 * y + sin(y)", "--wrt", "x"])).toEqual({
      status: 0,
      stdout: "2 * x * y\n",
      stderr: "",
    });
  });

  it("prints one line per variable without --wrt", () => {
    expect(exprjit(["derive", "x^2 * y + sin(y)"]).stdout).toBe(
      "d/dx = 2 * x * y\nd/dy = x^2 + cos(y)\n",
    );
  });

  it("differentiates through --define functions", () => {
    const { status, stdout } = exprjit([
      "derive",
      "--define",
      "sq(a) = a * a",
      "sq(sin(x))",
      "--wrt",
      "x",
    ]);
    expect({ status, stdout }).toEqual({ status: 0, stdout: "(sin(x) + sin(x)) * cos(x)\n" });
  });
});

describe("--gradient", () => {
  it("prints the value and each partial when evaluating", () => {
    expect(
      exprjit(["--gradient", "--var", "x=3", "--var", "y=0.5", "x^2 * y", "--wrt", "y,x"]),
    ).toEqual({ status: 0, stdout: "4.5\nd/dy = 9\nd/dx = 3\n", stderr: "" });
  });

  it("appends a column per partial in batch", () => {
    expect(exprjit(["batch", "--gradient", "x^2 * y"], "x,y\n1,2\n3,0.5\n").stdout).toBe(
      "result,dresult/dx,dresult/dy\n2,4,1\n4.5,3,9\n",
    );
    expect(
      exprjit(["batch", "--gradient", "--wrt", "y", "--append", "z", "x^2 * y"], "x,y\n1,2\n")
        .stdout,
    ).toBe("x,y,z,dz/dy\n1,2,2,1\n");
  });

  it("refuses --wrt where nothing is differentiated", () => {
    expect(exprjit(["--wrt", "x", "x"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "exprjit: --wrt goes with derive, explain or --gradient\n(try exprjit --help)\n",
    });
  });
});

describe("explain --wrt", () => {
  it("shows the derivative program after the stages", () => {
    const { status, stdout } = exprjit([
      "explain",
      "--wrt",
      "x",
      "x*y",
      "--var",
      "x=1",
      "--var",
      "y=2",
    ]);
    expect(status).toBe(0);
    const tail = stdout.slice(stdout.indexOf("== derivative by x"));
    expect(tail).toBe(
      "== derivative by x: y\n== gradient program (results: the value, d/dx)\nvariables: x=v0, y=v1\nresult\nBinary *\n├─ Variable x (v0)\n└─ Variable y (v1)\nresult d/dx\nVariable y (v1)\n",
    );
  });
});
