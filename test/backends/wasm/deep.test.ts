/**
 * Programs at the depth limit (2,000 levels) encode, validate, compile and
 * run, whatever the shape: long sums both ways, nested `?:`, `&&`, `!`,
 * negations and calls. The deep trees are built by hand so the test does
 * not depend on how deep the front end itself can go.
 */

import { describe, expect, it } from "vitest";
import { generateWasm } from "../../../src/backends/wasm/codegen.js";
import { host } from "../../../src/backends/wasm/host.js";
import { wasm } from "../../../src/backends/wasm/index.js";
import { encodeModule } from "../../../src/backends/wasm/module.js";
import { compile } from "../../../src/index.js";
import { type Builtin, lookupFunction } from "../../../src/semantics/builtins.js";
import { evaluateNode } from "../../../src/semantics/evaluate.js";
import {
  binaryNode,
  callNode,
  conditionalNode,
  numberNode,
  unaryNode,
  variableNode,
} from "../../../src/semantics/nodes.js";
import type { Node, Program } from "../../../src/semantics/program.js";
import { firstResult } from "../../../src/semantics/program.js";

const DEPTH = 2000;
const at = { start: 0, end: 1 };
const x: Node = variableNode("x", 0, at);
const num = (value: number): Node => numberNode(value, at);
const sin = lookupFunction("sin") as Builtin;

/** A chain `DEPTH` nodes deep: `wrap` applied to `x` DEPTH - 1 times. */
function chain(wrap: (inner: Node, level: number) => Node): Program {
  let root = x;
  for (let level = 1; level < DEPTH; level++) root = wrap(root, level);
  return {
    source: "x",
    bindings: [],
    results: [{ name: "", value: root }],
    variables: ["x"],
    firstUse: [at],
    depth: DEPTH,
    definitions: [],
    hosts: [],
    userNames: [],
  };
}

const SHAPES: [string, (inner: Node, level: number) => Node][] = [
  ["left-leaning sum", (inner) => binaryNode("+", inner, x, at)],
  ["right-leaning sum", (inner) => binaryNode("-", x, inner, at)],
  ["?: nested in the consequent", (inner, level) => conditionalNode(x, inner, num(level), at)],
  ["?: nested in the test", (inner, level) => conditionalNode(inner, num(level), x, at)],
  ["&& chain", (inner) => binaryNode("&&", x, inner, at)],
  ["|| chain", (inner) => binaryNode("||", inner, x, at)],
  ["! chain", (inner) => unaryNode("!", inner, at)],
  ["- chain", (inner) => unaryNode("-", inner, at)],
  ["comparison chain", (inner) => binaryNode("<", inner, x, at)],
  ["sin(sin(…))", (inner) => callNode(sin, [inner], at)],
];

describe("programs 2,000 levels deep", () => {
  it.each(SHAPES)("%s encodes, validates and runs", (_, wrap) => {
    const program = chain(wrap);
    expect(host?.validate(encodeModule(generateWasm(program)))).toBe(true);
    const { fn } = wasm.compile(program, {});
    for (const value of [0, -0, 0.5, Number.NaN]) {
      expect(Object.is(fn(value), evaluateNode(firstResult(program), [value]))).toBe(true);
    }
  });

  it("a 2,000-term sum from source", () => {
    const source = Array.from({ length: DEPTH }, (_, i) => (i % 2 === 0 ? "x" : "0.5")).join(" + ");
    expect(compile(source, { backend: "wasm" }).fn(1)).toBe(1500);
  });
});
