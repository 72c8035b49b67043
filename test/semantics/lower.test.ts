/**
 * The lowering pass: what it folds and rewrites, the marks it leaves, and
 * that the rewrites it makes are exact.
 */

import { describe, expect, it } from "vitest";
import { toResolvedProgram } from "../../src/api/frontend.js";
import { dumpProgram } from "../../src/semantics/dump.js";
import { evaluateNode } from "../../src/semantics/evaluate.js";
import { DEFAULT_LOWERING, lower } from "../../src/semantics/lower.js";
import type { Node } from "../../src/semantics/program.js";
import { firstResult } from "../../src/semantics/program.js";

const lowered = (source: string) => lower(toResolvedProgram(source));
const tree = (source: string) => dumpProgram(lowered(source));

describe("constant folding", () => {
  it("folds a constant expression to one number, computed by the reference evaluator", () => {
    expect(tree("1+1.2-5")).toBe("variables: (none)\nNumber -2.8");
    expect(firstResult(lowered("1+1.2-5"))).toMatchObject({ kind: "number", start: 0, end: 7 });
  });

  it("folds the variable-free parts and keeps the rest", () => {
    expect(tree("x * (2 + 3) - sin(0)")).toBe(
      [
        "variables: x=v0",
        "Binary -",
        "├─ Binary *",
        "│  ├─ Variable x (v0)",
        "│  └─ Number 5",
        "└─ Number 0",
      ].join("\n"),
    );
  });

  it("takes the branch a constant test chooses, and never folds the other", () => {
    expect(tree("1 ? x : y")).toBe("variables: x=v0, y=v1\nVariable x (v0)");
    expect(tree("nan ? x : y")).toBe("variables: x=v0, y=v1\nVariable x (v0)");
    expect(tree("-0 ? x : 2 * 3")).toBe("variables: x=v0\nNumber 6");
  });

  it("keeps -0, NaN and the infinities exactly", () => {
    for (const [source, value] of [
      ["-(0)", -0],
      ["0/0", Number.NaN],
      ["-1/0", Number.NEGATIVE_INFINITY],
      ["0 * -1", -0],
      ["-0 + 0", 0],
    ] as const) {
      const root = firstResult(lowered(source));
      expect(root.kind).toBe("number");
      expect(Object.is(evaluateNode(root, []), value)).toBe(true);
    }
  });

  it("returns the program itself when there is nothing to change", () => {
    const program = toResolvedProgram("x * y + sin(x)");
    expect(lower(program)).toBe(program);
  });

  it("can be switched off", () => {
    const program = toResolvedProgram("1 + 2");
    expect(lower(program, { ...DEFAULT_LOWERING, fold: false })).toBe(program);
  });
});

describe("exact power rewrites", () => {
  it("squares a variable by multiplying it by itself", () => {
    expect(tree("x^2")).toBe(
      ["variables: x=v0", "Binary *", "├─ Variable x (v0)", "└─ Variable x (v0)"].join("\n"),
    );
    // after folding, too
    expect(tree("x**(1+1)")).toContain("Binary *");
  });

  it("leaves every other power to pow", () => {
    for (const source of ["(x+1)^2", "x^3", "x^-2", "2^x", "x^2.5", "x^y"]) {
      expect(tree(source)).toContain("Binary ^");
    }
  });

  it("is exact: Math.pow(x, 2) is x * x on random doubles", () => {
    const bits = new Uint32Array(2);
    const doubles = new Float64Array(bits.buffer);
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 20000; i++) {
      bits[0] = next();
      bits[1] = next();
      const x = doubles[0] as number;
      if (!Object.is(x ** 2, x * x)) expect.fail(`Math.pow(${x}, 2) is not ${x} * ${x}`);
    }
    for (const x of [0, -0, Number.NaN, Infinity, -Infinity, 5e-324, -1.5e300]) {
      expect(Object.is(x ** 2, x * x)).toBe(true);
    }
  });
});

describe("0-or-1 marks", () => {
  const mark = (source: string): boolean => firstResult(lowered(source)).zeroOrOne;

  it("marks comparisons, !, && and ||, and the literals 0 and 1", () => {
    for (const source of [
      "x < y",
      "x == y",
      "!x",
      "x && y",
      "x || y",
      "x ? 1 : 0",
      "x < y ? !y : 1",
    ]) {
      expect(mark(source), source).toBe(true);
    }
  });

  it("does not mark anything that can be another number", () => {
    for (const source of [
      "x",
      "x + 0",
      "-x",
      "x ? 2 : 1",
      "x ? y < 1 : y",
      "sign(x)",
      "x ? -0 : 1",
    ]) {
      expect(mark(source), source).toBe(false);
    }
  });

  it("marks what folding leaves: a folded 1 or 0 is marked, a folded 2 is not", () => {
    expect(mark("2 < 3")).toBe(true);
    expect(mark("1 + 1")).toBe(false);
  });

  it("keeps every mark true to the value on random inputs", () => {
    const check = (node: Node, values: readonly number[]): void => {
      if (node.zeroOrOne) {
        const v = evaluateNode(node, values);
        expect(Object.is(v, 0) || v === 1).toBe(true);
      }
    };
    const program = lowered("(x < y) + !x + (x && y) + (y || x) + (x ? y > 1 : x != y)");
    const walk = (node: Node, values: readonly number[]): void => {
      check(node, values);
      if (node.kind === "binary") {
        walk(node.left, values);
        walk(node.right, values);
      }
    };
    for (const values of [
      [0, 1],
      [-0, Number.NaN],
      [2, -3],
      [Number.NaN, 0],
    ]) {
      walk(firstResult(program), values);
    }
  });
});
