/**
 * Resolve: syntax tree → Program. Decides what every name is (constant,
 * builtin function, user function, or variable) through THE one lookup
 * (`lookupName` in builtins.ts), checks arity, numbers the variables in
 * order of first appearance, and drops `+a` (it is `a`).
 *
 * The body of an expression function is resolved here too: its
 * parameters take the variables' place, and any other name is an error.
 *
 * Recursion here is bounded by the parser's depth limit.
 */

import { ExprArityError, ExprLimitError, ExprNameError } from "../errors.js";
import type { Call, Expr, Identifier } from "../syntax/ast.js";
import { plural } from "../text/plural.js";
import { functionNames, lookupName, type UserNames } from "./names.js";
import {
  applyNode,
  binaryNode,
  callNode,
  conditionalNode,
  hostNode,
  numberNode,
  unaryNode,
  variableNode,
} from "./nodes.js";
import type { Definition, HostFunction, Node, Program, UserFunction } from "./program.js";
import { closest } from "./suggest.js";

/**
 * Most arguments one call may take. Variadic calls with hundreds of
 * thousands of arguments (a 1 MB `min(1,1,…)`) would otherwise overflow a
 * host call's argument stack at evaluation time.
 */
export const MAX_ARGUMENTS = 1000;

/**
 * Resolves a syntax tree parsed from `source`, with the application's
 * names in `user`. Throws ExprError (name, arity or limit).
 */
export function resolve(expr: Expr, source: string, user?: UserNames): Program {
  const resolver = new Resolver(source, user, undefined);
  const root = resolver.node(expr, 1);
  return {
    source,
    root,
    variables: resolver.variables,
    firstUse: resolver.firstUse,
    depth: resolver.maxDepth,
    definitions: resolver.usedDefinitions(),
    hosts: resolver.usedHosts(),
    userNames: resolver.userNames,
  };
}

/** A resolved body of an expression function, and what it calls. */
export interface ResolvedBody {
  readonly body: Node;
  readonly depth: number;
  readonly calls: readonly Definition[];
  readonly hosts: readonly HostFunction[];
}

/**
 * Resolves the body of expression function `name` (parsed from `text`):
 * its variables are `params`, in order; any other name that is not a
 * constant is an ExprNameError pointing into `text`.
 */
export function resolveBody(
  expr: Expr,
  text: string,
  user: UserNames,
  name: string,
  params: readonly string[],
): ResolvedBody {
  const resolver = new Resolver(text, user, { name, params });
  const body = resolver.node(expr, 1);
  return {
    body,
    depth: resolver.maxDepth,
    calls: resolver.usedDefinitions(),
    hosts: resolver.usedHosts(),
  };
}

/** Whose body is being resolved, and its parameters. */
interface BodyOf {
  readonly name: string;
  readonly params: readonly string[];
}

class Resolver {
  readonly variables: string[] = [];
  readonly firstUse: { start: number; end: number }[] = [];
  readonly userNames: string[] = [];
  maxDepth = 0;
  /** Name → slot, made only once there are many variables (a scan is cheaper for a few). */
  private slots: Map<string, number> | undefined;
  /** Definitions called, with those they call; hosts called, there or in them. */
  private definitions: Set<Definition> | undefined;
  private hosts: Set<HostFunction> | undefined;

  constructor(
    private readonly source: string,
    private readonly user: UserNames | undefined,
    private readonly bodyOf: BodyOf | undefined,
  ) {}

  /** The definitions called, callees first (definition order). */
  usedDefinitions(): readonly Definition[] {
    if (this.definitions === undefined) return NONE;
    return [...this.definitions].sort((a, b) => a.index - b.index);
  }

  usedHosts(): readonly HostFunction[] {
    return this.hosts === undefined ? NONE : [...this.hosts];
  }

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
    const binding = lookupName(name, this.user);
    if (binding !== undefined) {
      if (binding.kind === "constant") {
        if (binding.user) this.noteUserName(name);
        return numberNode(binding.value, expr, name);
      }
      throw new ExprNameError(`'${name}' is a function; call it, as in ${name}(x)`, this.source, {
        offset: start,
        length: end - start,
      });
    }
    if (this.bodyOf !== undefined) return this.parameter(expr, this.bodyOf);
    let slot = this.slotOf(name);
    if (slot === -1) {
      slot = this.variables.length;
      this.slots?.set(name, slot);
      this.variables.push(name);
      this.firstUse.push({ start, end });
    }
    return variableNode(name, slot, expr);
  }

  /** A parameter of the body being resolved; any other name is an error in the body. */
  private parameter(expr: Identifier, bodyOf: BodyOf): Node {
    const { name, start, end } = expr;
    const slot = bodyOf.params.indexOf(name);
    if (slot !== -1) return variableNode(name, slot, expr);
    const params = bodyOf.params.length === 0 ? "none" : bodyOf.params.join(", ");
    throw new ExprNameError(
      `unknown name '${name}' in the body of '${bodyOf.name}' (its parameters: ${params})`,
      this.source,
      { offset: start, length: end - start },
    );
  }

  private noteUserName(name: string): void {
    if (this.bodyOf === undefined && !this.userNames.includes(name)) this.userNames.push(name);
  }

  private slotOf(name: string): number {
    const { variables } = this;
    if (this.slots === undefined && variables.length > 8) {
      this.slots = new Map(variables.map((v, i) => [v, i]));
    }
    return this.slots === undefined ? variables.indexOf(name) : (this.slots.get(name) ?? -1);
  }

  /** A call of a builtin or a user function, with its arity checked. */
  private call(expr: Call, depth: number): Node {
    const { callee, start, end } = expr;
    const nameSpan = { offset: start, length: expr.nameEnd - start };
    const binding = lookupName(callee, this.user);
    if (binding === undefined) {
      const near = closest(callee, functionNames(this.user));
      const hint = near === undefined ? "" : `; did you mean '${near}'?`;
      throw new ExprNameError(`unknown function '${callee}'${hint}`, this.source, nameSpan);
    }
    if (binding.kind === "constant") {
      throw new ExprNameError(`'${callee}' is a constant, not a function`, this.source, nameSpan);
    }
    const fn = binding.fn;
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
    if (binding.kind === "builtin") return callNode(binding.fn, args, expr);
    return this.userCall(binding.fn, args, expr);
  }

  /** A call of a user function, its arguments resolved (a method apart, to keep `call`'s frame small). */
  private userCall(user: UserFunction, args: Node[], expr: Call): Node {
    this.noteUserName(expr.callee);
    if (user.kind === "host") {
      this.useHost(user);
      return hostNode(user, args, expr);
    }
    this.definitions ??= new Set();
    this.definitions.add(user);
    for (const called of user.calls) this.definitions.add(called);
    for (const host of user.hosts) this.useHost(host);
    return applyNode(user, args, expr);
  }

  private useHost(host: HostFunction): void {
    this.hosts ??= new Set();
    this.hosts.add(host);
  }
}

const NONE: readonly never[] = Object.freeze([]);

function arityText(min: number, max: number): string {
  if (min === max) return plural(min, "argument");
  if (max === Number.POSITIVE_INFINITY) return `at least ${plural(min, "argument")}`;
  return `${min} to ${plural(max, "argument")}`;
}
