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
 * Bindings (v3) are evaluated once each, in order, into an array of
 * locals that `local` nodes read; an expression function's call computes
 * its body's own bindings from its arguments.
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
import type { ApplyNode, Binding, Node, Program } from "./program.js";

/** No bindings: what a plain expression's `local` reads would see (it has none). */
const NO_LOCALS: readonly number[] = [];

/**
 * Every result of `program` for variable slot i bound to `values[i]`: its
 * bindings once each, in order, then its results in order, written to
 * `out[r]` (a fresh array when not given).
 */
export function evaluateProgram(
  program: Program,
  values: ArrayLike<number>,
  out: { [index: number]: number } = [],
): { [index: number]: number } {
  const locals = evaluateBindings(program.bindings, values);
  const { results } = program;
  for (let r = 0; r < results.length; r++) {
    out[r] = evaluateNode((results[r] as Program["results"][number]).value, values, locals);
  }
  return out;
}

/** Result 0 of `program` (every binding evaluated first, once each). */
export function evaluateFirst(program: Program, values: ArrayLike<number>): number {
  const first = (program.results[0] as Program["results"][number]).value;
  if (program.bindings.length === 0) return evaluateNode(first, values);
  return evaluateNode(first, values, evaluateBindings(program.bindings, values));
}

/** The values of `bindings`, in order, each reading those before it. */
export function evaluateBindings(
  bindings: readonly Binding[],
  values: ArrayLike<number>,
): readonly number[] {
  if (bindings.length === 0) return NO_LOCALS;
  const locals: number[] = [];
  for (const binding of bindings) locals.push(evaluateNode(binding.value, values, locals));
  return locals;
}

/**
 * The value of `node` with variable slot i bound to `values[i]` and
 * binding j's value in `locals[j]`.
 */
export function evaluateNode(
  node: Node,
  values: ArrayLike<number>,
  locals: ArrayLike<number> = NO_LOCALS,
): number {
  switch (node.kind) {
    case "number":
      return node.value;
    case "variable":
      return values[node.slot] as number;
    case "local":
      return locals[node.index] as number;
    case "unary":
      return unary(node.op, evaluateNode(node.operand, values, locals));
    case "binary":
      return binary(node.op, node.left, node.right, values, locals);
    case "conditional":
      return truthy(evaluateNode(node.test, values, locals))
        ? evaluateNode(node.consequent, values, locals)
        : evaluateNode(node.alternate, values, locals);
    case "call":
      return call(node.fn.js, node.args, values, locals);
    case "host":
      return checkHostResult(node.fn.name, call(node.fn.fn, node.args, values, locals));
    case "apply":
      return apply(node, values, locals);
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

function binary(
  op: BinaryOp,
  left: Node,
  right: Node,
  values: ArrayLike<number>,
  locals: ArrayLike<number>,
): number {
  const a = evaluateNode(left, values, locals);
  switch (op) {
    case "&&":
      return logical(BINARY["&&"], a, right, values, locals);
    case "||":
      return logical(BINARY["||"], a, right, values, locals);
  }
  const b = evaluateNode(right, values, locals);
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
function logical(
  spec: BinarySpec,
  a: number,
  right: Node,
  values: ArrayLike<number>,
  locals: ArrayLike<number>,
): number {
  if (truthy(a) === spec.decides) return spec.decides ? 1 : 0;
  return spec.apply(a, evaluateNode(right, values, locals));
}

/**
 * Arguments left to right, each once; then the body's bindings and the
 * body, with the arguments as its variables.
 */
function apply(node: ApplyNode, values: ArrayLike<number>, locals: ArrayLike<number>): number {
  const args: number[] = [];
  for (const arg of node.args) args.push(evaluateNode(arg, values, locals));
  const { fn } = node;
  if (fn.bindings.length === 0) return evaluateNode(fn.body, args);
  return evaluateNode(fn.body, args, evaluateBindings(fn.bindings, args));
}

function call<R>(
  fn: (...args: number[]) => R,
  args: readonly Node[],
  values: ArrayLike<number>,
  locals: ArrayLike<number>,
): R {
  switch (args.length) {
    case 0:
      return fn();
    case 1:
      return fn(evaluateNode(args[0] as Node, values, locals));
    case 2:
      return fn(
        evaluateNode(args[0] as Node, values, locals),
        evaluateNode(args[1] as Node, values, locals),
      );
    default: {
      const evaluated: number[] = [];
      for (const arg of args) evaluated.push(evaluateNode(arg, values, locals));
      return fn(...evaluated);
    }
  }
}
