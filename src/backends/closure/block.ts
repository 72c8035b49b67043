/**
 * The closure back-end's batch path: the program becomes a list of
 * kernels (block-ops.ts and the loops below), each a closure running one
 * node over a block of rows held in `Float64Array` registers, so the cost
 * of a call is paid once per block and node, not once per row. Variables
 * are views of their columns, moved every block; numbers are folded into
 * the kernel that reads them (or fill a register once, where a node is a
 * number alone); temporaries are reused once read.
 *
 * `&&`, `||` and `?:` compute both sides for the whole block and select
 * per row: exact only because a program that reaches this path calls
 * nothing but builtins and expression functions (inlined), which are pure
 * and cannot fail. A program with host calls has no batch here (the API
 * runs it row by row through `fn`, in row order).
 */

import type { Binding, Definition, Node, Program } from "../../semantics/program.js";
import { isLogical, type LogicalOp, type ProgramUnaryOp } from "../../syntax/operators.js";
import { formatNumber } from "../../text/number.js";
import { unreachable } from "../../unreachable.js";
import type { BatchFn, BatchIntoFn } from "../backend.js";
import { BLOCK_BINARY, type Kernel, type Registers } from "./block-ops.js";
import type { EagerOp } from "./scalar-ops.js";

/** Rows per block when the register file is small. */
const BLOCK_ROWS = 1024;

/** The most doubles all registers hold; a program with many gets smaller blocks. */
const REGISTER_DOUBLES = 1 << 18;

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const F64 = Float64Array;
const { apply: reflectApply } = Reflect;

/** A built block program: its kernels in order, and what the dump shows of each. */
export interface BlockClosures {
  /** Result 0 of every row. */
  readonly batch: BatchFn;
  /** Every result of every row, one output column each. */
  readonly batchInto: BatchIntoFn;
  /** One line per kernel (`r3 = r0 + r1  [rr]`). */
  readonly listing: readonly string[];
  readonly registers: number;
  readonly blockRows: number;
}

/** Whether `program` has a block program here: not with host calls (see the file comment). */
export function blockable(program: Program): boolean {
  return program.hosts.length === 0;
}

/** The batch path for `program` (which must be {@link blockable}). */
export function buildBlocks(program: Program): BlockClosures {
  const variables = program.variables.length;
  const builder = new BlockBuilder(variables);
  builder.params = variablesAsParams(variables);
  builder.bind(program.bindings);
  // Every result is held, so a later one cannot overwrite an earlier one's register.
  const results = program.results.map((result) => builder.hold(builder.value(result.value)));
  const registers = builder.count;
  let blockRows = BLOCK_ROWS;
  while (blockRows > 16 && blockRows * registers > REGISTER_DOUBLES) blockRows >>= 1;
  // The kernels read the builder's register file: fill it now that its size is known.
  const regs = builder.regs;
  for (let r = 0; r < registers; r++) regs.push(new F64(r < variables ? 0 : blockRows));
  for (const [r, k] of builder.constants) regs[r]!.fill(k);
  const kernels = builder.kernels;
  const first = results[0]!;
  const count = kernels.length;
  const batch: BatchFn = (columns, out) => {
    const rows = out.length;
    for (let start = 0; start < rows; start += blockRows) {
      let n = rows - start;
      if (n > blockRows) n = blockRows;
      for (let v = 0; v < variables; v++) regs[v] = columns[v]!.subarray(start, start + n);
      for (let k = 0; k < count; k++) kernels[k]!(n);
      const o = regs[first]!;
      for (let i = 0; i < n; i++) out[start + i] = o[i]!;
    }
  };
  const k = results.length;
  const batchInto: BatchIntoFn = (columns, outs) => {
    const rows = outs.length === 0 ? 0 : outs[0]!.length;
    for (let start = 0; start < rows; start += blockRows) {
      let n = rows - start;
      if (n > blockRows) n = blockRows;
      for (let v = 0; v < variables; v++) regs[v] = columns[v]!.subarray(start, start + n);
      for (let c = 0; c < count; c++) kernels[c]!(n);
      for (let r = 0; r < k; r++) {
        const o = regs[results[r]!]!;
        const out = outs[r]!;
        for (let i = 0; i < n; i++) out[start + i] = o[i]!;
      }
    }
  };
  return { batch, batchInto, listing: builder.listing, registers, blockRows };
}

