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
 *   than a call in every back-end. Only a variable or a binding's read is
 *   squared this way: it is read twice, where a larger base would be
 *   computed twice.
 * - Every node made here carries its `zeroOrOne` mark (see nodes.ts).
 * - User functions: the bodies of the expression functions a program calls
 *   are lowered too (once per definition for the default flags). A call of
 *   a host function is folded only when the application marked it `pure`,
 *   and a call of an expression function only when nothing its body calls
 *   is impure; a folding call that throws is left for run time, where only
 *   an evaluation that reaches it raises the error.
 *
 * - Bindings (v3): a binding whose lowered value is a number, a variable
 *   or another binding's read is written into its readers and dropped
 *   (with folding on): that changes no result, and such a value calls
 *   nothing. Every other binding stays, in order, even if nothing reads it
 *   (it may call a host function, which must run once per evaluation).
 *
 * The tree is rebuilt bottom-up; nodes that do not change are reused.
 * Recursion depth is the tree's depth, bounded by the parser's limit.
 */

import { decidingTruth, isLogical } from "../syntax/operators.js";
import { unreachable } from "../unreachable.js";
import { evaluateNode } from "./evaluate.js";
import {
  applyNode,
  binaryNode,
  callNode,
  childrenOf,
  conditionalNode,
  hostNode,
  localNode,
  numberNode,
  unaryNode,
} from "./nodes.js";
import type {
  ApplyNode,
  BinaryNode,
  Binding,
  ConditionalNode,
  Definition,
  HostCallNode,
  HostFunction,
  LocalNode,
  Node,
  Program,
} from "./program.js";

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
  const lowerer = new Lowerer(flags);
  for (const definition of program.definitions) lowerer.definition(definition);
  const bindings = lowerer.bindings(program.bindings);
  let same = bindings === program.bindings;
  const results = program.results.map((result) => {
    const value = lowerer.node(result.value);
    if (value === result.value) return result;
    same = false;
    return { name: result.name, value };
  });
  if (same) return program;
  if (program.definitions.length === 0 && program.hosts.length === 0) {
    return { ...program, bindings, results };
  }
  const roots = bindings.map((binding) => binding.value);
  for (const result of results) roots.push(result.value);
  const { definitions, hosts } = callsOf(roots);
  return { ...program, bindings, results, definitions, hosts };
}

const NO_VALUES: readonly number[] = [];

/** Most nodes a folded call of an expression function may evaluate, its calls written out. */
const FOLDING_BUDGET = 100_000;

/** Nodes in `definition`'s body with every call in it written out, memoized per definition. */
const EXPANDED = new WeakMap<Definition, number>();

function expandedSize(definition: Definition): number {
  let size = EXPANDED.get(definition);
  if (size !== undefined) return size;
  size = 0;
  const work: Node[] = [definition.body];
  for (const binding of definition.bindings) work.push(binding.value);
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    size += node.kind === "apply" ? expandedSize(node.fn) : 1;
    if (size > FOLDING_BUDGET) break;
    for (const child of childrenOf(node)) work.push(child);
  }
  EXPANDED.set(definition, size);
  return size;
}

/** Lowered definitions for the default flags, made once per definition. */
const LOWERED = new WeakMap<Definition, Definition>();

class Lowerer {
  /** Each definition met, with its lowered form. */
  private readonly lowered = new Map<Definition, Definition>();
  /**
   * What a read of binding `i` of the bindings in scope becomes: the
   * lowered binding's read (maybe at a new index), or what was written
   * into its readers (a number, a variable, another binding's read).
   */
  private scope: readonly Node[] = [];

  constructor(private readonly flags: LowerFlags) {}

  /**
   * `bindings` lowered, in order (the same array when nothing changed);
   * leaves the scope set to them, for the results (or body) that follow.
   */
  bindings(bindings: readonly Binding[]): readonly Binding[] {
    const scope: Node[] = [];
    this.scope = scope;
    if (bindings.length === 0) return bindings;
    const kept: Binding[] = [];
    let same = true;
    for (const binding of bindings) {
      const value = this.node(binding.value);
      const { kind } = value;
      if (this.flags.fold && (kind === "number" || kind === "variable" || kind === "local")) {
        // Written into its readers: nothing to evaluate, nothing called.
        scope.push(value);
        same = false;
        continue;
      }
      const index = kept.length;
      const same1 = value === binding.value;
      same &&= same1;
      kept.push(same1 ? binding : { ...binding, value });
      scope.push(localNode(binding.name, index, value, binding));
    }
    return same ? bindings : kept;
  }

  /** The lowered form of `definition`; the definitions it calls must be lowered first. */
  definition(definition: Definition): Definition {
    let done = this.lowered.get(definition);
    if (done !== undefined) return done;
    const shared = this.flags === DEFAULT_LOWERING;
    done = shared ? LOWERED.get(definition) : undefined;
    if (done === undefined) {
      for (const called of definition.calls) this.definition(called);
      // Its bindings are a scope of their own: the caller's is restored after.
      const outer = this.scope;
      const bindings = this.bindings(definition.bindings);
      const body = this.node(definition.body);
      this.scope = outer;
      const calls = definition.calls.map((called) => this.definition(called));
      done = Object.freeze({ ...definition, bindings, body, calls });
      if (shared) LOWERED.set(definition, done);
    }
    this.lowered.set(definition, done);
    return done;
  }

