/**
 * Dual numbers for the derivative tests: an evaluation of a syntax tree
 * that carries, beside each value, its derivative with respect to one
 * variable, computed with numbers by LANGUAGE.md's table ("Derivatives"),
 * independently of the symbolic differentiation in src/semantics/derive.ts.
 *
 * To be exact (Object.is) and not merely close, it keeps what the language
 * fixes structurally: a derivative is `undefined` where it is structurally
 * 0 (its term dropped, never multiplied by 0); a number known when
 * compiling (a literal, a constant, or a combination of known numbers) is
 * marked `known`, so a factor known to be exactly 1 is dropped and a
 * derivative known to be 0 counts as structurally 0. Both branches of
 * `?:`, `&&` and `||` are evaluated (the trees are pure), so what is
 * structural does not depend on the branch taken.
 */

import type { Expr } from "../../src/syntax/ast.js";
import { BINARY, type BinaryOp, truthy } from "../../src/syntax/operators.js";

/**
 * A number; whether it is known when compiling (`k`: a number node); and
 * whether it is the negation of a known number as written (`n`: `-2`,
 * `-pi`), which the builder reads through (`a + -2` is `a - 2`).
 */
export interface Num {
  readonly v: number;
  readonly k: boolean;
  readonly n?: boolean;
}

/** A derivative: a number, or undefined where structurally 0. */
type D = Num | undefined;

/** A value with its derivative. */
interface Dual {
  readonly value: Num;
  readonly d: D;
}

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN };

const num = (v: number, k = true): Num => ({ v, k });
/** A binary operator; computed when compiling when both sides are numbers or negated numbers. */
const op = (o: BinaryOp, a: Num, b: Num): Num =>
  num(BINARY[o].apply(a.v, b.v), (a.k || a.n === true) && (b.k || b.n === true));
const is = (a: Num, v: number): boolean => a.k && Object.is(a.v, v);

function add(a: D, b: D): D {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (b.n === true) return num(a.v - -b.v, a.k || a.n === true);
  return op("+", a, b);
}
function neg(a: D): D {
  if (a === undefined) return undefined;
  return a.n === true ? num(-a.v) : num(-a.v, a.k);
}
function sub(a: D, b: D): D {
  if (b === undefined) return a;
  if (a === undefined) return neg(b);
  if (b.n === true) return num(a.v + -b.v, a.k || a.n === true);
  return op("-", a, b);
}
function mul(a: D, b: D): D {
  if (a === undefined || b === undefined) return undefined;
  if (is(a, 1)) return b;
  if (is(b, 1)) return a;
  if (is(a, -1)) return neg(b);
  if (is(b, -1)) return neg(a);
  return op("*", a, b);
}
function div(a: D, b: Num): D {
  if (a === undefined) return undefined;
  if (is(b, 1)) return a;
  return op("/", a, b);
}
function pow(a: Num, b: Num): Num {
  if (is(b, 1)) return a;
  if (is(b, 0)) return num(1);
  return op("^", a, b);
}
const sq = (a: Num): Num => pow(a, num(2));
/** A builtin call: known only when its arguments are and the result is exactly 0 or 1. */
function call(f: (...x: number[]) => number, ...args: Num[]): Num {
  const v = f(...args.map((a) => a.v));
  return num(v, args.every((a) => a.k) && (v === 1 || Object.is(v, 0)));
}
/** What derive.ts drops as structurally 0: a derivative known to be 0. */
function known(d: D): D {
  return d?.k && d.v === 0 ? undefined : d;
}

function power(a: Num, da: D, b: Num, db: D, value: Num): D {
  if (db === undefined) return mul(mul(b, pow(a, op("-", b, num(1)))), da);
  if (da === undefined) return mul(mul(value, call(Math.log, a)), db);
  return mul(value, add(mul(db, call(Math.log, a)), div(mul(b, da), a)));
}

function extremum(args: readonly Dual[], m: Num): D {
  if (args.every((a) => a.d === undefined)) return undefined;
  // The first argument whose value is the result; NaN when the result is NaN.
  if (Number.isNaN(m.v)) return num(NaN, false);
  const chosen = args.find((a) => Object.is(a.value.v, m.v)) as Dual;
  return num(chosen.d?.v ?? 0, false);
}

const M = Math;

