/**
 * Resolve: syntax tree → Program. Decides what every name is (constant,
 * builtin function, or variable), checks arity, numbers the variables in
 * order of first appearance, and drops `+a` (it is `a`).
 *
 * Recursion here is bounded by the parser's depth limit.
 */

import { ExprArityError, ExprLimitError, ExprNameError } from "../errors.js";
import type { Call, Expr, Identifier } from "../syntax/ast.js";
import { plural } from "../text/plural.js";
import { FUNCTION_LIST, lookupConstant, lookupFunction } from "./builtins.js";
import {
  binaryNode,
  callNode,
  conditionalNode,
  numberNode,
  unaryNode,
  variableNode,
} from "./nodes.js";
import type { Node, Program } from "./program.js";
import { closest } from "./suggest.js";

/**
 * Most arguments one call may take. Variadic calls with hundreds of
 * thousands of arguments (a 1 MB `min(1,1,…)`) would otherwise overflow a
 * host call's argument stack at evaluation time.
 */
export const MAX_ARGUMENTS = 1000;

/** Resolves a syntax tree parsed from `source`. Throws ExprError (name or arity). */
export function resolve(expr: Expr, source: string): Program {
  const resolver = new Resolver(source);
  const root = resolver.node(expr, 1);
  return {
    source,
    root,
    variables: resolver.variables,
    firstUse: resolver.firstUse,
    depth: resolver.maxDepth,
  };
}

class Resolver {
  readonly variables: string[] = [];
  readonly firstUse: { start: number; end: number }[] = [];
  maxDepth = 0;
  /** Name → slot, made only once there are many variables (a scan is cheaper for a few). */
  private slots: Map<string, number> | undefined;

  constructor(private readonly source: string) {}

  node(expr: Expr, depth: number): Node {
    if (depth > this.maxDepth) this.maxDepth = depth;
    switch (expr.kind) {
      case "number":
        return numberNode(expr.value, expr);
      case "identifier":
        return this.identifier(expr);
      case "call":
        return this.call(expr, depth);
      case "unary":
        if (expr.op === "+") return this.node(expr.operand, depth);
        return unaryNode(expr.op, this.node(expr.operand, depth + 1), expr);
      case "binary":
        return binaryNode(
          expr.op,
          this.node(expr.left, depth + 1),
          this.node(expr.right, depth + 1),
          expr,
        );
      case "conditional":
        return conditionalNode(
          this.node(expr.test, depth + 1),
          this.node(expr.consequent, depth + 1),
          this.node(expr.alternate, depth + 1),
          expr,
        );
    }
  }

  /** A constant, or a variable; a function name without a call is an error. */
  private identifier(expr: Identifier): Node {
    const { name, start, end } = expr;
    const constant = lookupConstant(name);
    if (constant !== undefined) return numberNode(constant, expr, name);
    if (lookupFunction(name) !== undefined) {
      throw new ExprNameError(`'${name}' is a function; call it, as in ${name}(x)`, this.source, {
        offset: start,
        length: end - start,
      });
    }
    let slot = this.slotOf(name);
    if (slot === -1) {
      slot = this.variables.length;
      this.slots?.set(name, slot);
      this.variables.push(name);
      this.firstUse.push({ start, end });
    }
    return variableNode(name, slot, expr);
  }

  private slotOf(name: string): number {
    const { variables } = this;
    if (this.slots === undefined && variables.length > 8) {
      this.slots = new Map(variables.map((v, i) => [v, i]));
    }
    return this.slots === undefined ? variables.indexOf(name) : (this.slots.get(name) ?? -1);
  }

  /** A builtin call with its arity checked. */
  private call(expr: Call, depth: number): Node {
    const { callee, start, end } = expr;
    const nameSpan = { offset: start, length: expr.nameEnd - start };
    const fn = lookupFunction(callee);
    if (fn === undefined) {
      if (lookupConstant(callee) !== undefined) {
        throw new ExprNameError(`'${callee}' is a constant, not a function`, this.source, nameSpan);
      }
      const near = closest(
        callee,
        FUNCTION_LIST.map((f) => f.name),
      );
      const hint = near === undefined ? "" : `; did you mean '${near}'?`;
      throw new ExprNameError(`unknown function '${callee}'${hint}`, this.source, nameSpan);
    }
    const count = expr.args.length;
    if (count > MAX_ARGUMENTS) {
      throw new ExprLimitError(
        `'${callee}' is given ${count} arguments; a call takes at most ${MAX_ARGUMENTS}`,
        this.source,
        nameSpan,
      );
    }
    if (count < fn.minArgs || count > fn.maxArgs) {
      throw new ExprArityError(
        `'${callee}' takes ${arityText(fn.minArgs, fn.maxArgs)}, but was given ${count}`,
        this.source,
        { offset: start, length: end - start },
      );
    }
    // A loop, not map(): each level of nested calls then costs two stack
    // frames, not four, and 2,000 levels stay well inside the stack.
    const args: Node[] = [];
    for (const arg of expr.args) args.push(this.node(arg, depth + 1));
    return callNode(fn, args, expr);
  }
}

function arityText(min: number, max: number): string {
  if (min === max) return plural(min, "argument");
  if (max === Number.POSITIVE_INFINITY) return `at least ${plural(min, "argument")}`;
  return `${min} to ${plural(max, "argument")}`;
}
