/**
 * Resolve: syntax tree → Program. Decides what every name is (constant,
 * builtin function, user function, or variable) through THE one lookup
 * (`lookupName` in builtins.ts), checks arity, numbers the variables in
 * order of first appearance, and drops `+a` (it is `a`).
 *
 * The body of an expression function is resolved here too: its
 * parameters take the variables' place, and any other name is an error.
 *
 * Bindings (v3, `d = b^2 - 4*a*c; …`) are resolved here too: a name bound
 * earlier is a `local` node, never a variable; binding a builtin or user
 * name, binding a name twice, or using one before its binding is an error
 * at its own position.
 *
 * It is a builder for the parser (syntax/builder.ts): compiling parses
 * straight into a Program, building no syntax tree (`parseProgram`); an
 * existing syntax tree is resolved by replaying it (`resolve`).
 */

import { ExprArityError, type ExprError, ExprLimitError, ExprNameError } from "../errors.js";
import type { Limits } from "../limits.js";
import type { ProgramSyntax } from "../syntax/ast.js";
import { buildProgram, type TreeBuilder } from "../syntax/builder.js";
import type { BinaryOp, UnaryOp } from "../syntax/operators.js";
import { parseWith } from "../syntax/parser.js";
import { lineColumn } from "../text/lines.js";
import { plural } from "../text/plural.js";
import type { SourceRange } from "../text/range.js";
import type { Builtin } from "./builtins.js";
import { functionNames, lookupName, type UserNames } from "./names.js";
import {
  applyNode,
  binaryNode,
  callNode,
  conditionalNode,
  hostNode,
  localNode,
  numberNode,
  unaryNode,
  variableNode,
} from "./nodes.js";
import type { Binding, Definition, HostFunction, Node, Program, UserFunction } from "./program.js";
import { closest } from "./suggest.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { max: maxOf } = Math;

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
export function resolve(tree: ProgramSyntax, source: string, user?: UserNames): Program {
  const resolver = new Resolver(source, user, undefined);
  return resolver.program(buildProgram(tree, resolver));
}

/**
 * Parses and resolves `source` in one pass: the parser hands each node to
 * the resolver as it completes it, so no syntax tree is built. The same
 * Program, and the same first error, as `resolve(parseExpression(source))`.
 * Throws ExprError (syntax, limit, name or arity).
 */
export function parseProgram(source: string, limits: Limits | null, user?: UserNames): Program {
  const resolver = new Resolver(source, user, undefined);
  return resolver.program(parseWith(source, limits, resolver));
}

/** A resolved body of an expression function, and what it calls. */
export interface ResolvedBody {
  readonly bindings: readonly Binding[];
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
  tree: ProgramSyntax,
  text: string,
  user: UserNames,
  name: string,
  params: readonly string[],
): ResolvedBody {
  const resolver = new Resolver(text, user, { name, params });
  const body = resolver.finish(buildProgram(tree, resolver));
  return {
    bindings: resolver.bindings,
    body,
    depth: resolver.depth(),
    calls: resolver.usedDefinitions(),
    hosts: resolver.usedHosts(),
  };
}

/** Whose body is being resolved, and its parameters. */
interface BodyOf {
  readonly name: string;
  readonly params: readonly string[];
}

/**
 * Makes the Program's nodes, one per node the parser (or {@link build})
 * reports, operands first (see syntax/builder.ts).
 *
 * Errors are not thrown at once. The first error in reading order is the
 * one to report, the one a reader meets first; but nodes arrive operands
 * first, so a call's own error (an unknown name, a wrong count) arrives
 * after any error in its arguments. Every error here points at a name,
 * and a node's name starts before all of its operands, so the error to
 * report is simply the one that starts first: it is kept, and thrown once
 * the whole tree is in (by then the parser has also found any syntax
 * error, which is reported instead, as it comes first in the pipeline).
 */
class Resolver implements TreeBuilder<Node> {
  readonly variables: string[] = [];
  readonly firstUse: { start: number; end: number }[] = [];
  readonly userNames: string[] = [];
  /** The bindings so far, in order; `local` nodes index them. */
  readonly bindings: Binding[] = [];
  /** Bound name → its binding's index, made at the first binding. */
  private locals: Map<string, number> | undefined;
  /** Greatest depth of a binding's value so far. */
  private bindingDepth = 0;
  /**
   * The depth of each finished subtree not yet taken as an operand: nodes
   * arrive operands first, so a node's operands are the top entries, just
   * as in the parser's own stacks. A leaf has depth 1; `+a` is `a`.
   */
  private readonly depths: number[] = [];
  /** Name → slot, made only once there are many variables (a scan is cheaper for a few). */
  private slots: Map<string, number> | undefined;
  /** Definitions called, with those they call; hosts called, there or in them. */
  private definitions: Set<Definition> | undefined;
  private hosts: Set<HostFunction> | undefined;
  /** The error that starts first so far, and where it starts. */
  private error: ExprError | undefined;
  private errorStart = 0;

  constructor(
    private readonly source: string,
    private readonly user: UserNames | undefined,
    private readonly bodyOf: BodyOf | undefined,
  ) {}

