/**
 * Programs at the depth limit (2,000 levels) encode, validate, compile and
 * run, whatever the shape: long sums both ways, nested `?:`, `&&`, `!`,
 * negations and calls. The deep trees are built by hand so the test does
 * not depend on how deep the front end itself can go.
 */

import { describe, expect, it } from "vitest";
import { interpret } from "../../../src/backends/treewalk/interpret.js";
import { generate } from "../../../src/backends/wasm/codegen.js";
import { host } from "../../../src/backends/wasm/host.js";
import { wasm } from "../../../src/backends/wasm/index.js";
import { encodeModule } from "../../../src/backends/wasm/module.js";
import { compile } from "../../../src/index.js";
import { type Builtin, lookupFunction } from "../../../src/semantics/builtins.js";
import type { Node, Program } from "../../../src/semantics/program.js";

const DEPTH = 2000;
const at = { start: 0, end: 1 };
const x: Node = { kind: "variable", name: "x", slot: 0, ...at };
const num = (value: number): Node => ({ kind: "number", value, ...at });
const sin = lookupFunction("sin") as Builtin;

/** A chain `DEPTH` nodes deep: `wrap` applied to `x` DEPTH - 1 times. */
function chain(wrap: (inner: Node, level: number) => Node): Program {
  let root = x;
  for (let level = 1; level < DEPTH; level++) root = wrap(root, level);
  return { source: "x", root, variables: ["x"], firstUse: [at], depth: DEPTH };
}

const SHAPES: [string, (inner: Node, level: number) => Node][] = [
  ["left-leaning sum", (inner) => ({ kind: "binary", op: "+", left: inner, right: x, ...at })],
  ["right-leaning sum", (inner) => ({ kind: "binary", op: "-", left: x, right: inner, ...at })],
  [
    "?: nested in the consequent",
    (inner, level) => ({
      kind: "conditional",
      test: x,
      consequent: inner,
      alternate: num(level),
      ...at,
    }),
  ],
  [
    "?: nested in the test",
    (inner, level) => ({
      kind: "conditional",
      test: inner,
      consequent: num(level),
      alternate: x,
      ...at,
    }),
  ],
  ["&& chain", (inner) => ({ kind: "binary", op: "&&", left: x, right: inner, ...at })],
  ["|| chain", (inner) => ({ kind: "binary", op: "||", left: inner, right: x, ...at })],
  ["! chain", (inner) => ({ kind: "unary", op: "!", operand: inner, ...at })],
  ["- chain", (inner) => ({ kind: "unary", op: "-", operand: inner, ...at })],
  ["comparison chain", (inner) => ({ kind: "binary", op: "<", left: inner, right: x, ...at })],
  ["sin(sin(…))", (inner) => ({ kind: "call", fn: sin, args: [inner], ...at })],
];

describe("programs 2,000 levels deep", () => {
  it.each(SHAPES)("%s encodes, validates and runs", (_, wrap) => {
    const program = chain(wrap);
    expect(host?.validate(encodeModule(generate(program)))).toBe(true);
    const { fn } = wasm.compile(program, {});
    for (const value of [0, -0, 0.5, Number.NaN]) {
      expect(Object.is(fn(value), interpret(program.root, [value]))).toBe(true);
    }
  });

  it("a 2,000-term sum from source", () => {
    const source = Array.from({ length: DEPTH }, (_, i) => (i % 2 === 0 ? "x" : "0.5")).join(" + ");
    expect(compile(source, { backend: "wasm" }).fn(1)).toBe(1500);
  });
});