function variablesAsParams(count: number): number[] {
  const params: number[] = [];
  for (let v = 0; v < count; v++) params.push(v);
  return params;
}

class BlockBuilder {
  readonly kernels: Kernel[] = [];
  readonly listing: string[] = [];
  readonly constants: [number, number][] = [];
  readonly regs: Registers = [];
  count: number;
  private readonly free: number[] = [];
  private readonly temporaries = new Set<number>();

  constructor(variables: number) {
    this.count = variables;
  }

  /** The registers of the inputs in scope: the variables' views, or an inlined body's arguments. */
  params: readonly number[] = [];
  /** The registers of the bindings in scope: the program's, or an inlined body's own. */
  locals: number[] = [];

  /**
   * Emits each binding's value, in order, each reading those before it,
   * into `locals`; their registers are held until the scope is done.
   */
  bind(bindings: readonly Binding[]): number[] {
    const held: number[] = [];
    for (const binding of bindings) {
      const r = this.value(binding.value);
      // A binding that is a variable, a constant or an earlier binding holds nothing new.
      if (this.temporaries.delete(r)) held.push(r);
      this.locals.push(r);
    }
    return held;
  }

  /** Keeps a temporary from being reused; returns it. */
  hold(r: number): number {
    this.temporaries.delete(r);
    return r;
  }

  /**
   * The register holding `node`'s value. This method only recurses (one
   * small frame per level of a deep tree); the kernels are made by the
   * emitters below it, which never recurse.
   */
  value(node: Node): number {
    switch (node.kind) {
      case "number":
        return this.constant(node.value);
      case "variable":
        return this.params[node.slot]!;
      case "local":
        return this.locals[node.index]!;
      case "unary":
        return this.unary(node.op, this.value(node.operand));
      case "binary": {
        const { op, left, right } = node;
        if (isLogical(op)) return this.logical(op, this.value(left), this.value(right));
        // A number is folded into the kernel that reads it (two never meet: folding).
        if (left.kind === "number" && right.kind !== "number") {
          return this.numberLeft(op, left.value, this.value(right));
        }
        if (right.kind === "number" && left.kind !== "number") {
          return this.numberRight(op, this.value(left), right.value);
        }
        return this.eager(op, this.value(left), this.value(right));
      }
      case "conditional":
        return this.select(
          this.value(node.test),
          this.value(node.consequent),
          this.value(node.alternate),
        );
      case "call":
        return this.call(node.fn.name, node.fn.js, this.each(node.args));
      case "host":
        // blockable() keeps these programs out: never reached.
        throw new Error(`closure block program: no block form for host function ${node.fn.name}`);
      case "apply":
        return this.apply(node.fn, this.each(node.args));
      default:
        return unreachable(node, "node");
    }
  }

  /** The registers of `nodes`, left to right. */
  private each(nodes: readonly Node[]): number[] {
    const registers: number[] = [];
    for (let i = 0; i < nodes.length; i++) registers.push(this.value(nodes[i]!));
    return registers;
  }

  /**
   * An expression function's call, inlined: the arguments' registers are
   * the body's parameters, and its own bindings its locals, until it is done.
   */
  private apply(definition: Definition, args: number[]): number {
    const held = args.filter((r) => this.temporaries.delete(r));
    const { params, locals } = this;
    this.params = args;
    this.locals = [];
    const own = this.bind(definition.bindings);
    const result = this.value(definition.body);
    this.params = params;
    this.locals = locals;
    // Each register is in held and own together at most once: each was a temporary taken once.
    for (const r of [...held, ...own]) if (r !== result) this.release(r);
    if (held.includes(result) || own.includes(result)) this.temporaries.add(result);
    return result;
  }

  private constant(k: number): number {
    const r = this.count++;
    this.constants.push([r, k]);
    this.listing.push(`r${r} = ${formatNumber(k)}  [filled once]`);
    return r;
  }