/** Each builtin's derivative from its argument(s), as the table says. */
function callRule(name: string, args: readonly Dual[], value: Num): D {
  const [first] = args as [Dual];
  const a = first.value;
  const da = first.d;
  switch (name) {
    case "abs":
      return mul(call(M.sign, a), da);
    case "sign":
    case "floor":
    case "ceil":
    case "trunc":
    case "round":
      return undefined;
    case "sqrt":
      return div(da, mul(num(2), value) as Num);
    case "cbrt":
      return div(da, mul(num(3), sq(value)) as Num);
    case "exp":
      return mul(value, da);
    case "expm1":
      return mul(call(M.exp, a), da);
    case "log":
      return div(da, a);
    case "log2":
      return div(da, mul(a, call(M.log, num(2))) as Num);
    case "log10":
      return div(da, mul(a, call(M.log, num(10))) as Num);
    case "log1p":
      return div(da, op("+", num(1), a));
    case "sin":
      return mul(call(M.cos, a), da);
    case "cos":
      return mul(neg(call(M.sin, a)), da);
    case "tan":
      return div(da, sq(call(M.cos, a)));
    case "asin":
      return div(da, call(M.sqrt, op("-", num(1), sq(a))));
    case "acos":
      return div(neg(da), call(M.sqrt, op("-", num(1), sq(a))));
    case "atan":
      return div(da, op("+", num(1), sq(a)));
    case "sinh":
      return mul(call(M.cosh, a), da);
    case "cosh":
      return mul(call(M.sinh, a), da);
    case "tanh":
      return div(da, sq(call(M.cosh, a)));
    case "asinh":
      return div(da, call(M.sqrt, op("+", sq(a), num(1))));
    case "acosh":
      return div(da, call(M.sqrt, op("-", sq(a), num(1))));
    case "atanh":
      return div(da, op("-", num(1), sq(a)));
    case "atan2": {
      const [y, x] = args as [Dual, Dual];
      const top = sub(mul(x.value, y.d), mul(y.value, x.d));
      return div(top, op("+", sq(x.value), sq(y.value)));
    }
    case "pow": {
      const [b, c] = args as [Dual, Dual];
      return power(b.value, b.d, c.value, c.d, value);
    }
    case "min":
    case "max":
      return extremum(args, value);
    case "hypot": {
      let total: D;
      for (const arg of args) total = add(total, mul(arg.value, arg.d));
      return div(total, value);
    }
    default:
      throw new Error(`no dual rule for ${name}`);
  }
}

/** Value and derivative of `expr` with respect to `variable`, variables read from `vars`. */
export function dual(expr: Expr, variable: string, vars: Readonly<Record<string, number>>): Dual {
  switch (expr.kind) {
    case "number":
      return { value: num(expr.value), d: undefined };
    case "identifier": {
      const constant = CONSTANTS[expr.name];
      if (constant !== undefined) return { value: num(constant), d: undefined };
      const v = vars[expr.name] as number;
      return { value: num(v, false), d: expr.name === variable ? num(1) : undefined };
    }
    case "unary": {
      const a = dual(expr.operand, variable, vars);
      if (expr.op === "+") return a;
      if (expr.op === "!") return { value: num(truthy(a.value.v) ? 0 : 1, false), d: undefined };
      return { value: { v: -a.value.v, k: false, n: a.value.k }, d: known(neg(a.d)) };
    }
    case "binary": {
      const a = dual(expr.left, variable, vars);
      const b = dual(expr.right, variable, vars);
      const spec = BINARY[expr.op];
      let v: number;
      if (spec.class === "logical") {
        v =
          truthy(a.value.v) === spec.decides
            ? spec.decides
              ? 1
              : 0
            : spec.apply(a.value.v, b.value.v);
      } else v = spec.apply(a.value.v, b.value.v);
      const value = num(v, false);
      if (a.d === undefined && b.d === undefined) return { value, d: undefined };
      return { value, d: known(binaryRule(expr.op, a, b, value)) };
    }
    case "conditional": {
      const test = dual(expr.test, variable, vars);
      const yes = dual(expr.consequent, variable, vars);
      const no = dual(expr.alternate, variable, vars);
      const chosen = truthy(test.value.v) ? yes : no;
      const d =
        yes.d === undefined && no.d === undefined ? undefined : num(chosen.d?.v ?? 0, false);
      return { value: num(chosen.value.v, false), d };
    }
    case "call": {
      const args = expr.args.map((arg) => dual(arg, variable, vars));
      const f = (Math as unknown as Record<string, (...x: number[]) => number>)[expr.callee];
      if (f === undefined) throw new Error(`no builtin ${expr.callee}`);
      const value = num(f(...args.map((a) => a.value.v)), false);
      if (args.every((a) => a.d === undefined)) return { value, d: undefined };
      return { value, d: known(callRule(expr.callee, args, value)) };
    }
  }
}

function binaryRule(o: BinaryOp, a: Dual, b: Dual, value: Num): D {
  switch (o) {
    case "+":
      return add(a.d, b.d);
    case "-":
      return sub(a.d, b.d);
    case "*":
      return add(mul(a.d, b.value), mul(a.value, b.d));
    case "/":
      return sub(div(a.d, b.value), div(mul(a.value, b.d), op("*", b.value, b.value)));
    case "%":
      return sub(a.d, mul(call(Math.trunc, op("/", a.value, b.value)), b.d));
    case "^":
      return power(a.value, a.d, b.value, b.d, value);
    default:
      return undefined;
  }
}

/** The derivative's number, 0 where it is structurally 0. */
export function derivativeOf(
  expr: Expr,
  variable: string,
  vars: Readonly<Record<string, number>>,
): number {
  return dual(expr, variable, vars).d?.v ?? 0;
}
