/**
 * The closure back-end's batch kernels for binary operators: one loop per
 * operator and operand shape (`rr` two registers, `rn` a register and a
 * number, `nr` a number and a register), its body spelling the operator,
 * so each loop is its own code with the operation inline. A full record
 * over the eager operators: one added to THE operator table and not
 * handled here is a type error. Each row computes exactly what the scalar
 * closures compute (scalar-ops.ts).
 *
 * A kernel reads its registers from the register file when it runs (a
 * variable's register is a view of its column, moved every block), and
 * writes rows `0 .. n - 1` of its destination, which may be one of its
 * operands: each row is read before it is written.
 */

import type { EagerOp } from "./scalar-ops.js";

/** The register file: variable views first, then constants and temporaries. */
export type Registers = Float64Array[];

/** Runs one operation over the first `n` rows of the current block. */
export type Kernel = (n: number) => void;

/** The kernels of one operator, by operand shape; `d` is the destination register. */
export interface BlockBinary {
  readonly rr: (regs: Registers, d: number, a: number, b: number) => Kernel;
  readonly rn: (regs: Registers, d: number, a: number, k: number) => Kernel;
  readonly nr: (regs: Registers, d: number, k: number, b: number) => Kernel;
}

/** Captured at load, as the operator table captures it. */
const pow = Math.pow;

/** Every eager binary operator's kernels. */
// Typed by annotation rather than `satisfies`, so an operator missing here is a type error in
// this file alone, not again at every lookup.
export const BLOCK_BINARY: Readonly<Record<EagerOp, BlockBinary>> = {
  "+": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! + y[i]!;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! + k;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k + y[i]!;
    },
  },
  "-": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! - y[i]!;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! - k;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k - y[i]!;
    },
  },
  "*": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! * y[i]!;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! * k;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k * y[i]!;
    },
  },
  "/": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! / y[i]!;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! / k;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k / y[i]!;
    },
  },
  "%": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! % y[i]!;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! % k;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k % y[i]!;
    },
  },
  "^": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = pow(x[i]!, y[i]!);
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = pow(x[i]!, k);
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = pow(k, y[i]!);
    },
  },
  "<": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! < y[i]! ? 1 : 0;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! < k ? 1 : 0;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k < y[i]! ? 1 : 0;
    },
  },
  "<=": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! <= y[i]! ? 1 : 0;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! <= k ? 1 : 0;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k <= y[i]! ? 1 : 0;
    },
  },
  ">": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! > y[i]! ? 1 : 0;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! > k ? 1 : 0;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k > y[i]! ? 1 : 0;
    },
  },
  ">=": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! >= y[i]! ? 1 : 0;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! >= k ? 1 : 0;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k >= y[i]! ? 1 : 0;
    },
  },
  "==": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! === y[i]! ? 1 : 0;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! === k ? 1 : 0;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k === y[i]! ? 1 : 0;
    },
  },
  "!=": {
    rr: (regs, d, a, b) => (n) => {
      const x = regs[a]!,
        y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! !== y[i]! ? 1 : 0;
    },
    rn: (regs, d, a, k) => (n) => {
      const x = regs[a]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = x[i]! !== k ? 1 : 0;
    },
    nr: (regs, d, k, b) => (n) => {
      const y = regs[b]!,
        o = regs[d]!;
      for (let i = 0; i < n; i++) o[i] = k !== y[i]! ? 1 : 0;
    },
  },
};
