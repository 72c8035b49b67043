/**
 * The VM's results: exact (`Object.is`) against the reference interpreter
 * on the language's corner cases, under every combination of the compiler's
 * optimisations; deep programs at the depth limit; entries for any number
 * of variables; and the stack-depth check rejecting malformed code.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { maxStackDepth } from "../../../src/backends/vm/depth.js";
import { vm, vmBackend } from "../../../src/backends/vm/index.js";
import { OPCODES } from "../../../src/backends/vm/opcodes.js";
import { evaluateNode } from "../../../src/semantics/evaluate.js";
import { firstResult } from "../../../src/semantics/program.js";
import { agreesWithTreewalk } from "../../differential/properties.js";

const ALL_FLAGS = [false, true].flatMap((fold) =>
  [false, true].flatMap((fuse) => [false, true].map((jumps) => ({ fold, fuse, jumps }))),
);

const CASES: readonly [string, readonly number[]][] = [
  ["1+1.2-5", []],
  ["-(0)", []],
  ["-x", [0]],
  ["0 * -1", []],
  ["x % y", [-5.5, 2]],
  ["x ^ y", [0, 0]],
  ["1 ^ nan", []],
  ["2 ^ 3 ^ 2", []],
  ["!x", [Number.NaN]],
  ["!x", [-0]],
  ["x && y", [Number.NaN, 2]],
  ["x && y", [-0, 2]],
  ["x || y", [0, Number.NaN]],
  ["x || y", [0, -0]],
  ["x ? y : -y", [Number.NaN, 0]],
  ["x ? y : -y", [-0, 0]],
  ["x < y", [Number.NaN, 1]],
  ["x != y", [Number.NaN, Number.NaN]],
  ["x == y", [0, -0]],
  ["2 - x", [2]],
  ["2 + x", [-0]],
  ["2 < x", [3]],
  ["2 <= x && x >= 2 || !(x > 1)", [2]],
  ["min(x, -0, 0)", [0]],
  ["max(-0, x)", [0]],
  ["min(x, y, nan)", [1, 2]],
  ["hypot(x, y, 3, 4, 12)", [1, 2]],
  ["atan2(y, x) + pow(x, y)", [-1, 0.5]],
  ["round(x) + sign(-x) + trunc(x)", [-2.5]],
  ["(x > 1 ? sin(x) : cos(y)) * (y < 0 || x / y > 1)", [2, -1]],
  ["a + b + c + d + e + f", [1, 2, 3, 4, 5, 6]],
  ["a * b - c / d", [1, 2, 3, 4]],
  ["(a - b) * c", [1, 2, 3]],
];

describe("vm results", () => {
  it.each(CASES)("%s on %j is what treewalk gives, under every optimisation", (source, values) => {
    const program = toProgram(source);
    const expected = evaluateNode(firstResult(program), values);
    for (const flags of ALL_FLAGS) {
      const { fn } = vmBackend(flags).compile(program, {});
      expect(Object.is(fn(...values), expected), `${source} ${JSON.stringify(flags)}`).toBe(true);
    }
  });

  it("gives the same result on repeated calls (state does not leak between calls)", () => {
    const { fn } = vm.compile(toProgram("x > 0 ? x * y + 1 : min(x, y, 3) - y"), {});
    expect(fn(2, 3)).toBe(7);
    expect(fn(-1, 5)).toBe(-6);
    expect(fn(2, 3)).toBe(7);
  });

  it("agrees with treewalk on random programs under every optimisation", () => {
    for (const flags of ALL_FLAGS) {
      fc.assert(agreesWithTreewalk(vmBackend(flags)), { numRuns: 60, seed: 3 });
    }
  });
});

describe("deep programs", () => {
  it("runs a 2,000-term left-leaning sum", () => {
    const source = Array.from({ length: 2000 }, (_, i) => (i % 2 ? "x" : "1")).join("+");
    const { fn } = vm.compile(toProgram(source), {});
    expect(fn(0.5)).toBe(1000 + 500);
  });

  it("runs 2,000 nested parentheses", () => {
    const source = `${"(".repeat(1999)}x${")".repeat(1999)}`;
    const { fn } = vm.compile(toProgram(source), {});
    expect(Object.is(fn(-0), -0)).toBe(true);
  });

  it("runs a right-leaning chain that needs a deep stack", () => {
    const source = `${"x-(".repeat(999)}x${")".repeat(999)}`;
    const program = toProgram(source);
    for (const flags of ALL_FLAGS) {
      const { fn } = vmBackend(flags).compile(program, {});
      expect(fn(3)).toBe(evaluateNode(firstResult(program), [3]));
    }
  });
});

describe("entries", () => {
  it("takes 0 to 6 positional values", () => {
    const sources = ["1", "a", "a-b", "a-b-c", "a-b-c-d", "a-b-c-d-e", "a-b-c-d-e-f"];
    sources.forEach((source, n) => {
      const values = Array.from({ length: n }, (_, i) => 10 ** i);
      const { fn } = vm.compile(toProgram(source), {});
      expect(fn(...values)).toBe(evaluateNode(firstResult(toProgram(source)), values));
    });
  });
});

describe("the stack-depth check", () => {
  const { LOAD, ADD, JUMP, JUMP_FALSE, RETURN } = OPCODES;

  it("measures the deepest point", () => {
    expect(maxStackDepth([LOAD.code, 0, LOAD.code, 0, ADD.code, RETURN.code])).toBe(2);
  });

  it("rejects an underflow", () => {
    expect(() => maxStackDepth([LOAD.code, 0, ADD.code, RETURN.code])).toThrow(/pops 2/);
  });

  it("rejects paths that meet with different depths", () => {
    const code = [
      LOAD.code,
      0,
      LOAD.code,
      0,
      JUMP_FALSE.code,
      8,
      LOAD.code,
      0,
      ADD.code,
      RETURN.code,
    ];
    expect(() => maxStackDepth(code)).toThrow(/depth/);
  });

  it("rejects a jump into the middle of an instruction, and unreachable code", () => {
    const intoOperand = [LOAD.code, 0, JUMP_FALSE.code, 5, LOAD.code, 0, RETURN.code];
    expect(() => maxStackDepth(intoOperand)).toThrow(/middle/);
    const deadAfterJump = [LOAD.code, 0, JUMP.code, 5, LOAD.code, 0, RETURN.code];
    expect(() => maxStackDepth(deadAfterJump)).toThrow(/unreachable/);
  });

  it("rejects code that runs off its end or leaves values behind", () => {
    expect(() => maxStackDepth([LOAD.code, 0])).toThrow(/end/);
    expect(() => maxStackDepth([LOAD.code, 0, LOAD.code, 0, RETURN.code])).toThrow(/left/);
  });
});
