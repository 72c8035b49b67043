/**
 * How results are compared across back-ends: `Object.is` (so -0 ≠ 0 and
 * NaN = NaN), except that a back-end with `exact: false` may differ by one
 * unit in the last place where LANGUAGE.md allows it.
 */

import type { Node } from "../../src/semantics/program.js";

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
