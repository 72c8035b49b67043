/**
 * Lowered Program → nested closures, one per node that is not folded into
 * its parent (shape.ts decides which). An evaluation is a chain of direct
 * calls: no dispatch on node kinds, no generated source, no `eval`, no
 * WebAssembly, so it runs under `script-src 'self'`.
 *
 * Frames: variables (and an expression function's parameters) are read by
 * slot from a `Float64Array`, and each binding (v3) is written once per
 * evaluation (or call) to the slot after them, before the results read it
 * (shape.ts has the layout). Result 0 is `fn`; `fnInto` writes them all. A program that calls no host function runs
 * no code but its own and the builtins', so nothing can re-enter it while
 * it runs: its frame, and the frame of each expression-function call
 * site, are made once and reused (a call site can never be live twice at
 * once, since definitions cannot recurse). A host function may call back
 * into the same compiled code, so a program with host calls takes a fresh
 * frame for every evaluation and every call.
 *
 * Building recurses to the tree's depth, bounded by the parser's limit
 * (plus the definitions' depths), as evaluation does. The recursive
 * method builds the children and nothing else; the closures are made by
 * the functions below it, so each level of a deep tree costs one small
 * stack frame (two for a call of several arguments).
 */

import { hostResultChecker } from "../../semantics/host.js";
import type { BinaryNode, Binding, Definition, Node, Program } from "../../semantics/program.js";
import { isLogical, type LogicalOp, type ProgramUnaryOp } from "../../syntax/operators.js";
import { unreachable } from "../../unreachable.js";
import type { EvalFn, IntoFn } from "../backend.js";
import { type EagerOp, type Frame, type Run, SCALAR_BINARY } from "./scalar-ops.js";
import { type BinaryShape, FIXED_APPLY_ARITY, FIXED_CALL_ARITY, shapeOf, slotOf } from "./shape.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const F64 = Float64Array;
const { apply: reflectApply } = Reflect;

/** A frame for programs without variables (never written). */
const EMPTY: Frame = new F64(0);

/** The closures of one program. */
export interface ScalarClosures {
  /** The entry for result 0: positional numbers in `Program.variables` order. */
  readonly fn: EvalFn;
  /** The entry for every result. */
  readonly fnInto: IntoFn;
}

/** Builds the closures for `program`. */
export function buildScalar(program: Program): ScalarClosures {
  const fresh = program.hosts.length > 0;
  const count = program.variables.length;
  const builder = new ScalarBuilder(fresh, count);
  const prelude = builder.bindings(program.bindings);
  const results = program.results.map((result) => builder.build(result.value));
  const size = count + program.bindings.length;
  const first = withPrelude(prelude, results[0]!);
  return { fn: entry(first, count, size, fresh), fnInto: intoEntry(prelude, results, count, size) };
}

/** The entry for every result: the frame filled, the bindings run, each result written. */
function intoEntry(prelude: Prelude, results: readonly Run[], count: number, size: number): IntoFn {
  const k = results.length;
  return (out, ...values) => {
    const f = new F64(size);
    for (let i = 0; i < count; i++) f[i] = values[i]!;
    if (prelude !== undefined) prelude(f);
    for (let r = 0; r < k; r++) out[r] = results[r]!(f);
  };
}

/** The positional entry: the arguments written to the frame, then the root called. */
function entry(root: Run, count: number, size: number, fresh: boolean): EvalFn {
  if (size === 0) return () => root(EMPTY);
  if (fresh) {
    return (...values) => {
      const f = new F64(size);
      for (let i = 0; i < count; i++) f[i] = values[i]!;
      return root(f);
    };
  }
  const f = new F64(size);
  switch (count) {
    case 0:
      return () => root(f);
    case 1:
      return (a) => {
        f[0] = a!;
        return root(f);
      };
    case 2:
      return (a, b) => {
        f[0] = a!;
        f[1] = b!;
        return root(f);
      };
    case 3:
      return (a, b, c) => {
        f[0] = a!;
        f[1] = b!;
        f[2] = c!;
        return root(f);
      };
    default:
      return (...values) => {
        for (let i = 0; i < count; i++) f[i] = values[i]!;
        return root(f);
      };
  }
}

class ScalarBuilder {
  /** Each definition's body, built once and shared by its call sites. */
  private readonly bodies = new Map<Definition, Run>();

  /** Inputs of the scope being built (variables, or a definition's parameters): its bindings follow them. */
  private base: number;

