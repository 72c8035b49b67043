/**
 * The node builder derivative rules write with (LANGUAGE.md, "Derivatives"):
 * the Program's own node constructors (nodes.ts) plus the structural
 * simplifications the language promises. A term that is structurally 0 is
 * `undefined` and is dropped, never multiplied by 0; a factor that is
 * exactly the number 1 is dropped; operations on numbers alone are computed
 * at once by THE operator table's meanings (what constant folding would
 * give). Every rewrite here is exact in IEEE-754 (`1 * a` is `a`, `-1 * a`
 * is `-a`, `a + -b` is `a - b`, `-(-a)` is `a`, `a ^ 1` is `a`, `a ^ 0` is
 * 1), and the program and the printed text are both made from its output,
 * so they agree by construction.
 */

import { BINARY, type BinaryOp } from "../syntax/operators.js";
import type { SourceRange } from "../text/range.js";
import type { Builtin } from "./builtins.js";
import { type FunctionName, lookupFunction } from "./builtins.js";
import { binaryNode, callNode, conditionalNode, numberNode, unaryNode } from "./nodes.js";
import type { Node, NumberNode } from "./program.js";

/** A derivative term: a node, or `undefined` where it is structurally 0. */
export type Term = Node | undefined;

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { is: sameValue } = Object;

function isNumber(node: Node, value: number): boolean {
  return node.kind === "number" && sameValue(node.value, value);
}

/** The value of a number, or of a negated number as written (`-0.5`); undefined otherwise. */
function numeric(node: Node): number | undefined {
  if (node.kind === "number") return node.value;
  if (node.kind === "unary" && node.op === "-" && node.operand.kind === "number") {
    return -node.operand.value;
  }
  return undefined;
}

/** Builds derivative nodes at one source range (the node being differentiated). */
export class Algebra {
  constructor(readonly at: SourceRange) {}

  /** A number at this range. */
  num(value: number): NumberNode {
    return numberNode(value, this.at);
  }

  /** `op` on two nodes, computed at once when both are numbers (a negated one included). */
  binary(op: BinaryOp, left: Node, right: Node): Node {
    const a = numeric(left);
    const b = numeric(right);
    if (a !== undefined && b !== undefined) return this.num(BINARY[op].apply(a, b));
    return binaryNode(op, left, right, this.at);
  }

  /** `a + b`, a 0 term dropped; `a + -b` is `a - b`. */
  add(a: Term, b: Term): Term {
    if (a === undefined) return b;
    if (b === undefined) return a;
    if (b.kind === "unary" && b.op === "-") return this.binary("-", a, b.operand);
    return this.binary("+", a, b);
  }

  /** `a - b`, a 0 term dropped (`0 - b` is `-b`); `a - -b` is `a + b`. */
  sub(a: Term, b: Term): Term {
    if (b === undefined) return a;
    if (a === undefined) return this.neg(b);
    if (b.kind === "unary" && b.op === "-") return this.binary("+", a, b.operand);
    return this.binary("-", a, b);
  }

  /** `-a`; `-(-a)` is `a`, and a number is negated at once. */
  neg(a: Term): Term {
    if (a === undefined) return undefined;
    if (a.kind === "number") return this.num(-a.value);
    if (a.kind === "unary" && a.op === "-") return a.operand;
    return unaryNode("-", a, this.at);
  }

  /** `a * b`: 0 if either is 0, a factor of exactly 1 dropped, `-1 * b` as `-b`. */
  mul(a: Term, b: Term): Term {
    if (a === undefined || b === undefined) return undefined;
    if (isNumber(a, 1)) return b;
    if (isNumber(b, 1)) return a;
    if (isNumber(a, -1)) return this.neg(b);
    if (isNumber(b, -1)) return this.neg(a);
    return this.binary("*", a, b);
  }

  /** `a / b`: 0 if `a` is 0, and `a / 1` is `a`. */
  div(a: Term, b: Node): Term {
    if (a === undefined) return undefined;
    if (isNumber(b, 1)) return a;
    return this.binary("/", a, b);
  }

  /** `a ^ b`: `a ^ 1` is `a` and `a ^ 0` is 1 for every `a` (Math.pow's own special cases). */
  pow(a: Node, b: Node): Node {
    if (isNumber(b, 1)) return a;
    if (isNumber(b, 0)) return this.num(1);
    return this.binary("^", a, b);
  }

  /** `a ^ 2`. */
  square(a: Node): Node {
    return this.pow(a, this.num(2));
  }

  /**
   * A call of builtin `name`. Computed at once when every argument is a
   * number and the result is exactly 0 or 1 (so `log(e)` drops as a
   * factor); other constant calls stay as written (`log(2)` reads better
   * than its value), for lowering to fold.
   */
  call(name: FunctionName, ...args: Node[]): Node {
    const fn = lookupFunction(name) as Builtin;
    if (args.every((arg) => arg.kind === "number")) {
      const value = fn.js(...args.map((arg) => (arg as NumberNode).value));
      if (value === 1 || sameValue(value, 0)) return this.num(value);
    }
    return callNode(fn, args, this.at);
  }

  /** `test ? a : b`; 0 when both are, a 0 branch written as the number 0. */
  cond(test: Node, a: Term, b: Term): Term {
    if (a === undefined && b === undefined) return undefined;
    return conditionalNode(test, a ?? this.num(0), b ?? this.num(0), this.at);
  }

  /** The sum of `terms`, left to right, 0 terms dropped. */
  sum(terms: readonly Term[]): Term {
    let total: Term;
    for (const term of terms) total = this.add(total, term);
    return total;
  }
}