  private unary(op: ProgramUnaryOp, a: number): number {
    const d = this.target([a]);
    const regs = this.regs;
    if (op === "-") {
      this.emit(`r${d} = -r${a}`, (n) => {
        const x = regs[a]!,
          o = regs[d]!;
        for (let i = 0; i < n; i++) o[i] = -x[i]!;
      });
    } else {
      this.emit(`r${d} = !r${a}`, (n) => {
        const x = regs[a]!,
          o = regs[d]!;
        for (let i = 0; i < n; i++) o[i] = x[i]! !== 0 ? 0 : 1;
      });
    }
    return d;
  }

  private select(t: number, c: number, e: number): number {
    const d = this.target([t, c, e]);
    const regs = this.regs;
    this.emit(`r${d} = r${t} ? r${c} : r${e}  [both sides, selected per row]`, (n) => {
      const x = regs[t]!,
        y = regs[c]!,
        z = regs[e]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! !== 0 ? y[i]! : z[i]!;
    });
    return d;
  }

  private logical(op: LogicalOp, a: number, b: number): number {
    const regs = this.regs;
    const d = this.target([a, b]);
    if (op === "&&") {
      this.emit(`r${d} = r${a} && r${b}  [both sides]`, (n) => {
        const x = regs[a]!,
          y = regs[b]!,
          o = regs[d]!;
        for (let i = 0; i < n; i++) o[i] = x[i]! !== 0 && y[i]! !== 0 ? 1 : 0;
      });
    } else {
      this.emit(`r${d} = r${a} || r${b}  [both sides]`, (n) => {
        const x = regs[a]!,
          y = regs[b]!,
          o = regs[d]!;
        for (let i = 0; i < n; i++) o[i] = x[i]! !== 0 || y[i]! !== 0 ? 1 : 0;
      });
    }
    return d;
  }

  private numberLeft(op: EagerOp, k: number, b: number): number {
    const d = this.target([b]);
    this.emit(
      `r${d} = ${formatNumber(k)} ${op} r${b}  [nr]`,
      BLOCK_BINARY[op].nr(this.regs, d, k, b),
    );
    return d;
  }

  private numberRight(op: EagerOp, a: number, k: number): number {
    const d = this.target([a]);
    this.emit(
      `r${d} = r${a} ${op} ${formatNumber(k)}  [rn]`,
      BLOCK_BINARY[op].rn(this.regs, d, a, k),
    );
    return d;
  }

  private eager(op: EagerOp, a: number, b: number): number {
    const d = this.target([a, b]);
    this.emit(`r${d} = r${a} ${op} r${b}  [rr]`, BLOCK_BINARY[op].rr(this.regs, d, a, b));
    return d;
  }

  private call(name: string, fn: (...args: number[]) => number, sources: number[]): number {
    const regs = this.regs;
    const d = this.target(sources);
    const text = `r${d} = ${name}(${sources.map((s) => `r${s}`).join(", ")})`;
    switch (sources.length) {
      case 1: {
        const [a] = sources as [number];
        this.emit(text, (n) => {
          const x = regs[a]!,
            o = regs[d]!;
          for (let i = 0; i < n; i++) o[i] = fn(x[i]!);
        });
        return d;
      }
      case 2: {
        const [a, b] = sources as [number, number];
        this.emit(text, (n) => {
          const x = regs[a]!,
            y = regs[b]!,
            o = regs[d]!;
          for (let i = 0; i < n; i++) o[i] = fn(x[i]!, y[i]!);
        });
        return d;
      }
      default: {
        const count = sources.length;
        this.emit(`${text}  [arguments in an array]`, (n) => {
          const o = regs[d]!;
          const values: number[] = [];
          for (let i = 0; i < n; i++) {
            values.length = 0;
            for (let s = 0; s < count; s++) values.push(regs[sources[s]!]![i]!);
            o[i] = reflectApply(fn, undefined, values) as number;
          }
        });
        return d;
      }
    }
  }

  /** The destination of a node reading `sources`: a temporary among them, freed, or a new one. */
  private target(sources: readonly number[]): number {
    for (const s of sources) if (this.temporaries.delete(s)) this.free.push(s);
    const d = this.free.pop() ?? this.count++;
    this.temporaries.add(d);
    return d;
  }

  private release(r: number): void {
    this.temporaries.delete(r);
    this.free.push(r);
  }

  private emit(text: string, kernel: Kernel): void {
    this.listing.push(text);
    this.kernels.push(kernel);
  }
}
