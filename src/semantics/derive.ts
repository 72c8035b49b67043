/**
 * Differentiation as a lowering: Program → the Program of its derivative
 * with respect to one variable slot (LANGUAGE.md, "Derivatives"), forward
 * mode, by the chain rule, through THE rule tables (derivatives.ts) and
 * their structural simplifications (algebra.ts). The result is an ordinary
 * Program on the same variables, so every back-end runs it with no code of
 * its own; the caller lowers it (folding, exact rewrites) like any other.
 *
 * - The derivative shares the input's nodes for the values it needs (a
 *   DAG): `d/dx sin(u)` is `cos(u) * u'` with `u` the input's own node.
 * - Expression functions: `f(a1, …, an)'` is `Σ ∂f/∂pi(a1, …, an) * ai'`,
 *   where `∂f/∂pi` is a definition of its own (same parameters, the body's
 *   derivative with respect to parameter i), made once per program.
 * - Host functions: the partials the application gave (`derivatives` on
 *   its spec, user functions of their own); without them a call whose
 *   arguments depend on the variable is an ExprError naming the function
 *   and the variable.
 * - Limits: the walk recurses once per level of the input, whose depth the
 *   parser bounded; the derivative's own depth is checked against the same
 *   limit, and its size (its nodes written out as a tree) against the
 *   length limit, so no later stage walks something unbounded.
 */

import { ExprLimitError, ExprNameError } from "../errors.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { unreachable } from "../unreachable.js";
import { Algebra, type Term } from "./algebra.js";
import { BINARY_RULES, FUNCTION_RULES, UNARY_RULES } from "./derivatives.js";
import { lookupName } from "./names.js";
import { applyNode, childrenOf, hostNode, localNode, numberNode } from "./nodes.js";
import type {
  Binding,
  Definition,
  HostCallNode,
  HostFunction,
  Node,
  Program,
  Result,
} from "./program.js";
import { printNode } from "./source.js";

/** Bounds on a derivative: the caller's limits. */
export interface DeriveLimits {
  /** Deepest derivative tree accepted (the parser's `maxDepth`). */
  readonly maxDepth?: number;
  /** Most nodes of the derivative written out as a tree (default: the source length limit). */
  readonly maxNodes?: number;
}

/**
 * The derivative of (lowered) `program` with respect to variable `slot`,
 * not yet lowered. Throws ExprError (name: a host function without
 * derivatives; limit: a derivative too deep or too large).
 */
export function deriveProgram(program: Program, slot: number, limits: DeriveLimits = {}): Program {
  return gradientProgram(program, [slot], false, limits);
}

/**
 * ONE program for the gradient of (resolved) `program`'s first result:
 * results `[value, d/d slots[0], …]` (without the value unless
 * `withValue`), sharing the program's bindings; each binding `t = e;` gets
 * a companion `t_dx = e';` per variable where `e'` is not 0, after all of
 * them, and a read of `t` has the read of its companion as derivative. A
 * slot of -1 (a name the program does not use) gives the number 0.
 */
export function gradientProgram(
  program: Program,
  slots: readonly number[],
  withValue: boolean,
  limits: DeriveLimits = {},
): Program {
  const { source } = program;
  const bindings: Binding[] = [...program.bindings];
  const taken = new Set([...program.variables, ...program.userNames]);
  for (const binding of program.bindings) taken.add(binding.name);
  const result = program.results[0] as Result;
  const results: Result[] = withValue ? [result] : [];
  let depth = withValue ? program.depth : 1;
  for (const binding of program.bindings) depth = Math.max(depth, binding.depth);
  // Expression functions' partials are made once for all the variables.
  const partials = new Map<Definition, Partials>();
  for (const slot of slots) {
    if (slot < 0) {
      results.push({ name: "", value: numberNode(0, result.value) });
      continue;
    }
    const variable = program.variables[slot] as string;
    const deriver = new Deriver(source, slot, variable, limits, partials);
    program.bindings.forEach((binding) => {
      const d = deriver.node(binding.value);
      if (d === undefined) {
        deriver.locals.push(undefined);
        return;
      }
      const measured = deriver.measure(d, source);
      const name = freshName(`${binding.name}_d${variable}`, taken);
      const { start, end } = binding;
      deriver.locals.push(localNode(name, bindings.length, d, binding));
      bindings.push({ name, value: d, depth: measured.depth, start, end });
      depth = Math.max(depth, measured.depth);
    });
    const root = deriver.node(result.value) ?? numberNode(0, result.value);
    depth = Math.max(depth, deriver.measure(root, source).depth);
    results.push({ name: `d/d${variable}`, value: root });
  }
  const { definitions, hosts } = callsOf([
    ...bindings.map((b) => b.value),
    ...results.map((r) => r.value),
  ]);
  return { ...program, bindings, results, depth, definitions, hosts };
}

