/**
 * The reference evaluator: the executable form of LANGUAGE.md. It walks a
 * resolved tree and applies the meanings written once in THE operator
 * table and THE builtin table. The treewalk back-end wraps it, constant
 * folding in the lowering pass calls it (so folding cannot change a
 * result), and every other back-end is checked against it.
 *
 * Each operator is dispatched by a `switch` whose case calls that
 * operator's own `apply`: a call site with one known target, which V8
 * inlines. One shared call of `BINARY[op].apply` would be a lookup by a
 * varying key and a call with many targets, about twice as slow.
 *
 * Recursion depth is the tree's depth, bounded by the parser's limit (plus
 * the depths of the expression functions a call goes through).
 */

import {
  BINARY,
  type BinaryOp,
  type BinarySpec,
  type ProgramUnaryOp,
  truthy,
  UNARY,
} from "../syntax/operators.js";
import { unreachable } from "../unreachable.js";
import { checkHostResult } from "./host.js";
import type { ApplyNode, Node } from "./program.js";

/** The value of `node` with variable slot i bound to `values[i]`. */
export function evaluateNode(node: Node, values: ArrayLike<number>): number {
  switch (node.kind) {
    case "number":
      return node.value;
    case "variable":
      return values[node.slot] as number;
    case "unary":
      return unary(node.op, evaluateNode(node.operand, values));
    case "binary":
      return binary(node.op, node.left, node.right, values);
    case "conditional":
      return truthy(evaluateNode(node.test, values))
        ? evaluateNode(node.consequent, values)
        : evaluateNode(node.alternate, values);
    case "call":
      return call(node.fn.js, node.args, values);
    case "host":
      return checkHostResult(node.fn.name, call(node.fn.fn, node.args, values));
    case "apply":
      return apply(node, values);
    default:
      return unreachable(node, "node");
  }
}

function unary(op: ProgramUnaryOp, a: number): number {
  switch (op) {
    case "-":
      return UNARY["-"].apply(a);
    case "!":
      return UNARY["!"].apply(a);
    default:
      return unreachable(op, "operator");
  }
}

function binary(op: BinaryOp, left: Node, right: Node, values: ArrayLike<number>): number {
  const a = evaluateNode(left, values);
  switch (op) {
    case "&&":
      return logical(BINARY["&&"], a, right, values);
    case "||":
      return logical(BINARY["||"], a, right, values);
  }
  const b = evaluateNode(right, values);
  switch (op) {
    case "+":
      return BINARY["+"].apply(a, b);
    case "-":
      return BINARY["-"].apply(a, b);
    case "*":
      return BINARY["*"].apply(a, b);
    case "/":
      return BINARY["/"].apply(a, b);
    case "%":
      return BINARY["%"].apply(a, b);
    case "^":
      return BINARY["^"].apply(a, b);
    case "<":
      return BINARY["<"].apply(a, b);
    case "<=":
      return BINARY["<="].apply(a, b);
    case ">":
      return BINARY[">"].apply(a, b);
    case ">=":
      return BINARY[">="].apply(a, b);
    case "==":
      return BINARY["=="].apply(a, b);
    case "!=":
      return BINARY["!="].apply(a, b);
    default:
      return unreachable(op, "operator");
  }
}

/** A logical operator: its right side is evaluated only when the left does not decide. */
function logical(spec: BinarySpec, a: number, right: Node, values: ArrayLike<number>): number {
  if (truthy(a) === spec.decides) return spec.decides ? 1 : 0;
  return spec.apply(a, evaluateNode(right, values));
}

/** Arguments left to right, each once; then the body with them as its variables. */
function apply(node: ApplyNode, values: ArrayLike<number>): number {
  const args: number[] = [];
  for (const arg of node.args) args.push(evaluateNode(arg, values));
  return evaluateNode(node.fn.body, args);
}

function call<R>(
  fn: (...args: number[]) => R,
  args: readonly Node[],
  values: ArrayLike<number>,
): R {
  switch (args.length) {
    case 0:
      return fn();
    case 1:
      return fn(evaluateNode(args[0] as Node, values));
    case 2:
      return fn(evaluateNode(args[0] as Node, values), evaluateNode(args[1] as Node, values));
    default: {
      const evaluated: number[] = [];
      for (const arg of args) evaluated.push(evaluateNode(arg, values));
      return fn(...evaluated);
    }
  }
}
