/**
 * What the parser makes of what it recognises. The parser does not build a
 * tree itself: each time it completes a node it reports it to a
 * {@link TreeBuilder}, operands before the operator that joins them
 * (bottom-up, in the order of Reverse Polish Notation), and keeps whatever
 * the builder returns as that operand. These are the "semantic actions" of
 * parser generators such as yacc.
 *
 * Two builders exist. {@link SYNTAX_TREE} makes the syntax tree (ast.ts):
 * exactly what was written, for `explain --dump ast`, the printer and
 * expression functions. The resolver (semantics/resolve.ts) makes the
 * Program's nodes directly, so compiling builds one tree, not a syntax tree
 * and then a second tree from it, and leaves the garbage collector half
 * the work. {@link build} replays an existing syntax tree to a builder, so
 * the resolver serves both ways in.
 */

import type { Expr } from "./ast.js";
import type { BinaryOp, UnaryOp } from "./operators.js";

/**
 * Makes one node of type `N` at a time, from its operands already made.
 * Spans are given as `start` and `end` (exclusive) numbers rather than as
 * objects, so reporting a node allocates nothing beyond what the builder
 * makes. Each call reports one node; every operand passed in was returned
 * by an earlier call and is passed in exactly once.
 */
export interface TreeBuilder<N> {
  /** A number literal; `value` is never negative. */
  number(value: number, start: number, end: number): N;
  /** A name not followed by `(`. */
  name(name: string, start: number, end: number): N;
  /** `callee(args)`; the name ends at `nameEnd`, the `)` at `end`. The builder may keep `args`. */
  call(callee: string, nameEnd: number, args: N[], start: number, end: number): N;
  /** A prefix operator applied to its operand. */
  unary(op: UnaryOp, operand: N, start: number, end: number): N;
  /** A binary operator (`**` comes as `^`), whose token starts at `opStart`. */
  binary(op: BinaryOp, opStart: number, left: N, right: N, start: number, end: number): N;
  /** `test ? consequent : alternate`. */
  conditional(test: N, consequent: N, alternate: N, start: number, end: number): N;
}

/** Builds the syntax tree: one {@link Expr} per node, exactly as written. */
export const SYNTAX_TREE: TreeBuilder<Expr> = {
  number: (value, start, end) => ({ kind: "number", value, start, end }),
  name: (name, start, end) => ({ kind: "identifier", name, start, end }),
  call: (callee, nameEnd, args, start, end) => ({
    kind: "call",
    callee,
    nameEnd,
    args,
    start,
    end,
  }),
  unary: (op, operand, start, end) => ({ kind: "unary", op, operand, start, end }),
  binary: (op, opStart, left, right, start, end) => ({
    kind: "binary",
    op,
    opStart,
    left,
    right,
    start,
    end,
  }),
  conditional: (test, consequent, alternate, start, end) => ({
    kind: "conditional",
    test,
    consequent,
    alternate,
    start,
    end,
  }),
};

/**
 * Reports every node of `expr` to `builder`, operands first, as the parser
 * would have; returns what the builder made of the root. Recursion depth is
 * the tree's depth, bounded by the parser's depth limit.
 */
export function build<N>(expr: Expr, builder: TreeBuilder<N>): N {
  const { start, end } = expr;
  switch (expr.kind) {
    case "number":
      return builder.number(expr.value, start, end);
    case "identifier":
      return builder.name(expr.name, start, end);
    case "call": {
      // A loop, not map(): each level of nested calls then costs one stack frame, not two.
      const args: N[] = [];
      for (const arg of expr.args) args.push(build(arg, builder));
      return builder.call(expr.callee, expr.nameEnd, args, start, end);
    }
    case "unary":
      return builder.unary(expr.op, build(expr.operand, builder), start, end);
    case "binary": {
      const left = build(expr.left, builder);
      return builder.binary(expr.op, expr.opStart, left, build(expr.right, builder), start, end);
    }
    case "conditional": {
      const test = build(expr.test, builder);
      const consequent = build(expr.consequent, builder);
      return builder.conditional(test, consequent, build(expr.alternate, builder), start, end);
    }
  }
}
