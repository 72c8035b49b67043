/**
 * The reference interpreter: the executable form of LANGUAGE.md. It walks
 * the resolved tree on every evaluation. Every other back-end is checked
 * against it, and constant folding calls it, so folding cannot change a
 * result. Recursion depth is the tree's depth, bounded by the parser.
 */

import type { Node } from "../../semantics/program.js";

/** Truth of a value: anything but ±0 is true, NaN included (as in C). */
export function truthy(value: number): boolean {
  return value !== 0;
}

/** The value of `node` with variable slot i bound to `values[i]`. */
export function interpret(node: Node, values: ArrayLike<number>): number {
  switch (node.kind) {
    case "number":
      return node.value;
    case "variable":
      return values[node.slot] as number;
    case "unary": {
      const operand = interpret(node.operand, values);
      return node.op === "-" ? -operand : truthy(operand) ? 0 : 1;
    }
    case "binary":
      return binary(node.op, node.left, node.right, values);
    case "conditional":
      return truthy(interpret(node.test, values))
        ? interpret(node.consequent, values)
        : interpret(node.alternate, values);
    case "call":
      return call(node.fn.js, node.args, values);
  }
}

function binary(op: string, left: Node, right: Node, values: ArrayLike<number>): number {
  // The logical operators evaluate their right side only when needed.
  if (op === "&&") {
    return truthy(interpret(left, values)) && truthy(interpret(right, values)) ? 1 : 0;
  }
  if (op === "||") {
    return truthy(interpret(left, values)) || truthy(interpret(right, values)) ? 1 : 0;
  }
  const a = interpret(left, values);
  const b = interpret(right, values);
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    case "^":
      return pow(a, b);
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "==":
      return a === b ? 1 : 0;
    default:
      return a !== b ? 1 : 0;
  }
}

/** `Math.pow`, captured when this module loads. */
const pow = Math.pow;

function call(
  fn: (...args: number[]) => number,
  args: readonly Node[],
  values: ArrayLike<number>,
): number {
  switch (args.length) {
    case 1:
      return fn(interpret(args[0] as Node, values));
    case 2:
      return fn(interpret(args[0] as Node, values), interpret(args[1] as Node, values));
    default: {
      const evaluated: number[] = [];
      for (const arg of args) evaluated.push(interpret(arg, values));
      return fn(...evaluated);
    }
  }
}
