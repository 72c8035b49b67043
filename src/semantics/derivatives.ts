/**
 * THE derivative rules (LANGUAGE.md, "Derivatives", its table): one rule
 * per operator and per builtin, in full records beside THE operator table
 * and THE builtin table, so an operator or builtin added without its rule
 * is a type error here. The rules live in the semantics layer because
 * they build Program nodes (through algebra.ts); the walk that applies them
 * is derive.ts.
 *
 * A rule receives the node's operand values (the operand nodes themselves,
 * shared, not copied), their derivatives (`undefined` where structurally
 * 0) and the node; it is called only when some operand's derivative is
 * not 0.
 */

import type { BinaryOp, ProgramUnaryOp } from "../syntax/operators.js";
import type { Algebra, Term } from "./algebra.js";
import type { FunctionName } from "./builtins.js";
import type { Node } from "./program.js";

/** The rule of a binary operator: `a op b` with derivatives `da`, `db`. */
export type BinaryRule = (b: Algebra, a: Node, da: Term, c: Node, dc: Term, node: Node) => Term;

/** The rule of a prefix operator. */
export type UnaryRule = (b: Algebra, a: Node, da: Term) => Term;

/** The rule of a builtin: its arguments, their derivatives, and the call itself (its value). */
export type CallRule = (b: Algebra, args: readonly Node[], ds: readonly Term[], call: Node) => Term;

/** The derivative of a value that is piecewise constant: 0 (comparisons, logic, rounding). */
const zero = (): Term => undefined;

/** `a ^ b` (and `pow(a, b)`): the three cases of the table, by which side depends on the variable. */
function power(b: Algebra, a: Node, da: Term, c: Node, dc: Term, node: Node): Term {
  if (dc === undefined) {
    // b * a^(b - 1) * a'
    return b.mul(b.mul(c, b.pow(a, b.binary("-", c, b.num(1)))), da);
  }
  if (da === undefined) return b.mul(b.mul(node, b.call("log", a)), dc);
  // a^b * (b' * log(a) + b * a' / a)
  return b.mul(node, b.add(b.mul(dc, b.call("log", a)), b.div(b.mul(c, da), a)));
}

/** Every binary operator's rule. */
const binaryRules = {
  "||": zero,
  "&&": zero,
  "<": zero,
  "<=": zero,
  ">": zero,
  ">=": zero,
  "==": zero,
  "!=": zero,
  "+": (b, _a, da, _c, dc) => b.add(da, dc),
  "-": (b, _a, da, _c, dc) => b.sub(da, dc),
  "*": (b, a, da, c, dc) => b.add(b.mul(da, c), b.mul(a, dc)),
  // a' / b - a * b' / (b * b)
  "/": (b, a, da, c, dc) => b.sub(b.div(da, c), b.div(b.mul(a, dc), b.binary("*", c, c))),
  // a' - trunc(a / b) * b'
  "%": (b, a, da, c, dc) => b.sub(da, b.mul(b.call("trunc", b.binary("/", a, c)), dc)),
  "^": power,
} as const satisfies Record<BinaryOp, BinaryRule>;

/** The binary rules, typed by operator (a missing rule fails above, not where they are read). */
export const BINARY_RULES: Readonly<Record<BinaryOp, BinaryRule>> = binaryRules;

/** Every prefix operator's rule (`+a` never reaches a Program). */
export const UNARY_RULES = {
  "-": (b, _a, da) => b.neg(da),
  "!": zero,
} as const satisfies Record<ProgramUnaryOp, UnaryRule>;

/** A one-argument function's rule, from its argument, derivative, and the call's value. */
function of1(rule: (b: Algebra, a: Node, da: Term, call: Node) => Term): CallRule {
  return (b, args, ds, call) => rule(b, args[0] as Node, ds[0], call);
}

/** `a' / f(a)` for the rules written that way. */
const over = (denominator: (b: Algebra, a: Node, call: Node) => Node): CallRule =>
  of1((b, a, da, call) => b.div(da, denominator(b, a, call)));

/** `f(a) * a'` for the rules written that way. */
const times = (factor: (b: Algebra, a: Node, call: Node) => Term): CallRule =>
  of1((b, a, da, call) => b.mul(factor(b, a, call), da));

