/**
 * What the parser makes of what it recognises. The parser does not build a
 * tree itself: each time it completes a node it reports it to a
 * {@link TreeBuilder}, operands before the operator that joins them
 * (bottom-up, in the order of Reverse Polish Notation), and keeps whatever
 * the builder returns as that operand. These are the "semantic actions" of
 * parser generators such as yacc.
 *
 * Two builders exist. {@link SyntaxTreeBuilder} makes the syntax tree (ast.ts):
 * exactly what was written, for `explain --dump ast`, the printer and
 * expression functions. The resolver (semantics/resolve.ts) makes the
 * Program's nodes directly, so compiling builds one tree, not a syntax tree
 * and then a second tree from it, and leaves the garbage collector half
 * the work. {@link build} replays an existing syntax tree to a builder, so
 * the resolver serves both ways in.
 */

import type { BindingSyntax, Expr, ProgramSyntax } from "./ast.js";
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
  /**
   * `name = value;` (v3), its value complete: the name spans `[start,
   * nameEnd)`, the `;` ends at `end`. Reported once the `;` is read,
   * before any node of the next part; the result is what the parse returns.
   */
  binding(name: string, start: number, nameEnd: number, value: N, end: number): void;
}

/**
 * Builds the syntax tree: one {@link Expr} per node, exactly as written,
 * and the bindings in `bindings`. A fresh one per parse (it keeps the bindings).
 */
export class SyntaxTreeBuilder implements TreeBuilder<Expr> {
  readonly bindings: BindingSyntax[] = [];

  number(value: number, start: number, end: number): Expr {
    return SYNTAX_TREE.number(value, start, end);
  }
  name(name: string, start: number, end: number): Expr {
    return SYNTAX_TREE.name(name, start, end);
  }
  call(callee: string, nameEnd: number, args: Expr[], start: number, end: number): Expr {
    return SYNTAX_TREE.call(callee, nameEnd, args, start, end);
  }
  unary(op: UnaryOp, operand: Expr, start: number, end: number): Expr {
    return SYNTAX_TREE.unary(op, operand, start, end);
  }
  binary(op: BinaryOp, opStart: number, left: Expr, right: Expr, start: number, end: number): Expr {
    return SYNTAX_TREE.binary(op, opStart, left, right, start, end);
  }
  conditional(test: Expr, consequent: Expr, alternate: Expr, start: number, end: number): Expr {
    return SYNTAX_TREE.conditional(test, consequent, alternate, start, end);
  }
  binding(name: string, start: number, nameEnd: number, value: Expr, end: number): void {
    this.bindings.push({ name, start, nameEnd, value, end });
  }
}

/** The node makers of the syntax tree; bindings are refused (see {@link SyntaxTreeBuilder}). */
const SYNTAX_TREE: TreeBuilder<Expr> = {
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
  binding: () => {
    throw new Error("syntax tree: a binding needs a SyntaxTreeBuilder");
  },
};

/**
 * Reports every binding of `program` (its value's nodes first), then its
 * result's nodes, to `builder`, as the parser would have; returns what the
 * builder made of the result.
 */
export function buildProgram<N>(program: ProgramSyntax, builder: TreeBuilder<N>): N {
  for (const { name, start, nameEnd, value, end } of program.bindings) {
    builder.binding(name, start, nameEnd, build(value, builder), end);
  }
  return build(program.result, builder);
}

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