  node(node: Node): Node {
    switch (node.kind) {
      case "number":
      case "variable":
        return node;
      case "local":
        return this.local(node);
      case "unary": {
        const operand = this.node(node.operand);
        return this.settle(operand === node.operand ? node : unaryNode(node.op, operand, node));
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
        return this.settle(same ? node : callNode(node.fn, args, node));
      }
      case "host":
        return this.host(node);
      case "apply":
        return this.apply(node);
      default:
        return unreachable(node, "node");
    }
  }

  /** A binding's read, as the lowered bindings have it; its own span kept for a read. */
  private local(node: LocalNode): Node {
    const now = this.scope[node.index] as Node;
    if (now.kind !== "local") return now;
    if (now.index === node.index && now.zeroOrOne === node.zeroOrOne) return node;
    return { ...now, start: node.start, end: node.end };
  }

  // Host and apply calls have methods of their own, so that `node`'s frame,
  // one per level of the tree, stays as small as it was without them. Their
  // arguments are lowered by a loop written in place: a helper (or map())
  // would add a frame a level and overflow the stack before the depth limit.
  private host(node: HostCallNode): Node {
    const args: Node[] = [];
    let same = true;
    for (const arg of node.args) {
      const lowered = this.node(arg);
      same &&= lowered === arg;
      args.push(lowered);
    }
    const call = same ? node : hostNode(node.fn, args, node);
    return node.fn.pure ? this.settleCall(call) : call;
  }

  private apply(node: ApplyNode): Node {
    const args: Node[] = [];
    for (const arg of node.args) args.push(this.node(arg));
    const fn = this.definition(node.fn);
    const call = applyNode(fn, args, node);
    // Folding evaluates the body with every call inside it written out: a
    // chain of definitions that each call the one before twice would take
    // exponential time, so past a budget the call is left for run time.
    return fn.pure && expandedSize(fn) <= FOLDING_BUDGET ? this.settleCall(call) : call;
  }

  private binary(node: BinaryNode): Node {
    const left = this.node(node.left);
    // A constant left side that decides `&&` or `||` leaves the right side
    // untaken: it is not lowered, so no pure call in it runs while folding.
    if (this.flags.fold && left.kind === "number" && isLogical(node.op)) {
      const decides = decidingTruth(node.op);
      if ((left.value !== 0) === decides) return numberNode(decides ? 1 : 0, node);
    }
    const right = this.node(node.right);
    const same = left === node.left && right === node.right;
    const folded = this.settle(same ? node : binaryNode(node.op, left, right, node));
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
  private settle(node: Node): Node {
    if (!this.flags.fold || !operandsAreNumbers(node)) return node;
    return numberNode(evaluateNode(node, NO_VALUES), node);
  }

  /**
   * A call of a pure user function, folded like a builtin's when its
   * arguments are numbers; if the call throws, it is left for run time.
   */
  private settleCall(node: Node): Node {
    try {
      return this.settle(node);
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) throw error;
      return node;
    }
  }
}

/**
 * Whether every operand of `node` is a number, so that it folds. Checked
 * in place: a list of operands made for each node would be most of what
 * lowering allocates on a large input.
 */
function operandsAreNumbers(node: Node): boolean {
  switch (node.kind) {
    case "unary":
      return node.operand.kind === "number";
    case "binary":
      return node.left.kind === "number" && node.right.kind === "number";
    case "call":
    case "host":
    case "apply":
      for (const arg of node.args) if (arg.kind !== "number") return false;
      return true;
    default:
      return false;
  }
}

/**
 * The definitions and host functions `roots` call, in order, directly or inside a
 * definition; the host functions in the order their calls are written.
 */
function callsOf(roots: readonly Node[]): { definitions: Definition[]; hosts: HostFunction[] } {
  const definitions = new Set<Definition>();
  const hosts = new Set<HostFunction>();
  // Pre-order, left to right: operands are pushed last one first, the first root last.
  const work: Node[] = [];
  for (let i = roots.length - 1; i >= 0; i--) work.push(roots[i] as Node);
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    if (node.kind === "host") hosts.add(node.fn);
    if (node.kind === "apply") {
      definitions.add(node.fn);
      for (const called of node.fn.calls) definitions.add(called);
      for (const host of node.fn.hosts) hosts.add(host);
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i] as Node);
  }
  return { definitions: [...definitions].sort((a, b) => a.index - b.index), hosts: [...hosts] };
}

/** `v ^ 2` as `v * v` for a variable or binding `v`; undefined for anything else. */
function square(node: BinaryNode): Node | undefined {
  const { op, left, right } = node;
  if (op !== "^" || (left.kind !== "variable" && left.kind !== "local")) return undefined;
  if (right.kind !== "number" || right.value !== 2) return undefined;
  return binaryNode("*", left, left, node);
}
