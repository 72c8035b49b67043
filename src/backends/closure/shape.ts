/**
 * Which specialisation each node of a lowered Program gets: the one
 * decision the closure builder (scalar.ts) and the dump (dump.ts) both
 * read, so the dump shows exactly the closures that run.
 *
 * An operand that is a variable, a binding or a number is folded into
 * its parent's closure (read from the frame by slot, or held as a
 * captured number); any other operand is a child closure, called.
 *
 * A frame holds a scope's inputs, then its bindings: the program's
 * variables and then its bindings' values, or a definition's parameters
 * and then its body's bindings. Binding `j` of a scope with `base` inputs
 * is slot `base + j`.
 */

import type { BinaryNode, Node } from "../../semantics/program.js";

/** How an operand reaches its parent's closure. */
export type Operand =
  | { readonly kind: "v"; readonly slot: number; readonly name: string }
  | { readonly kind: "n"; readonly value: number }
  | { readonly kind: "c"; readonly node: Node };

/** The operand shape of `node` as its parent sees it, in a scope of `base` inputs. */
export function operandOf(node: Node, base: number): Operand {
  if (node.kind === "variable") return { kind: "v", slot: node.slot, name: node.name };
  if (node.kind === "local") return { kind: "v", slot: base + node.index, name: node.name };
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
export function shapeOf(node: BinaryNode, base: number): BinaryShape {
  return binaryShape(operandOf(node.left, base), operandOf(node.right, base));
}

/** The frame slot a variable or binding operand reads, in a scope of `base` inputs. */
export function slotOf(node: Node, base: number): number | undefined {
  if (node.kind === "variable") return node.slot;
  if (node.kind === "local") return base + node.index;
  return undefined;
}

/** Builtin calls with this many arguments or fewer get a closure of that arity. */
export const FIXED_CALL_ARITY = 3;

/** Expression function calls with this many arguments or fewer get a closure of that arity. */
export const FIXED_APPLY_ARITY = 4;