  /** The whole program, given its resolved root. Throws the error that starts first, if any. */
  program(root: Node): Program {
    return {
      source: this.source,
      bindings: this.bindings,
      results: [{ name: "", value: this.finish(root) }],
      variables: this.variables,
      firstUse: this.firstUse,
      depth: this.depth(),
      definitions: this.usedDefinitions(),
      hosts: this.usedHosts(),
      userNames: this.userNames,
    };
  }

  /** `root` once every node is in; throws the error that starts first, if any. */
  finish(root: Node): Node {
    if (this.error !== undefined) throw this.error;
    return root;
  }

  /** Greatest depth of the result's tree and of the bindings' (once every node is in). */
  depth(): number {
    return maxOf(this.depths[0] ?? 0, this.bindingDepth);
  }

  /**
   * `name = value;`: the name must be free (not a builtin or user name, not
   * bound already, not used before as a variable or, in a body, a
   * parameter); each error points at the name, or at the earlier use.
   */
  binding(name: string, start: number, nameEnd: number, value: Node, _end: number): void {
    const depth = this.depths.pop() as number;
    this.bindingDepth = maxOf(this.bindingDepth, depth);
    const at = { start, end: nameEnd };
    const problem = this.bindingProblem(name, at);
    if (problem !== undefined && this.comesFirst(problem.start)) {
      this.keep(problem.start, problem.error);
    }
    this.locals ??= new Map();
    if (!this.locals.has(name)) this.locals.set(name, this.bindings.length);
    this.bindings.push({ name, value, depth, start, end: nameEnd });
  }

  /** Why `name` (at `at`) cannot be bound, and where the error starts; undefined if it can. */
  private bindingProblem(
    name: string,
    at: { start: number; end: number },
  ): { start: number; error: ExprError } | undefined {
    const error = (message: string, span = at) => ({
      start: span.start,
      error: new ExprNameError(message, this.source, {
        offset: span.start,
        length: span.end - span.start,
      }),
    });
    const known = lookupName(name, this.user);
    if (known !== undefined) {
      const what =
        known.kind === "constant"
          ? known.user
            ? "a user constant"
            : "a builtin constant"
          : known.kind === "builtin"
            ? "a builtin function"
            : known.fn.kind === "host"
              ? "a host function"
              : "an expression function";
      return error(`'${name}' is ${what} and cannot be bound`);
    }
    const earlier = this.locals?.get(name);
    if (earlier !== undefined) {
      const first = this.bindings[earlier] as Binding;
      return error(`'${name}' is bound twice (first at ${this.where(first.start)})`);
    }
    if (this.bodyOf?.params.includes(name)) {
      return error(`'${name}' is a parameter of '${this.bodyOf.name}' and cannot be bound`);
    }
    const slot = this.bodyOf === undefined ? this.slotOf(name) : -1;
    if (slot !== -1) {
      const use = this.firstUse[slot] as { start: number; end: number };
      return error(`'${name}' is used before its binding at ${this.where(at.start)}`, use);
    }
    return undefined;
  }

  /** "line:column" of offset `at`, for messages that point elsewhere too. */
  private where(at: number): string {
    const { line, column } = lineColumn(this.source, at);
    return `${line}:${column}`;
  }

  /** The definitions called, callees first (definition order). */
  usedDefinitions(): readonly Definition[] {
    if (this.definitions === undefined) return NONE;
    return [...this.definitions].sort((a, b) => a.index - b.index);
  }

  usedHosts(): readonly HostFunction[] {
    return this.hosts === undefined ? NONE : [...this.hosts];
  }

  number(value: number, start: number, end: number): Node {
    this.depths.push(1);
    return numberNode(value, { start, end });
  }

  /** A constant, or a variable; a function name without a call is an error. */
  name(name: string, start: number, end: number): Node {
    this.depths.push(1);
    const local = this.locals?.get(name);
    if (local !== undefined) {
      const bound = this.bindings[local] as Binding;
      return localNode(name, local, bound.value, { start, end });
    }
    const binding = lookupName(name, this.user);
    if (binding !== undefined) {
      if (binding.kind === "constant") {
        if (binding.user) this.noteUserName(name);
        return numberNode(binding.value, { start, end }, name);
      }
      if (this.comesFirst(start)) {
        this.keep(
          start,
          new ExprNameError(`'${name}' is a function; call it, as in ${name}(x)`, this.source, {
            offset: start,
            length: end - start,
          }),
        );
      }
      return standIn(start, end);
    }
    if (this.bodyOf !== undefined) return this.parameter(name, start, end, this.bodyOf);
    let slot = this.slotOf(name);
    if (slot === -1) {
      slot = this.variables.length;
      this.slots?.set(name, slot);
      this.variables.push(name);
      this.firstUse.push({ start, end });
    }
    return variableNode(name, slot, { start, end });
  }

  unary(op: UnaryOp, operand: Node, start: number, end: number): Node {
    if (op === "+") return operand;
    this.depths.push((this.depths.pop() as number) + 1);
    return unaryNode(op, operand, { start, end });
  }

