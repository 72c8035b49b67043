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

import type { Node, Program } from "../../semantics/program.js";
import { isLogical } from "../../syntax/operators.js";
import { formatNumber } from "../../text/number.js";
import { unreachable } from "../../unreachable.js";
import type { BatchFn } from "../backend.js";
import { BLOCK_BINARY, type Kernel, type Registers } from "./block-ops.js";
import { operandOf } from "./shape.js";

/** Rows per block when the register file is small. */
const BLOCK_ROWS = 1024;

/** The most doubles all registers hold; a program with many gets smaller blocks. */
const REGISTER_DOUBLES = 1 << 18;

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const F64 = Float64Array;
const { apply: reflectApply } = Reflect;

/** A built block program: its kernels in order, and what the dump shows of each. */
export interface BlockClosures {
  readonly batch: BatchFn;
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
  const result = builder.value(program.root, variablesAsParams(variables));
  const registers = builder.count;
  let blockRows = BLOCK_ROWS;
  while (blockRows > 16 && blockRows * registers > REGISTER_DOUBLES) blockRows >>= 1;
  // The kernels read the builder's register file: fill it now that its size is known.
  const regs = builder.regs;
  for (let r = 0; r < registers; r++) regs.push(new F64(r < variables ? 0 : blockRows));
  for (const [r, k] of builder.constants) regs[r]!.fill(k);
  const kernels = builder.kernels;
  const count = kernels.length;
  const batch: BatchFn = (columns, out) => {
    const rows = out.length;
    for (let start = 0; start < rows; start += blockRows) {
      let n = rows - start;
      if (n > blockRows) n = blockRows;
      for (let v = 0; v < variables; v++) regs[v] = columns[v]!.subarray(start, start + n);
      for (let k = 0; k < count; k++) kernels[k]!(n);
      const o = regs[result]!;
      for (let i = 0; i < n; i++) out[start + i] = o[i]!;
    }
  };
  return { batch, listing: builder.listing, registers, blockRows };
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

  /**
   * The register holding `node`'s value; `params[slot]` is the register of
   * variable (or, inside an inlined definition, parameter) `slot`.
   */
  value(node: Node, params: readonly number[]): number {
    switch (node.kind) {
      case "number": {
        const r = this.count++;
        this.constants.push([r, node.value]);
        this.listing.push(`r${r} = ${formatNumber(node.value)}  [filled once]`);
        return r;
      }
      case "variable":
        return params[node.slot]!;
      case "unary": {
        const a = this.value(node.operand, params);
        const d = this.target([a]);
        const regs = this.regs;
        if (node.op === "-") {
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
      case "binary":
        return this.binary(node.op, node.left, node.right, params);
      case "conditional": {
        const t = this.value(node.test, params);
        const c = this.value(node.consequent, params);
        const e = this.value(node.alternate, params);
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
      case "call":
        return this.call(node.fn.name, node.fn.js, node.args, params);
      case "host":
        // blockable() keeps these programs out: never reached.
        throw new Error(`closure block program: no block form for host function ${node.fn.name}`);
      case "apply": {
        // Inlined: the arguments' registers are the body's parameters until it is done.
        const args = node.args.map((arg) => this.value(arg, params));
        const held = args.filter((r) => this.temporaries.delete(r));
        const result = this.value(node.fn.body, args);
        for (const r of held) if (r !== result) this.release(r);
        if (held.includes(result)) this.temporaries.add(result);
        return result;
      }
      default:
        return unreachable(node, "node");
    }
  }

  private binary(
    op: Parameters<typeof isLogical>[0],
    left: Node,
    right: Node,
    params: readonly number[],
  ): number {
    const regs = this.regs;
    if (isLogical(op)) {
      const a = this.value(left, params);
      const b = this.value(right, params);
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
    const kernels = BLOCK_BINARY[op];
    const l = operandOf(left);
    const r = operandOf(right);
    if (l.kind === "n" && r.kind !== "n") {
      const b = this.value(right, params);
      const d = this.target([b]);
      this.emit(
        `r${d} = ${formatNumber(l.value)} ${op} r${b}  [nr]`,
        kernels.nr(regs, d, l.value, b),
      );
      return d;
    }
    const a = this.value(left, params);
    if (r.kind === "n") {
      const d = this.target([a]);
      this.emit(
        `r${d} = r${a} ${op} ${formatNumber(r.value)}  [rn]`,
        kernels.rn(regs, d, a, r.value),
      );
      return d;
    }
    const b = this.value(right, params);
    const d = this.target([a, b]);
    this.emit(`r${d} = r${a} ${op} r${b}  [rr]`, kernels.rr(regs, d, a, b));
    return d;
  }

  private call(
    name: string,
    fn: (...args: number[]) => number,
    args: readonly Node[],
    params: readonly number[],
  ): number {
    const regs = this.regs;
    const sources: number[] = [];
    for (const arg of args) sources.push(this.value(arg, params));
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