  constructor(
    private readonly fresh: boolean,
    base: number,
  ) {
    this.base = base;
  }

  /** The closure running `bindings` in order into their slots, if there are any. */
  bindings(bindings: readonly Binding[]): Prelude {
    if (bindings.length === 0) return undefined;
    const runs: Run[] = [];
    for (let j = 0; j < bindings.length; j++) runs.push(this.build(bindings[j]!.value));
    return preludeOf(runs, this.base);
  }

  /** The closure for `node`: its children built here, the closure made below. */
  build(node: Node): Run {
    switch (node.kind) {
      case "number":
        return constant(node.value);
      case "variable":
        return read(node.slot);
      case "local":
        return read(this.base + node.index);
      case "unary": {
        const i = slotOf(node.operand, this.base);
        return i !== undefined
          ? unaryOfSlot(node.op, i)
          : unaryOf(node.op, this.build(node.operand));
      }
      case "binary": {
        if (isLogical(node.op)) {
          return logicalOf(node.op, this.build(node.left), this.build(node.right), node);
        }
        const shape = shapeOf(node, this.base);
        return binaryOf(
          node,
          shape,
          this.base,
          shape[0] === "c" ? this.build(node.left) : undefined,
          shape[1] === "c" ? this.build(node.right) : undefined,
        );
      }
      case "conditional":
        return conditionalOf(
          this.build(node.test),
          this.build(node.consequent),
          this.build(node.alternate),
        );
      case "call": {
        const i = node.args.length === 1 ? slotOf(node.args[0]!, this.base) : undefined;
        return i !== undefined
          ? callOfSlot(node.fn.js, i)
          : callOf(node.fn.js, this.each(node.args));
      }
      case "host": {
        const check = hostResultChecker(node.fn.name);
        const i = node.args.length === 1 ? slotOf(node.args[0]!, this.base) : undefined;
        const call =
          i !== undefined ? callOfSlot(node.fn.fn, i) : callOf(node.fn.fn, this.each(node.args));
        return (f) => check(call(f));
      }
      case "apply": {
        const { fn } = node;
        return applyOf(
          this.body(fn),
          this.each(node.args),
          fn.params.length + fn.bindings.length,
          this.fresh,
        );
      }
      default:
        return unreachable(node, "node");
    }
  }

  /** A definition's body, its own bindings first, in its own scope (its parameters, then its bindings). */
  private body(definition: Definition): Run {
    let body = this.bodies.get(definition);
    if (body === undefined) {
      const outer = this.base;
      this.base = definition.params.length;
      body = withPrelude(this.bindings(definition.bindings), this.build(definition.body));
      this.base = outer;
      this.bodies.set(definition, body);
    }
    return body;
  }

  /** The closures of `nodes`, in order; one argument without a loop's frame. */
  private each(nodes: readonly Node[]): Run[] {
    if (nodes.length === 1) return [this.build(nodes[0]!)];
    const runs: Run[] = [];
    for (let i = 0; i < nodes.length; i++) runs.push(this.build(nodes[i]!));
    return runs;
  }
}

/** A scope's bindings, run in order into the frame; undefined when it has none. */
type Prelude = ((f: Frame) => void) | undefined;

function preludeOf(runs: readonly Run[], base: number): Prelude {
  const count = runs.length;
  if (count === 1) {
    const [a] = runs as [Run];
    return (f) => {
      f[base] = a(f);
    };
  }
  return (f) => {
    for (let j = 0; j < count; j++) f[base + j] = runs[j]!(f);
  };
}

/** `result` after the scope's bindings. */
function withPrelude(prelude: Prelude, result: Run): Run {
  if (prelude === undefined) return result;
  return (f) => {
    prelude(f);
    return result(f);
  };
}

function constant(k: number): Run {
  return () => k;
}

function read(i: number): Run {
  return (f) => f[i]!;
}

function unaryOfSlot(op: ProgramUnaryOp, i: number): Run {
  if (op === "-") return (f) => -f[i]!;
  return (f) => (f[i]! !== 0 ? 0 : 1);
}

function unaryOf(op: ProgramUnaryOp, a: Run): Run {
  if (op === "-") return (f) => -a(f);
  return (f) => (a(f) !== 0 ? 0 : 1);
}

