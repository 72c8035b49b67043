/**
 * Constant folding for the bytecode compiler. A subtree without variables
 * is replaced by one number, computed by the reference interpreter itself,
 * so folding can never change a result (DESIGN.md: the one allowed back
 * edge). A conditional whose test is constant becomes its chosen branch,
 * which is what the interpreter would evaluate.
 *
 * The tree is rebuilt bottom-up; nodes that do not change are reused.
 * Recursion depth is the tree's depth, bounded by the parser's limit.
 */

import type { Node, NumberNode } from "../../semantics/program.js";
import { interpret, truthy } from "../treewalk/interpret.js";

const NO_VALUES: readonly number[] = [];

/** `node` with every variable-free subtree replaced by its value. */
export function fold(node: Node): Node {
  switch (node.kind) {
    case "number":
    case "variable":
      return node;
    case "unary": {
      const operand = fold(node.operand);
      return settle(operand === node.operand ? node : { ...node, operand }, [operand]);
    }
    case "binary": {
      const left = fold(node.left);
      const right = fold(node.right);
      const same = left === node.left && right === node.right;
      return settle(same ? node : { ...node, left, right }, [left, right]);
    }
    case "conditional":
      return foldConditional(node);
    case "call": {
      const args: Node[] = [];
      for (const arg of node.args) args.push(fold(arg));
      const same = args.every((arg, i) => arg === node.args[i]);
      return settle(same ? node : { ...node, args }, args);
    }
  }
}

function foldConditional(node: Extract<Node, { kind: "conditional" }>): Node {
  const test = fold(node.test);
  if (test.kind === "number") {
    return fold(truthy(test.value) ? node.consequent : node.alternate);
  }
  const consequent = fold(node.consequent);
  const alternate = fold(node.alternate);
  const same = test === node.test && consequent === node.consequent && alternate === node.alternate;
  return same ? node : { ...node, test, consequent, alternate };
}

/** `node` itself, or its value if all its operands are numbers. */
function settle(node: Node, operands: readonly Node[]): Node {
  if (!operands.every((operand) => operand.kind === "number")) return node;
  const folded: NumberNode = {
    kind: "number",
    value: interpret(node, NO_VALUES),
    start: node.start,
    end: node.end,
  };
  return folded;
}
