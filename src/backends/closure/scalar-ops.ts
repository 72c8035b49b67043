/**
 * The closure back-end's binary operators, one row per operator that
 * evaluates both operands: for each shape of operands (a variable read
 * from the frame, a number, or a child closure) a closure whose body
 * spells the operator itself, so the operation is in the closure's own
 * code (a shared `apply` would be one call site with many targets). The
 * record is full, so an operator added to THE operator table and not
 * handled here is a type error.
 *
 * Every body performs the JavaScript operation the reference evaluator
 * performs (`BINARY[op].apply`): `+` is `+`, `^` is the captured
 * `Math.pow`, a comparison is 1 or 0. Operands are evaluated left, then
 * right, as JavaScript evaluates `l(f) + r(f)`.
 */

import type { BinaryOp, BinaryOpOf } from "../../syntax/operators.js";

/** A frame: variable (or parameter) slot `i` is `f[i]`. */
export type Frame = Float64Array;

/** A compiled node: its value in frame `f`. */
export type Run = (f: Frame) => number;

/** An operator that evaluates both operands (not `&&`, `||`). */
export type EagerOp = Exclude<BinaryOp, BinaryOpOf<"logical">>;

/**
 * The closures for one operator, by operand shape: `v` a variable slot,
 * `n` a number, `c` a child closure (left shape first).
 */
export interface ScalarBinary {
  readonly vv: (i: number, j: number) => Run;
  readonly vn: (i: number, k: number) => Run;
  readonly nv: (k: number, j: number) => Run;
  readonly vc: (i: number, r: Run) => Run;
  readonly cv: (l: Run, j: number) => Run;
  readonly nc: (k: number, r: Run) => Run;
  readonly cn: (l: Run, k: number) => Run;
  readonly cc: (l: Run, r: Run) => Run;
}

/** Captured at load, as the operator table captures it: later patching changes nothing. */
const pow = Math.pow;