/** `name`, or it with `_` appended until no variable, user name or binding has it. */
function freshName(name: string, taken: Set<string>): string {
  let fresh = name;
  while (taken.has(fresh) || lookupName(fresh) !== undefined) fresh += "_";
  taken.add(fresh);
  return fresh;
}

/** The partial derivatives of each definition met, by parameter (`null`: structurally 0). */
type Partials = (Definition | null)[];

class Deriver {
  /** The derivative of each binding read by a `local` node, by index (undefined: 0). */
  readonly locals: Term[] = [];
  private readonly partials: Map<Definition, Partials>;
  private readonly maxDepth: number;
  private readonly maxNodes: number;

  constructor(
    private readonly source: string,
    private readonly slot: number,
    private readonly variable: string,
    limits: DeriveLimits,
    partials?: Map<Definition, Partials>,
  ) {
    this.partials = partials ?? new Map();
    this.maxDepth = limits.maxDepth ?? DEFAULT_LIMITS.maxDepth;
    this.maxNodes = limits.maxNodes ?? DEFAULT_LIMITS.maxLength;
  }

  /** The derivative of `node`; `undefined` where it is structurally 0. */
  node(node: Node): Term {
    switch (node.kind) {
      case "number":
        return undefined;
      case "variable":
        return node.slot === this.slot ? numberNode(1, node) : undefined;
      case "local":
        return this.locals[node.index];
      case "unary": {
        const da = this.node(node.operand);
        return da === undefined
          ? undefined
          : known(UNARY_RULES[node.op](new Algebra(node), node.operand, da));
      }
      case "binary": {
        const da = this.node(node.left);
        const db = this.node(node.right);
        if (da === undefined && db === undefined) return undefined;
        const rule = BINARY_RULES[node.op];
        return known(rule(new Algebra(node), node.left, da, node.right, db, node));
      }
      case "conditional": {
        const b = new Algebra(node);
        return b.cond(node.test, this.node(node.consequent), this.node(node.alternate));
      }
      case "call": {
        const ds = this.args(node.args);
        if (ds === undefined) return undefined;
        return known(FUNCTION_RULES[node.fn.name](new Algebra(node), node.args, ds, node));
      }
      case "host":
        return this.host(node);
      case "apply": {
        const ds = this.args(node.args);
        if (ds === undefined) return undefined;
        const partials = this.partialsOf(node.fn);
        const b = new Algebra(node);
        const terms = ds.map((d, i) => {
          const partial = partials[i];
          if (d === undefined || partial === null || partial === undefined) return undefined;
          return b.mul(applyNode(partial, node.args, node), d);
        });
        return known(b.sum(terms));
      }
      default:
        return unreachable(node, "node");
    }
  }

  /** The derivatives of `args`, or undefined when all are 0. */
  private args(args: readonly Node[]): Term[] | undefined {
    const ds: Term[] = [];
    let any = false;
    for (const arg of args) {
      const d = this.node(arg);
      any ||= d !== undefined;
      ds.push(d);
    }
    return any ? ds : undefined;
  }

  private host(node: HostCallNode): Term {
    const ds = this.args(node.args);
    if (ds === undefined) return undefined;
    const { fn } = node;
    const given = fn.derivatives;
    if (given === undefined) {
      throw new ExprNameError(
        `cannot differentiate with respect to '${this.variable}': host function '${fn.name}' has no derivatives (give them as the derivatives option of its spec)`,
        this.source,
        { offset: node.start, length: node.end - node.start },
      );
    }
    const b = new Algebra(node);
    return b.sum(
      ds.map((d, i) => {
        if (d === undefined) return undefined;
        const partial = given[i] as HostFunction | Definition;
        const call =
          partial.kind === "host"
            ? hostNode(partial, node.args, node)
            : applyNode(partial, node.args, node);
        return b.mul(call, d);
      }),
    );
  }

