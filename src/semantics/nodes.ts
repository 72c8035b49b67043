/**
 * The one way to make a node of a resolved program. Resolve and the
 * lowering pass both build through these, so every node's `zeroOrOne`
 * mark is set from THE operator table and never restated.
 */

import { BINARY, type BinaryOp, type ProgramUnaryOp, UNARY } from "../syntax/operators.js";
import type { SourceRange } from "../text/range.js";
import { unreachable } from "../unreachable.js";
import type { Builtin } from "./builtins.js";
import type {
  ApplyNode,
  BinaryNode,
  CallNode,
  ConditionalNode,
  Definition,
  HostCallNode,
  HostFunction,
  LocalNode,
  Node,
  NumberNode,
  UnaryNode,
  VariableNode,
} from "./program.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { is: sameValue } = Object;

/** A number; `name` for a constant (`pi`), shown in dumps. */
export function numberNode(value: number, at: SourceRange, name?: string): NumberNode {
  const zeroOrOne = value === 1 || sameValue(value, 0);
  const { start, end } = at;
  return name === undefined
    ? { kind: "number", value, start, end, zeroOrOne }
    : { kind: "number", value, name, start, end, zeroOrOne };
}

/** A read of variable `name` from `slot`. */
export function variableNode(name: string, slot: number, at: SourceRange): VariableNode {
  return { kind: "variable", name, slot, start: at.start, end: at.end, zeroOrOne: false };
}

/** A read of binding `index`, whose value is `value` (its 0-or-1 mark carries over). */
export function localNode(name: string, index: number, value: Node, at: SourceRange): LocalNode {
  const { zeroOrOne } = value;
  return { kind: "local", name, index, start: at.start, end: at.end, zeroOrOne };
}

/** `op operand`. */
export function unaryNode(op: ProgramUnaryOp, operand: Node, at: SourceRange): UnaryNode {
  const { zeroOrOne } = UNARY[op];
  return { kind: "unary", op, operand, start: at.start, end: at.end, zeroOrOne };
}

/** `left op right`. */
export function binaryNode(op: BinaryOp, left: Node, right: Node, at: SourceRange): BinaryNode {
  const { zeroOrOne } = BINARY[op];
  return { kind: "binary", op, left, right, start: at.start, end: at.end, zeroOrOne };
}

/** `test ? consequent : alternate`: 0 or 1 when both branches are. */
export function conditionalNode(
  test: Node,
  consequent: Node,
  alternate: Node,
  at: SourceRange,
): ConditionalNode {
  const zeroOrOne = consequent.zeroOrOne && alternate.zeroOrOne;
  const { start, end } = at;
  return { kind: "conditional", test, consequent, alternate, start, end, zeroOrOne };
}

/** A call of `fn`, its arity already checked. */
export function callNode(fn: Builtin, args: readonly Node[], at: SourceRange): CallNode {
  return { kind: "call", fn, args, start: at.start, end: at.end, zeroOrOne: false };
}

/** A call of host function `fn`, its arity already checked. */
export function hostNode(fn: HostFunction, args: readonly Node[], at: SourceRange): HostCallNode {
  return { kind: "host", fn, args, start: at.start, end: at.end, zeroOrOne: false };
}

/** A call of expression function `fn`: 0 or 1 when its body is. */
export function applyNode(fn: Definition, args: readonly Node[], at: SourceRange): ApplyNode {
  const { start, end } = at;
  return { kind: "apply", fn, args, start, end, zeroOrOne: fn.body.zeroOrOne };
}

const NO_CHILDREN: readonly Node[] = [];

/**
 * The operands of `node`, left to right: the one walk over a node's
 * children, for the passes that visit every node without caring which kind
 * it is (a call's arguments; not an expression function's body).
 */
export function childrenOf(node: Node): readonly Node[] {
  switch (node.kind) {
    case "number":
    case "variable":
    case "local":
      return NO_CHILDREN;
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "conditional":
      return [node.test, node.consequent, node.alternate];
    case "call":
    case "host":
    case "apply":
      return node.args;
    default:
      return unreachable(node, "node");
  }
}