/** An eager operator's closure for its shape; `l`, `r` are the child closures the shape has. */
function binaryOf(node: BinaryNode, shape: BinaryShape, base: number, l?: Run, r?: Run): Run {
  const ops = SCALAR_BINARY[node.op as EagerOp];
  const { left, right } = node;
  switch (shape) {
    case "vv":
      return ops.vv(slot(left, base), slot(right, base));
    case "vn":
      return ops.vn(slot(left, base), value(right));
    case "nv":
      return ops.nv(value(left), slot(right, base));
    case "vc":
      return ops.vc(slot(left, base), r!);
    case "cv":
      return ops.cv(l!, slot(right, base));
    case "nc":
      return ops.nc(value(left), r!);
    case "cn":
      return ops.cn(l!, value(right));
    case "cc":
      return ops.cc(l!, r!);
    default:
      return unreachable(shape, "shape");
  }
}

/** `&&`, `||`: the right side only when the left does not decide; a 0-or-1 right side is the result as it is. */
function logicalOf(op: LogicalOp, l: Run, r: Run, node: BinaryNode): Run {
  const bit = node.right.zeroOrOne;
  switch (op) {
    case "&&":
      if (bit) return (f) => (l(f) !== 0 ? r(f) : 0);
      return (f) => (l(f) !== 0 ? (r(f) !== 0 ? 1 : 0) : 0);
    case "||":
      if (bit) return (f) => (l(f) !== 0 ? 1 : r(f));
      return (f) => (l(f) !== 0 ? 1 : r(f) !== 0 ? 1 : 0);
    default:
      return unreachable(op, "operator");
  }
}

function conditionalOf(t: Run, c: Run, a: Run): Run {
  return (f) => (t(f) !== 0 ? c(f) : a(f));
}

/** A call of `fn` (a builtin's or a host's) on one variable, `this` undefined. */
function callOfSlot<R>(fn: (...args: number[]) => R, i: number): (f: Frame) => R {
  return (f) => fn(f[i]!);
}

/** A call of `fn` (a builtin's or a host's), arguments left to right, `this` undefined. */
function callOf<R>(fn: (...args: number[]) => R, runs: readonly Run[]): (f: Frame) => R {
  if (runs.length <= FIXED_CALL_ARITY) {
    switch (runs.length) {
      case 0:
        return () => fn();
      case 1: {
        const [a] = runs as [Run];
        return (f) => fn(a(f));
      }
      case 2: {
        const [a, b] = runs as [Run, Run];
        return (f) => fn(a(f), b(f));
      }
      default: {
        const [a, b, c] = runs as [Run, Run, Run];
        return (f) => fn(a(f), b(f), c(f));
      }
    }
  }
  const count = runs.length;
  return (f) => {
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(runs[i]!(f));
    return reflectApply(fn, undefined, values) as R;
  };
}

/** An expression function's call: arguments into the callee's frame, then its body. */
function applyOf(body: Run, runs: readonly Run[], size: number, fresh: boolean): Run {
  const count = runs.length;
  if (fresh) {
    return (f) => {
      const g = new F64(size);
      for (let i = 0; i < count; i++) g[i] = runs[i]!(f);
      return body(g);
    };
  }
  const g = new F64(size);
  if (count <= FIXED_APPLY_ARITY) {
    switch (count) {
      case 0:
        return () => body(g);
      case 1: {
        const [a] = runs as [Run];
        return (f) => {
          g[0] = a(f);
          return body(g);
        };
      }
      case 2: {
        const [a, b] = runs as [Run, Run];
        return (f) => {
          g[0] = a(f);
          g[1] = b(f);
          return body(g);
        };
      }
      case 3: {
        const [a, b, c] = runs as [Run, Run, Run];
        return (f) => {
          g[0] = a(f);
          g[1] = b(f);
          g[2] = c(f);
          return body(g);
        };
      }
      default: {
        const [a, b, c, d] = runs as [Run, Run, Run, Run];
        return (f) => {
          g[0] = a(f);
          g[1] = b(f);
          g[2] = c(f);
          g[3] = d(f);
          return body(g);
        };
      }
    }
  }
  return (f) => {
    for (let i = 0; i < count; i++) g[i] = runs[i]!(f);
    return body(g);
  };
}

function slot(node: Node, base: number): number {
  return slotOf(node, base) ?? mismatch();
}

function value(node: Node): number {
  return node.kind === "number" ? node.value : mismatch();
}

function mismatch(): never {
  throw new Error("exprjit: closure operand does not match its shape");
}