  /** The partial derivatives of `fn`, each a definition of its own, made once. */
  private partialsOf(fn: Definition): Partials {
    let partials = this.partials.get(fn);
    if (partials !== undefined) return partials;
    if (fn.bindings.length > 0) {
      throw new ExprNameError(
        `cannot differentiate with respect to '${this.variable}' through '${fn.name}': derivatives of expression functions with bindings are not supported yet`,
        this.source,
        { offset: 0, length: this.source.length },
      );
    }
    partials = fn.params.map((param, i) => {
      const limits = { maxDepth: this.maxDepth, maxNodes: this.maxNodes };
      const inner = new Deriver(fn.source, i, this.variable, limits, this.partials);
      const body = inner.node(fn.body);
      if (body === undefined) return null;
      const { depth } = inner.measure(body, fn.source);
      return partialDefinition(fn, i, param, body, depth);
    });
    this.partials.set(fn, partials);
    return partials;
  }

  /**
   * Depth and written-out size of `root` (a DAG: each node measured once),
   * checked against the limits. Walks without recursion.
   */
  measure(root: Node, source: string): { depth: number; size: number } {
    const depths = new Map<Node, number>();
    const sizes = new Map<Node, number>();
    const work: Node[] = [root];
    while (work.length > 0) {
      const node = work[work.length - 1] as Node;
      if (depths.has(node)) {
        work.pop();
        continue;
      }
      const children = childrenOf(node);
      let ready = true;
      for (const child of children) {
        if (!depths.has(child)) {
          ready = false;
          work.push(child);
        }
      }
      if (!ready) continue;
      work.pop();
      let depth = 0;
      let size = 1;
      for (const child of children) {
        depth = Math.max(depth, depths.get(child) as number);
        size += sizes.get(child) as number;
      }
      depths.set(node, depth + 1);
      sizes.set(node, Math.min(size, Number.MAX_SAFE_INTEGER));
    }
    const depth = depths.get(root) as number;
    const size = sizes.get(root) as number;
    const span = { offset: 0, length: source.length };
    if (depth > this.maxDepth) {
      throw new ExprLimitError(
        `the derivative with respect to '${this.variable}' is nested ${depth} levels deep; the limit is ${this.maxDepth} (maxDepth)`,
        source,
        span,
      );
    }
    if (size > this.maxNodes) {
      throw new ExprLimitError(
        `the derivative with respect to '${this.variable}' has more than ${this.maxNodes} nodes written out; the limit follows maxLength`,
        source,
        span,
      );
    }
    return { depth, size };
  }
}

/**
 * A derivative that came out as the number 0 (`(x + y) + (x - y)` by `y`
 * is `1 - 1`) is structurally 0 too, so it is dropped like any other
 * rather than written as `… * 0`.
 */
function known(term: Term): Term {
  return term !== undefined && term.kind === "number" && term.value === 0 ? undefined : term;
}

/** `∂f/∂p` as a definition: `f`'s parameters, `body` its derivative with respect to parameter `i`. */
function partialDefinition(
  fn: Definition,
  i: number,
  param: string,
  body: Node,
  depth: number,
): Definition {
  const { definitions, hosts } = callsOf([body]);
  const name = `${fn.name}'${param}`;
  const deepest = definitions.reduce((most, called) => Math.max(most, called.depth), 0);
  return Object.freeze({
    kind: "definition",
    name,
    // Between `fn` and the next definition of the environment: after every
    // definition it calls (fn's callees and their partials), as the order
    // of Program.definitions requires.
    index: fn.index + (i + 1) / (fn.params.length + 1),
    minArgs: fn.minArgs,
    maxArgs: fn.maxArgs,
    pure: hosts.every((host) => host.pure),
    params: fn.params,
    bindings: [],
    body,
    text: `${name}(${fn.params.join(", ")}) = ${printNode(body, fn.params)}`,
    source: fn.source,
    depth: depth + deepest,
    calls: definitions,
    hosts,
  });
}

/**
 * The definitions and host functions `root` calls, directly or inside a
 * definition; definitions in definition order, hosts in first-use order.
 */
function callsOf(roots: readonly Node[]): { definitions: Definition[]; hosts: HostFunction[] } {
  const definitions = new Set<Definition>();
  const hosts = new Set<HostFunction>();
  const seen = new Set<Node>();
  const work: Node[] = [...roots].reverse();
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    if (node.kind === "host") hosts.add(node.fn);
    if (node.kind === "apply") {
      for (const called of node.fn.calls) definitions.add(called);
      definitions.add(node.fn);
      for (const host of node.fn.hosts) hosts.add(host);
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i] as Node);
  }
  return { definitions: [...definitions].sort((a, b) => a.index - b.index), hosts: [...hosts] };
}
