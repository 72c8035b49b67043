/**
 * `hypot` as wasm instructions, doing what V8's `Math.hypot` does (its
 * Torque builtin, the algorithm the native back-end's `js_hypot` also
 * follows): the largest absolute value, ignoring NaN; Infinity if it is
 * infinite (even beside a NaN); else each value divided by it, squared and
 * summed with Kahan compensation, and `sqrt(sum) * largest`. Every step is
 * an f64 instruction that rounds exactly as JavaScript does, so the result
 * is Math.hypot's bit for bit.
 *
 * Why not call Math.hypot through the table as the other builtins are: a
 * call with n arguments needs a trampoline of n parameters, and Node 20's
 * V8 compiles the wasm-to-JS wrapper of an n-parameter import in time that
 * grows faster than n² (0.3 s for n = 250, 1.5 s or more for n = 1000;
 * Node 22 and later take under a millisecond). Doing it here also spares
 * every call the trip through JavaScript.
 *
 * The code is straight-line and its length is linear in the number of
 * arguments: each argument is evaluated once, left to right, into a local
 * of its own (the second pass reads it again), with the largest value kept
 * as it goes. A zero largest value becomes 1: every value is then 0 or NaN,
 * and the same sum gives +0 or NaN as V8 does.
 */

import type { Instr } from "./opcodes.js";

/** Locals each `hypot` takes besides one per argument: largest, sum, compensation, quotient, summand, preliminary. */
export const HYPOT_SCRATCH_LOCALS = 6;

const get = (local: number): Instr => ({ op: "local.get", arg: local });
const set = (local: number): Instr => ({ op: "local.set", arg: local });
const tee = (local: number): Instr => ({ op: "local.tee", arg: local });
const f64 = (value: number): Instr => ({ op: "f64.const", arg: value });
const ADD: Instr = { op: "f64.add" };
const SUB: Instr = { op: "f64.sub" };
const MUL: Instr = { op: "f64.mul" };

/**
 * The code of `hypot(args…)`: `args[i]` (whatever leaves argument i's value
 * on the stack) in order, with the instructions around them. `local()`
 * gives a fresh f64 local each time it is called. One argument is `abs`.
 */
export function hypotCode<T>(args: readonly T[], local: () => number): (T | Instr)[] {
  if (args.length === 1) return [args[0] as T, { op: "f64.abs" }];
  const largest = local();
  const sum = local();
  const compensation = local();
  const quotient = local();
  const summand = local();
  const preliminary = local();
  const values = args.map(() => local());
  // Locals are set before they are read: the batch loop runs this code once per row.
  const out: (T | Instr)[] = [f64(0), set(largest)];
  args.forEach((arg, i) => {
    const a = values[i] as number;
    // a = |arg|; largest = a > largest ? a : largest (false for NaN).
    out.push(arg, { op: "f64.abs" }, tee(a), get(largest), get(a), get(largest));
    out.push({ op: "f64.gt" }, { op: "select" }, set(largest));
  });
  out.push(get(largest), f64(Number.POSITIVE_INFINITY), { op: "f64.eq" });
  out.push({ op: "if", result: "f64" }, f64(Number.POSITIVE_INFINITY), { op: "else" });
  // largest = largest == 0 ? 1 : largest
  out.push(f64(1), get(largest), get(largest), f64(0), { op: "f64.eq" }, { op: "select" });
  out.push(set(largest), f64(0), set(sum), f64(0), set(compensation));
  for (const a of values) {
    // q = a / largest; summand = q * q - compensation
    out.push(get(a), get(largest), { op: "f64.div" }, tee(quotient), get(quotient), MUL);
    out.push(get(compensation), SUB, set(summand));
    // preliminary = sum + summand; compensation = (preliminary - sum) - summand; sum = preliminary
    out.push(get(sum), get(summand), ADD, tee(preliminary), get(sum), SUB, get(summand), SUB);
    out.push(set(compensation), get(preliminary), set(sum));
  }
  out.push(get(sum), { op: "f64.sqrt" }, get(largest), MUL, { op: "end" });
  return out;
}
