/**
 * Lowered Program → nested closures, one per node that is not folded into
 * its parent (shape.ts decides which). An evaluation is a chain of direct
 * calls: no dispatch on node kinds, no generated source, no `eval`, no
 * WebAssembly, so it runs under `script-src 'self'`.
 *
 * Frames: variables (and an expression function's parameters) are read by
 * slot from a `Float64Array`. A program that calls no host function runs
 * no code but its own and the builtins', so nothing can re-enter it while
 * it runs: its frame, and the frame of each expression-function call
 * site, are made once and reused (a call site can never be live twice at
 * once, since definitions cannot recurse). A host function may call back
 * into the same compiled code, so a program with host calls takes a fresh
 * frame for every evaluation and every call.
 *
 * Building recurses to the tree's depth, bounded by the parser's limit
 * (plus the definitions' depths), as evaluation does.
 */

import { hostResultChecker } from "../../semantics/host.js";
import type { Definition, Node, Program } from "../../semantics/program.js";
import { isLogical } from "../../syntax/operators.js";
import { unreachable } from "../../unreachable.js";
import type { EvalFn } from "../backend.js";
import { type Frame, type Run, SCALAR_BINARY } from "./scalar-ops.js";
import { binaryShape, FIXED_APPLY_ARITY, FIXED_CALL_ARITY, operandOf } from "./shape.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const F64 = Float64Array;
const { apply: reflectApply } = Reflect;

/** A frame for programs without variables (never written). */
const EMPTY: Frame = new F64(0);

/** The closures of one program. */
export interface ScalarClosures {
  /** The root's closure. */
  readonly root: Run;
  /** The entry: positional numbers in `Program.variables` order. */
  readonly fn: EvalFn;
  /** Whether each evaluation takes a fresh frame (the program calls host functions). */
  readonly fresh: boolean;
}

/** Builds the closures for `program`. */
export function buildScalar(program: Program): ScalarClosures {
  const fresh = program.hosts.length > 0;
  const builder = new ScalarBuilder(fresh);
  const root = builder.build(program.root);
  return { root, fn: entry(root, program.variables.length, fresh), fresh };
}

/** The positional entry: the arguments written to the frame, then the root called. */
function entry(root: Run, count: number, fresh: boolean): EvalFn {
  if (count === 0) return () => root(EMPTY);
  if (fresh) {
    return (...values) => {
      const f = new F64(count);
      for (let i = 0; i < count; i++) f[i] = values[i]!;
      return root(f);
    };
  }
  const f = new F64(count);
  switch (count) {
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

  constructor(private readonly fresh: boolean) {}

  /** The closure for `node`. */
  build(node: Node): Run {
    switch (node.kind) {
      case "number": {
        const k = node.value;
        return () => k;
      }
      case "variable": {
        const i = node.slot;
        return (f) => f[i]!;
      }
      case "unary":
        return this.unary(node.op, node.operand);
      case "binary":
        return isLogical(node.op)
          ? this.logical(node.op, node.left, node.right)
          : this.binary(node.op, node.left, node.right);
      case "conditional": {
        const t = this.build(node.test);
        const c = this.build(node.consequent);
        const a = this.build(node.alternate);
        return (f) => (t(f) !== 0 ? c(f) : a(f));
      }
      case "call":
        return this.call(node.fn.js, node.args);
      case "host": {
        const check = hostResultChecker(node.fn.name);
        const call = this.call(node.fn.fn, node.args);
        return (f) => check(call(f));
      }
      case "apply":
        return this.apply(node.fn, node.args);
      default:
        return unreachable(node, "node");
    }
  }

  private unary(op: "-" | "!", operand: Node): Run {
    const o = operandOf(operand);
    if (o.kind === "v") {
      const i = o.slot;
      if (op === "-") return (f) => -f[i]!;
      return (f) => (f[i]! !== 0 ? 0 : 1);
    }
    const a = this.build(operand);
    if (op === "-") return (f) => -a(f);
    return (f) => (a(f) !== 0 ? 0 : 1);
  }

  private binary(op: keyof typeof SCALAR_BINARY, left: Node, right: Node): Run {
    const ops = SCALAR_BINARY[op];
    const l = operandOf(left);
    const r = operandOf(right);
    const shape = binaryShape(l, r);
    switch (shape) {
      case "vv":
        return ops.vv(slot(l), slot(r));
      case "vn":
        return ops.vn(slot(l), value(r));
      case "nv":
        return ops.nv(value(l), slot(r));
      case "vc":
        return ops.vc(slot(l), this.build(right));
      case "cv":
        return ops.cv(this.build(left), slot(r));
      case "nc":
        return ops.nc(value(l), this.build(right));
      case "cn":
        return ops.cn(this.build(left), value(r));
      case "cc":
        return ops.cc(this.build(left), this.build(right));
      default:
        return unreachable(shape, "shape");
    }
  }

  /** `&&`, `||`: the right side only when the left does not decide; a 0-or-1 right side is the result as it is. */
  private logical(op: "&&" | "||", left: Node, right: Node): Run {
    const l = this.build(left);
    const r = this.build(right);
    const bit = right.zeroOrOne;
    if (op === "&&") {
      if (bit) return (f) => (l(f) !== 0 ? r(f) : 0);
      return (f) => (l(f) !== 0 ? (r(f) !== 0 ? 1 : 0) : 0);
    }
    if (bit) return (f) => (l(f) !== 0 ? 1 : r(f));
    return (f) => (l(f) !== 0 ? 1 : r(f) !== 0 ? 1 : 0);
  }

  /** A call of `fn` (a builtin's or a host's), arguments left to right, `this` undefined. */
  private call<R>(fn: (...args: number[]) => R, args: readonly Node[]): (f: Frame) => R {
    if (args.length === 1) {
      const o = operandOf(args[0]!);
      if (o.kind === "v") {
        const i = o.slot;
        return (f) => fn(f[i]!);
      }
    }
    const runs = this.each(args);
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
  private apply(definition: Definition, args: readonly Node[]): Run {
    const body = this.body(definition);
    const runs = this.each(args);
    const count = runs.length;
    if (this.fresh) {
      return (f) => {
        const g = new F64(count);
        for (let i = 0; i < count; i++) g[i] = runs[i]!(f);
        return body(g);
      };
    }
    const g = new F64(count);
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

  private body(definition: Definition): Run {
    let body = this.bodies.get(definition);
    if (body === undefined) {
      body = this.build(definition.body);
      this.bodies.set(definition, body);
    }
    return body;
  }

  /** The closures of `nodes`, in order (a loop: no extra frames per level of a deep tree). */
  private each(nodes: readonly Node[]): Run[] {
    const runs: Run[] = [];
    for (const node of nodes) runs.push(this.build(node));
    return runs;
  }
}

function slot(o: ReturnType<typeof operandOf>): number {
  return o.kind === "v" ? o.slot : unreachableShape();
}

function value(o: ReturnType<typeof operandOf>): number {
  return o.kind === "n" ? o.value : unreachableShape();
}

function unreachableShape(): never {
  throw new Error("exprjit: closure operand does not match its shape");
}