/** Every eager binary operator's closures. */
// Typed by annotation rather than `satisfies`, so an operator missing here is a type error in
// this file alone, not again at every lookup.
export const SCALAR_BINARY: Readonly<Record<EagerOp, ScalarBinary>> = {
  "+": {
    vv: (i, j) => (f) => f[i]! + f[j]!,
    vn: (i, k) => (f) => f[i]! + k,
    nv: (k, j) => (f) => k + f[j]!,
    vc: (i, r) => (f) => f[i]! + r(f),
    cv: (l, j) => (f) => l(f) + f[j]!,
    nc: (k, r) => (f) => k + r(f),
    cn: (l, k) => (f) => l(f) + k,
    cc: (l, r) => (f) => l(f) + r(f),
  },
  "-": {
    vv: (i, j) => (f) => f[i]! - f[j]!,
    vn: (i, k) => (f) => f[i]! - k,
    nv: (k, j) => (f) => k - f[j]!,
    vc: (i, r) => (f) => f[i]! - r(f),
    cv: (l, j) => (f) => l(f) - f[j]!,
    nc: (k, r) => (f) => k - r(f),
    cn: (l, k) => (f) => l(f) - k,
    cc: (l, r) => (f) => l(f) - r(f),
  },
  "*": {
    vv: (i, j) => (f) => f[i]! * f[j]!,
    vn: (i, k) => (f) => f[i]! * k,
    nv: (k, j) => (f) => k * f[j]!,
    vc: (i, r) => (f) => f[i]! * r(f),
    cv: (l, j) => (f) => l(f) * f[j]!,
    nc: (k, r) => (f) => k * r(f),
    cn: (l, k) => (f) => l(f) * k,
    cc: (l, r) => (f) => l(f) * r(f),
  },
  "/": {
    vv: (i, j) => (f) => f[i]! / f[j]!,
    vn: (i, k) => (f) => f[i]! / k,
    nv: (k, j) => (f) => k / f[j]!,
    vc: (i, r) => (f) => f[i]! / r(f),
    cv: (l, j) => (f) => l(f) / f[j]!,
    nc: (k, r) => (f) => k / r(f),
    cn: (l, k) => (f) => l(f) / k,
    cc: (l, r) => (f) => l(f) / r(f),
  },
  "%": {
    vv: (i, j) => (f) => f[i]! % f[j]!,
    vn: (i, k) => (f) => f[i]! % k,
    nv: (k, j) => (f) => k % f[j]!,
    vc: (i, r) => (f) => f[i]! % r(f),
    cv: (l, j) => (f) => l(f) % f[j]!,
    nc: (k, r) => (f) => k % r(f),
    cn: (l, k) => (f) => l(f) % k,
    cc: (l, r) => (f) => l(f) % r(f),
  },
  "^": {
    vv: (i, j) => (f) => pow(f[i]!, f[j]!),
    vn: (i, k) => (f) => pow(f[i]!, k),
    nv: (k, j) => (f) => pow(k, f[j]!),
    vc: (i, r) => (f) => pow(f[i]!, r(f)),
    cv: (l, j) => (f) => pow(l(f), f[j]!),
    nc: (k, r) => (f) => pow(k, r(f)),
    cn: (l, k) => (f) => pow(l(f), k),
    cc: (l, r) => (f) => pow(l(f), r(f)),
  },
  "<": {
    vv: (i, j) => (f) => (f[i]! < f[j]! ? 1 : 0),
    vn: (i, k) => (f) => (f[i]! < k ? 1 : 0),
    nv: (k, j) => (f) => (k < f[j]! ? 1 : 0),
    vc: (i, r) => (f) => (f[i]! < r(f) ? 1 : 0),
    cv: (l, j) => (f) => (l(f) < f[j]! ? 1 : 0),
    nc: (k, r) => (f) => (k < r(f) ? 1 : 0),
    cn: (l, k) => (f) => (l(f) < k ? 1 : 0),
    cc: (l, r) => (f) => (l(f) < r(f) ? 1 : 0),
  },
  "<=": {
    vv: (i, j) => (f) => (f[i]! <= f[j]! ? 1 : 0),
    vn: (i, k) => (f) => (f[i]! <= k ? 1 : 0),
    nv: (k, j) => (f) => (k <= f[j]! ? 1 : 0),
    vc: (i, r) => (f) => (f[i]! <= r(f) ? 1 : 0),
    cv: (l, j) => (f) => (l(f) <= f[j]! ? 1 : 0),
    nc: (k, r) => (f) => (k <= r(f) ? 1 : 0),
    cn: (l, k) => (f) => (l(f) <= k ? 1 : 0),
    cc: (l, r) => (f) => (l(f) <= r(f) ? 1 : 0),
  },
  ">": {
    vv: (i, j) => (f) => (f[i]! > f[j]! ? 1 : 0),
    vn: (i, k) => (f) => (f[i]! > k ? 1 : 0),
    nv: (k, j) => (f) => (k > f[j]! ? 1 : 0),
    vc: (i, r) => (f) => (f[i]! > r(f) ? 1 : 0),
    cv: (l, j) => (f) => (l(f) > f[j]! ? 1 : 0),
    nc: (k, r) => (f) => (k > r(f) ? 1 : 0),
    cn: (l, k) => (f) => (l(f) > k ? 1 : 0),
    cc: (l, r) => (f) => (l(f) > r(f) ? 1 : 0),
  },
  ">=": {
    vv: (i, j) => (f) => (f[i]! >= f[j]! ? 1 : 0),
    vn: (i, k) => (f) => (f[i]! >= k ? 1 : 0),
    nv: (k, j) => (f) => (k >= f[j]! ? 1 : 0),
    vc: (i, r) => (f) => (f[i]! >= r(f) ? 1 : 0),
    cv: (l, j) => (f) => (l(f) >= f[j]! ? 1 : 0),
    nc: (k, r) => (f) => (k >= r(f) ? 1 : 0),
    cn: (l, k) => (f) => (l(f) >= k ? 1 : 0),
    cc: (l, r) => (f) => (l(f) >= r(f) ? 1 : 0),
  },
  "==": {
    vv: (i, j) => (f) => (f[i]! === f[j]! ? 1 : 0),
    vn: (i, k) => (f) => (f[i]! === k ? 1 : 0),
    nv: (k, j) => (f) => (k === f[j]! ? 1 : 0),
    vc: (i, r) => (f) => (f[i]! === r(f) ? 1 : 0),
    cv: (l, j) => (f) => (l(f) === f[j]! ? 1 : 0),
    nc: (k, r) => (f) => (k === r(f) ? 1 : 0),
    cn: (l, k) => (f) => (l(f) === k ? 1 : 0),
    cc: (l, r) => (f) => (l(f) === r(f) ? 1 : 0),
  },
  "!=": {
    vv: (i, j) => (f) => (f[i]! !== f[j]! ? 1 : 0),
    vn: (i, k) => (f) => (f[i]! !== k ? 1 : 0),
    nv: (k, j) => (f) => (k !== f[j]! ? 1 : 0),
    vc: (i, r) => (f) => (f[i]! !== r(f) ? 1 : 0),
    cv: (l, j) => (f) => (l(f) !== f[j]! ? 1 : 0),
    nc: (k, r) => (f) => (k !== r(f) ? 1 : 0),
    cn: (l, k) => (f) => (l(f) !== k ? 1 : 0),
    cc: (l, r) => (f) => (l(f) !== r(f) ? 1 : 0),
  },
};
