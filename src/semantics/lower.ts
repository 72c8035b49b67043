/**
 * The lowering pass: Program → Program, run once before every back-end, so
 * each receives the same input and no back-end decides a rewrite alone.
 *
 * - Constant folding: a subtree without variables becomes one number,
 *   computed by the reference evaluator itself, so folding can never
 *   change a result. A `?:` whose test is constant becomes its chosen
 *   branch, which is all the evaluator would evaluate.
 * - Exact power rewrites: `v ^ 2` with `v` a variable becomes `v * v`.
 *   V8's `Math.pow` (fdlibm) returns `x * x` itself when the exponent is 2
 *   (a test checks it on random doubles), and a multiply is far cheaper
 *   than a call in every back-end. Only a variable is squared this way: it
 *   is read twice, where a larger base would be computed twice.
 * - Every node made here carries its `zeroOrOne` mark (see nodes.ts).
 *
 * The tree is rebuilt bottom-up; nodes that do not change are reused.
 * Recursion depth is the tree's depth, bounded by the parser's limit.
 */

import { unreachable } from "../unreachable.js";
import { evaluateNode } from "./evaluate.js";
import { binaryNode, callNode, conditionalNode, numberNode, unaryNode } from "./nodes.js";
import type { BinaryNode, ConditionalNode, Node, Program } from "./program.js";

/** Which rewrites run; all on by default (the benchmark switches them off one at a time). */
export interface LowerFlags {
  /** Constant folding. */
  readonly fold: boolean;
  /** `v ^ 2` → `v * v`. */
  readonly powers: boolean;
}

/** Every rewrite on: what the public API runs. */
export const DEFAULT_LOWERING: LowerFlags = { fold: true, powers: true };

/** `program` with its tree lowered; the same object when nothing changed. */
export function lower(program: Program, flags: LowerFlags = DEFAULT_LOWERING): Program {
  const root = new Lowerer(flags).node(program.root);
  return root === program.root ? program : { ...program, root };
}

const NO_VALUES: readonly number[] = [];

class Lowerer {
  constructor(private readonly flags: LowerFlags) {}

  node(node: Node): Node {
    switch (node.kind) {
      case "number":
      case "variable":
        return node;
      case "unary": {
        const operand = this.node(node.operand);
        return this.settle(operand === node.operand ? node : unaryNode(node.op, operand, node), [
          operand,
        ]);
      }
      case "binary":
        return this.binary(node);
      case "conditional":
        return this.conditional(node);
      case "call": {
        const args: Node[] = [];
        let same = true;
        for (const arg of node.args) {
          const lowered = this.node(arg);
          same &&= lowered === arg;
          args.push(lowered);
        }
        return this.settle(same ? node : callNode(node.fn, args, node), args);
      }
      default:
        return unreachable(node, "node");
    }
  }

  private binary(node: BinaryNode): Node {
    const left = this.node(node.left);
    const right = this.node(node.right);
    const same = left === node.left && right === node.right;
    const folded = this.settle(same ? node : binaryNode(node.op, left, right, node), [left, right]);
    if (folded.kind !== "binary" || !this.flags.powers) return folded;
    return square(folded) ?? folded;
  }

  private conditional(node: ConditionalNode): Node {
    const test = this.node(node.test);
    if (this.flags.fold && test.kind === "number") {
      return this.node(test.value !== 0 ? node.consequent : node.alternate);
    }
    const consequent = this.node(node.consequent);
    const alternate = this.node(node.alternate);
    const same =
      test === node.test && consequent === node.consequent && alternate === node.alternate;
    return same ? node : conditionalNode(test, consequent, alternate, node);
  }

  /** `node` itself, or its value if folding is on and all its operands are numbers. */
  private settle(node: Node, operands: readonly Node[]): Node {
    if (!this.flags.fold) return node;
    for (const operand of operands) if (operand.kind !== "number") return node;
    return numberNode(evaluateNode(node, NO_VALUES), node);
  }
}

/** `v ^ 2` as `v * v` for a variable `v`; undefined for anything else. */
function square(node: BinaryNode): Node | undefined {
  const { op, left, right } = node;
  if (op !== "^" || left.kind !== "variable") return undefined;
  if (right.kind !== "number" || right.value !== 2) return undefined;
  return binaryNode("*", left, left, node);
}