/**
 * `min` and `max`: the derivative of the first argument whose value is
 * the result (`Object.is`), NaN when the result is NaN. "Is the result" is
 * `m == a && 1 / m == 1 / a` (the second test tells -0 from 0), shortened
 * to `m == a` for a constant that is not 0; the last argument is the result
 * whenever no earlier one is and `m` is not NaN, so it needs `m == a` only.
 */
const extremum: CallRule = (b, args, ds, m) => {
  const last = args.length - 1;
  let chosen: Node = b.cond(
    b.binary("==", m, args[last] as Node),
    ds[last] ?? b.num(0),
    b.num(Number.NaN),
  ) as Node;
  for (let i = last - 1; i >= 0; i--) {
    const a = args[i] as Node;
    // A NaN argument is the result only when the result is NaN: the end of the chain says so.
    if (a.kind === "number" && Number.isNaN(a.value)) continue;
    let test = b.binary("==", m, a);
    if (a.kind !== "number" || a.value === 0) {
      const one = b.num(1);
      test = b.binary("&&", test, b.binary("==", b.binary("/", one, m), b.binary("/", one, a)));
    }
    chosen = b.cond(test, ds[i] ?? b.num(0), chosen) as Node;
  }
  return chosen;
};

/** Every builtin's rule (the calls are marked pure, so a bundle that never differentiates drops them). */
const functionRules = {
  abs: /* @__PURE__ */ times((b, a) => b.call("sign", a)),
  sign: zero,
  sqrt: /* @__PURE__ */ over((b, _a, call) => b.mul(b.num(2), call) as Node),
  cbrt: /* @__PURE__ */ over((b, _a, call) => b.mul(b.num(3), b.square(call)) as Node),
  exp: /* @__PURE__ */ times((_b, _a, call) => call),
  expm1: /* @__PURE__ */ times((b, a) => b.call("exp", a)),
  log: /* @__PURE__ */ over((_b, a) => a),
  log2: /* @__PURE__ */ over((b, a) => b.mul(a, b.call("log", b.num(2))) as Node),
  log10: /* @__PURE__ */ over((b, a) => b.mul(a, b.call("log", b.num(10))) as Node),
  log1p: /* @__PURE__ */ over((b, a) => b.binary("+", b.num(1), a)),
  sin: /* @__PURE__ */ times((b, a) => b.call("cos", a)),
  cos: /* @__PURE__ */ times((b, a) => b.neg(b.call("sin", a))),
  tan: /* @__PURE__ */ over((b, a) => b.square(b.call("cos", a))),
  asin: /* @__PURE__ */ over((b, a) => b.call("sqrt", b.binary("-", b.num(1), b.square(a)))),
  acos: /* @__PURE__ */ of1((b, a, da) =>
    b.div(b.neg(da), b.call("sqrt", b.binary("-", b.num(1), b.square(a)))),
  ),
  atan: /* @__PURE__ */ over((b, a) => b.binary("+", b.num(1), b.square(a))),
  sinh: /* @__PURE__ */ times((b, a) => b.call("cosh", a)),
  cosh: /* @__PURE__ */ times((b, a) => b.call("sinh", a)),
  tanh: /* @__PURE__ */ over((b, a) => b.square(b.call("cosh", a))),
  asinh: /* @__PURE__ */ over((b, a) => b.call("sqrt", b.binary("+", b.square(a), b.num(1)))),
  acosh: /* @__PURE__ */ over((b, a) => b.call("sqrt", b.binary("-", b.square(a), b.num(1)))),
  atanh: /* @__PURE__ */ over((b, a) => b.binary("-", b.num(1), b.square(a))),
  floor: zero,
  ceil: zero,
  trunc: zero,
  round: zero,
  // (x * y' - y * x') / (x^2 + y^2)
  atan2: (b, [y, x], [dy, dx]) => {
    const top = b.sub(b.mul(x as Node, dy), b.mul(y as Node, dx));
    return b.div(top, b.binary("+", b.square(x as Node), b.square(y as Node)));
  },
  pow: (b, [a, c], [da, dc], call) => power(b, a as Node, da, c as Node, dc, call),
  min: extremum,
  max: extremum,
  // (a * a' + b * b' + …) / hypot(a, b, …)
  hypot: (b, args, ds, call) => b.div(b.sum(args.map((a, i) => b.mul(a, ds[i]))), call),
} as const satisfies Record<FunctionName, CallRule>;

/** The builtin rules, typed by name (a missing rule fails above, not where they are read). */
export const FUNCTION_RULES: Readonly<Record<FunctionName, CallRule>> = functionRules;
