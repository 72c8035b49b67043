/**
 * How results are compared across back-ends: `Object.is` (so -0 ≠ 0 and
 * NaN = NaN), except that a back-end with `exact: false` may differ by the
 * allowance of the functions it calls, as native's spelling table states it
 * (src/backends/native/spelling.ts), where LANGUAGE.md allows it.
 */

import type { Backend } from "../../src/backends/backend.js";
import { allowanceOf, POWER_OPERATOR } from "../../src/backends/native/spelling.js";
import type { Node, Program } from "../../src/semantics/program.js";

/** Distance between two doubles in units in the last place (0 for Object.is-equal). */
export function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  return Math.abs(Number(ordered(a) - ordered(b)));
}

/** The double's bits as an integer that orders like the number itself. */
function ordered(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** Does the program call a function (or `^`) that an inexact back-end may round differently? */
export function usesTranscendental(node: Node): boolean {
  switch (node.kind) {
    case "number":
    case "variable":
    case "local":
      return false;
    case "unary":
      return usesTranscendental(node.operand);
    case "binary":
      return node.op === "^" || usesTranscendental(node.left) || usesTranscendental(node.right);
    case "conditional":
      return (
        usesTranscendental(node.test) ||
        usesTranscendental(node.consequent) ||
        usesTranscendental(node.alternate)
      );
    case "call":
      return node.fn.transcendental || node.args.some(usesTranscendental);
    case "host":
      return node.args.some(usesTranscendental);
    case "apply":
      return usesTranscendental(node.fn.body) || node.args.some(usesTranscendental);
  }
}

/**
 * How many ulp `backend`'s result for a program calling at most one
 * inexact function may be from the reference: 0 for an exact back-end, else
 * the greatest allowance among the functions (and `^`) in `node`.
 */
export function allowanceFor(backend: Backend, node: Node): number {
  return backend.exact ? 0 : greatestIn(node);
}

function greatestIn(node: Node): number {
  switch (node.kind) {
    case "number":
    case "variable":
    case "local":
      return 0;
    case "unary":
      return greatestIn(node.operand);
    case "binary": {
      const own = node.op === "^" ? POWER_OPERATOR.ulp : 0;
      return Math.max(own, greatestIn(node.left), greatestIn(node.right));
    }
    case "conditional":
      return Math.max(
        greatestIn(node.test),
        greatestIn(node.consequent),
        greatestIn(node.alternate),
      );
    case "call": {
      let greatest = allowanceOf(node.fn.name);
      for (const arg of node.args) greatest = Math.max(greatest, greatestIn(arg));
      return greatest;
    }
    case "apply": {
      // The body's functions run inside the call: their allowance counts too.
      let greatest = greatestIn(node.fn.body);
      for (const arg of node.args) greatest = Math.max(greatest, greatestIn(arg));
      return greatest;
    }
    case "host": {
      let greatest = 0;
      for (const arg of node.args) greatest = Math.max(greatest, greatestIn(arg));
      return greatest;
    }
  }
}

/** The trees of a program an inexact back-end runs: its bindings' values, then its results. */
function treesOf(program: Program): Node[] {
  const trees = program.bindings.map((binding) => binding.value);
  for (const result of program.results) trees.push(result.value);
  for (const definition of program.definitions) {
    for (const binding of definition.bindings) trees.push(binding.value);
  }
  return trees;
}

/** {@link usesTranscendental} over every binding and result of `program`. */
export function programUsesTranscendental(program: Program): boolean {
  return treesOf(program).some(usesTranscendental);
}

/** {@link allowanceFor} over every binding and result of `program`. */
export function programAllowance(backend: Backend, program: Program): number {
  return Math.max(0, ...treesOf(program).map((tree) => allowanceFor(backend, tree)));
}
