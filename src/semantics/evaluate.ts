/**
 * The reference evaluator: the executable form of LANGUAGE.md. It walks a
 * resolved tree and applies the meanings written once in THE operator
 * table and THE builtin table. The treewalk back-end wraps it, constant
 * folding in the lowering pass calls it (so folding cannot change a
 * result), and every other back-end is checked against it.
 *
 * Recursion depth is the tree's depth, bounded by the parser's limit (plus
 * the depths of the expression functions a call goes through).
 */

import { BINARY, truthy, UNARY } from "../syntax/operators.js";
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
      return UNARY[node.op].apply(evaluateNode(node.operand, values));
    case "binary": {
      const { apply, decides } = BINARY[node.op];
      const a = evaluateNode(node.left, values);
      // A logical operator whose left side decides never evaluates its right side.
      if (decides !== undefined && truthy(a) === decides) return decides ? 1 : 0;
      return apply(a, evaluateNode(node.right, values));
    }
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