  binary(
    op: BinaryOp,
    _opStart: number,
    left: Node,
    right: Node,
    start: number,
    end: number,
  ): Node {
    const depths = this.depths;
    const rightDepth = depths.pop() as number;
    depths.push(maxOf(depths.pop() as number, rightDepth) + 1);
    return binaryNode(op, left, right, { start, end });
  }

  conditional(test: Node, consequent: Node, alternate: Node, start: number, end: number): Node {
    this.depths.push(this.popDepths(3) + 1);
    return conditionalNode(test, consequent, alternate, { start, end });
  }

  /** A call of a builtin or a user function, with its arity checked. */
  call(callee: string, nameEnd: number, args: Node[], start: number, end: number): Node {
    this.depths.push(this.popDepths(args.length) + 1);
    const binding = lookupName(callee, this.user);
    if (binding === undefined || binding.kind === "constant") {
      if (this.comesFirst(start)) this.keep(start, this.notAFunction(callee, start, nameEnd));
      return standIn(start, end);
    }
    const fn = binding.fn;
    const count = args.length;
    if (count > MAX_ARGUMENTS || count < fn.minArgs || count > fn.maxArgs) {
      if (this.comesFirst(start)) this.keep(start, this.badCount(callee, fn, count, start, end));
      return standIn(start, end);
    }
    if (binding.kind === "builtin") return callNode(binding.fn, args, { start, end });
    return this.userCall(callee, binding.fn, args, { start, end });
  }

  /** A parameter of the body being resolved; any other name is an error in the body. */
  private parameter(name: string, start: number, end: number, bodyOf: BodyOf): Node {
    const slot = bodyOf.params.indexOf(name);
    if (slot !== -1) return variableNode(name, slot, { start, end });
    if (this.comesFirst(start)) {
      const params = bodyOf.params.length === 0 ? "none" : bodyOf.params.join(", ");
      this.keep(
        start,
        new ExprNameError(
          `unknown name '${name}' in the body of '${bodyOf.name}' (its parameters: ${params})`,
          this.source,
          { offset: start, length: end - start },
        ),
      );
    }
    return standIn(start, end);
  }

  /** The error of calling `callee` (at `start`), a constant or no name at all. */
  private notAFunction(callee: string, start: number, nameEnd: number): ExprError {
    const nameSpan = { offset: start, length: nameEnd - start };
    if (lookupName(callee, this.user) !== undefined) {
      return new ExprNameError(`'${callee}' is a constant, not a function`, this.source, nameSpan);
    }
    const near = closest(callee, functionNames(this.user));
    const hint = near === undefined ? "" : `; did you mean '${near}'?`;
    return new ExprNameError(`unknown function '${callee}'${hint}`, this.source, nameSpan);
  }

  /** The error of a call `[start, end)` of `fn` with `count` arguments: more than any call takes, or not its arity. */
  private badCount(
    callee: string,
    fn: UserFunction | Builtin,
    count: number,
    start: number,
    end: number,
  ): ExprError {
    if (count > MAX_ARGUMENTS) {
      return new ExprLimitError(
        `'${callee}' is given ${count} arguments; a call takes at most ${MAX_ARGUMENTS}`,
        this.source,
        { offset: start, length: callee.length },
      );
    }
    return new ExprArityError(
      `'${callee}' takes ${arityText(fn.minArgs, fn.maxArgs)}, but was given ${count}`,
      this.source,
      { offset: start, length: end - start },
    );
  }

  /**
   * Whether an error starting at `start` comes before the one kept so far
   * (if any): only then is it made, so most errors after the first never are.
   */
  private comesFirst(start: number): boolean {
    return this.error === undefined || start < this.errorStart;
  }

  private keep(start: number, error: ExprError): void {
    this.error = error;
    this.errorStart = start;
  }

  /** Pops the depths of `count` operands; returns the greatest (0 for none). */
  private popDepths(count: number): number {
    const depths = this.depths;
    let deepest = 0;
    for (let i = 0; i < count; i++) deepest = maxOf(deepest, depths.pop() as number);
    return deepest;
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

  /** A call of a user function, its arguments resolved. */
  private userCall(callee: string, user: UserFunction, args: Node[], at: SourceRange): Node {
    this.noteUserName(callee);
    if (user.kind === "host") {
      this.useHost(user);
      return hostNode(user, args, at);
    }
    this.definitions ??= new Set();
    this.definitions.add(user);
    for (const called of user.calls) this.definitions.add(called);
    for (const host of user.hosts) this.useHost(host);
    return applyNode(user, args, at);
  }

  private useHost(host: HostFunction): void {
    this.hosts ??= new Set();
    this.hosts.add(host);
  }
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * What stands for a node in error while the rest of the tree is built
 * (the error is thrown once it is in, so no stand-in is ever seen).
 */
function standIn(start: number, end: number): Node {
  return numberNode(0, { start, end });
}

function arityText(min: number, max: number): string {
  if (min === max) return plural(min, "argument");
  if (max === Number.POSITIVE_INFINITY) return `at least ${plural(min, "argument")}`;
  return `${min} to ${plural(max, "argument")}`;
}
