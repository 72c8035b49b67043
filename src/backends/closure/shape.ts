/**
 * Which specialisation each node of a lowered Program gets: the one
 * decision the closure builder (scalar.ts) and the dump (dump.ts) both
 * read, so the dump shows exactly the closures that run.
 *
 * An operand that is a variable or a number is folded into its parent's
 * closure (read from the frame by slot, or held as a captured number); any
 * other operand is a child closure, called.
 */

import type { BinaryNode, Node } from "../../semantics/program.js";

/** How an operand reaches its parent's closure. */
export type Operand =
  | { readonly kind: "v"; readonly slot: number; readonly name: string }
  | { readonly kind: "n"; readonly value: number }
  | { readonly kind: "c"; readonly node: Node };

/** The operand shape of `node` as its parent sees it. */
export function operandOf(node: Node): Operand {
  if (node.kind === "variable") return { kind: "v", slot: node.slot, name: node.name };
  if (node.kind === "number") return { kind: "n", value: node.value };
  return { kind: "c", node };
}

/**
 * The shape key of a binary node (`vv`, `vn`, …, `cc`). Two numbers never
 * meet (lowering folds them), but if they did the left one would be a
 * child closure.
 */
export type BinaryShape = "vv" | "vn" | "nv" | "vc" | "cv" | "nc" | "cn" | "cc";

/** The shape of `left op right`. */
export function binaryShape(left: Operand, right: Operand): BinaryShape {
  const l = left.kind === "n" && right.kind === "n" ? "c" : left.kind;
  return `${l}${right.kind}` as BinaryShape;
}

/** The shape of a binary node's operands. */
export function shapeOf(node: BinaryNode): BinaryShape {
  return binaryShape(operandOf(node.left), operandOf(node.right));
}

/** Builtin calls with this many arguments or fewer get a closure of that arity. */
export const FIXED_CALL_ARITY = 3;

/** Expression function calls with this many arguments or fewer get a closure of that arity. */
export const FIXED_APPLY_ARITY = 4;
