/**
 * The resolved program: what every back-end receives. Names are resolved
 * (constants became numbers, functions point at their builtin, variables
 * have slots in first-appearance order) and `+a` is gone (it is `a`).
 * Spans are kept so any stage can point back at the source.
 *
 * Every node says whether its value is known to be exactly +0 or 1
 * (`zeroOrOne`: comparisons, `!`, `&&`, `||`, the literals 0 and 1, and a
 * `?:` whose branches both are), so a back-end can use a value as a truth
 * without testing it again. Nodes are made only by nodes.ts, which sets it.
 */

import type { BinaryOp, ProgramUnaryOp } from "../syntax/operators.js";
import type { SourceRange } from "../text/range.js";
import type { Builtin } from "./builtins.js";

/** What every node has: where it stands in the source, and its mark. */
export interface NodeBase extends SourceRange {
  /** Whether the value is always exactly +0 or 1. */
  readonly zeroOrOne: boolean;
}

/** A number: a literal, or a constant (`name` says which, for dumps). */
export interface NumberNode extends NodeBase {
  readonly kind: "number";
  readonly value: number;
  readonly name?: string;
}

/** A variable, read from argument `slot` (its index in `Program.variables`). */
export interface VariableNode extends NodeBase {
  readonly kind: "variable";
  readonly name: string;
  readonly slot: number;
}

/** Negation or logical not (`+a` never reaches a back-end). */
export interface UnaryNode extends NodeBase {
  readonly kind: "unary";
  readonly op: ProgramUnaryOp;
  readonly operand: Node;
}

/** A binary operator, `&&` and `||` included (they short-circuit). */
export interface BinaryNode extends NodeBase {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly left: Node;
  readonly right: Node;
}

/** `test ? consequent : alternate`: only the chosen branch is evaluated. */
export interface ConditionalNode extends NodeBase {
  readonly kind: "conditional";
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
}

/** A call of a builtin, arity already checked. */
export interface CallNode extends NodeBase {
  readonly kind: "call";
  readonly fn: Builtin;
  readonly args: readonly Node[];
}

/** A resolved expression. */
export type Node = NumberNode | VariableNode | UnaryNode | BinaryNode | ConditionalNode | CallNode;

/** What the front end hands every back-end. */
export interface Program {
  /** The source text the program came from. */
  readonly source: string;
  /** The expression. */
  readonly root: Node;
  /** Variable names in order of first appearance; slot i is `variables[i]`. */
  readonly variables: readonly string[];
  /** Where each variable first appears, for errors about its value. */
  readonly firstUse: readonly SourceRange[];
  /** Greatest depth of `root` (a leaf has depth 1); back-ends may size stacks by it. */
  readonly depth: number;
}
