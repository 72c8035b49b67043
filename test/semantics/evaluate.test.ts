/**
 * The reference evaluator: each operator's meaning comes from THE table,
 * and the right side of `&&`, `||` and the branch of `?:` not taken are
 * never evaluated (checked with a builtin that must not be called).
 */

import { describe, expect, it } from "vitest";
import { toResolvedProgram } from "../../src/api/frontend.js";
import type { Builtin } from "../../src/semantics/builtins.js";
import { evaluateNode } from "../../src/semantics/evaluate.js";
import { binaryNode, callNode, conditionalNode, numberNode } from "../../src/semantics/nodes.js";
import type { Node } from "../../src/semantics/program.js";
import { firstResult } from "../../src/semantics/program.js";
import { BINARY, type BinaryOp } from "../../src/syntax/operators.js";

const at = { start: 0, end: 0 };
const num = (value: number): Node => numberNode(value, at);
/** A call that fails the test if it is ever evaluated. */
const never: Node = callNode(
  {
    name: "abs",
    index: 0,
    minArgs: 0,
    maxArgs: 0,
    transcendental: false,
    js: () => expect.fail("evaluated a side that must not be"),
  } as Builtin,
  [],
  at,
);

describe("the reference evaluator", () => {
  it("gives every eager operator its table meaning", () => {
    for (const op of Object.keys(BINARY) as BinaryOp[]) {
      if (BINARY[op].class === "logical") continue;
      for (const [a, b] of [
        [7, 2],
        [-0, 0],
        [Number.NaN, 1],
        [2, -Infinity],
      ] as const) {
        const value = evaluateNode(binaryNode(op, num(a), num(b), at), []);
        expect(Object.is(value, BINARY[op].apply(a, b)), `${a} ${op} ${b}`).toBe(true);
      }
    }
  });

  it("evaluates the right side of && and || only when the left does not decide", () => {
    expect(evaluateNode(binaryNode("&&", num(0), never, at), [])).toBe(0);
    expect(evaluateNode(binaryNode("&&", num(-0), never, at), [])).toBe(0);
    expect(evaluateNode(binaryNode("||", num(3), never, at), [])).toBe(1);
    expect(evaluateNode(binaryNode("||", num(Number.NaN), never, at), [])).toBe(1);
    expect(evaluateNode(binaryNode("&&", num(Number.NaN), num(2), at), [])).toBe(1);
    expect(evaluateNode(binaryNode("||", num(0), num(-0), at), [])).toBe(0);
  });

  it("evaluates only the branch of ?: that the test chooses", () => {
    expect(evaluateNode(conditionalNode(num(Number.NaN), num(5), never, at), [])).toBe(5);
    expect(evaluateNode(conditionalNode(num(-0), never, num(6), at), [])).toBe(6);
  });

  it("reads variables from their slots", () => {
    const program = toResolvedProgram("y * x + y");
    expect(evaluateNode(firstResult(program), [2, 3])).toBe(8);
  });
});
