/**
 * DuckDB (tested: 1.5): what each construct becomes, and why. DuckDB's
 * DOUBLE arithmetic is IEEE 754 with its default `ieee_floating_point_ops`
 * (division by zero gives ±Infinity or NaN), and its `%` on doubles is C's
 * fmod, which is JavaScript's `%`. Elsewhere it differs from the language,
 * and the entries below guard it:
 * - NaN = NaN and NaN sorts above every number: comparisons go through
 *   guards.ts; `isnan` is written `x = NaN`, true only for NaN here.
 * - `ln`, `log2`, `log10` and `sqrt` raise on 0 or negative input, `asin`,
 *   `acos` and `atanh` outside [-1, 1], `sin`, `cos` and `tan` on ±Infinity:
 *   the guard gives the language's value before the function is reached.
 * - `pow` is C's, which says `pow(1, NaN)` and `pow(±1, ±Infinity)` are 1
 *   (JavaScript: NaN).
 * - `round` rounds halves away from zero (the language: up), `sign` gives 0
 *   for NaN and +0 for -0, `least`/`greatest` skip NaN and do not order -0
 *   below 0: all written out.
 * - `expm1`, `log1p` and `hypot` do not exist: hypot is V8's algorithm
 *   written out (exact); expm1 and log1p are the classic formulas of Kahan
 *   and Goldberg on `exp` and `ln` (see docs/SQL.md for their measured
 *   distance from V8).
 * A guard that reads an operand more than once repeats its SQL; the emitter
 * bounds the size of the result.
 */

import {
  double,
  doubleQuoted,
  type FunctionSpellings,
  type SqlDialect,
  type Term,
} from "./dialect.js";
import { standardLogic, standardMembers } from "./guards.js";

/** The members DuckDB spells as PostgreSQL does, and its literals. */
const SHARED = standardMembers("DOUBLE");
const { literal } = SHARED;
const NAN = literal(Number.NaN);
const INF = literal(Number.POSITIVE_INFINITY);
const NEG_INF = literal(Number.NEGATIVE_INFINITY);
const ZERO = literal(0);
const NEG_ZERO = literal(-0);
const ONE = literal(1);
const MINUS_ONE = literal(-1);
const HALF = literal(0.5);

const isNan = (x: string): string => `(${x} = ${NAN})`;
const call =
  (name: string) =>
  (args: readonly string[]): Term =>
    double(`${name}(${args.join(", ")})`);

/** `f(x)` where f raises for x ≤ 0: -Infinity at ±0, NaN below. */
const logarithm =
  (name: string) =>
  ([x]: readonly string[]): Term =>
    double(
      `CASE WHEN ${x} = ${ZERO} THEN ${NEG_INF} WHEN ${x} < ${ZERO} THEN ${NAN} ELSE ${name}(${x}) END`,
    );

/** `f(x)` where f raises outside [-1, 1] (NaN is greater than 1 here, so it takes the NaN branch). */
const unitDomain =
  (name: string) =>
  ([x]: readonly string[]): Term =>
    double(`CASE WHEN abs(${x}) > ${ONE} THEN ${NAN} ELSE ${name}(${x}) END`);

/** `f(x)` where f raises on ±Infinity (the trigonometric functions: NaN there). */
const finiteDomain =
  (name: string) =>
  ([x]: readonly string[]): Term =>
    double(`CASE WHEN isinf(${x}) THEN ${NAN} ELSE ${name}(${x}) END`);

/** Math.min / Math.max: NaN if any argument is; else the extreme, -0 below +0. */
function extreme(which: "least" | "greatest", args: readonly string[]): Term {
  const anyNan = args.map(isNan).join(" OR ");
  const value = `${which}(${args.join(", ")})`;
  // A zero result: min is -0 if any argument is -0; max is +0 if any is +0.
  const zero =
    which === "least"
      ? `CASE WHEN ${args.map((a) => `signbit(${a})`).join(" OR ")} THEN ${NEG_ZERO} ELSE ${ZERO} END`
      : `CASE WHEN ${args.map((a) => `(${a} = ${ZERO} AND NOT signbit(${a}))`).join(" OR ")} THEN ${ZERO} ELSE ${NEG_ZERO} END`;
  return double(
    `CASE WHEN ${anyNan} THEN ${NAN} WHEN ${value} <> ${ZERO} THEN ${value} ELSE ${zero} END`,
  );
}

/**
 * Math.hypot as V8 computes it: Infinity if any argument is infinite (even
 * beside NaN), then NaN, +0 if all are zeros, else the arguments scaled by
 * the largest and their squares summed with Kahan's compensation.
 */
function hypot(args: readonly string[]): Term {
  const abs = args.map((a) => `abs(${a})`);
  const anyInf = args.map((a) => `isinf(${a})`).join(" OR ");
  const anyNan = args.map(isNan).join(" OR ");
  const largest = `greatest(${abs.join(", ")})`;
  let sum = ZERO;
  let compensation = ZERO;
  for (const a of abs) {
    const q = `(${a} / ${largest})`;
    const summand = `((${q} * ${q}) - ${compensation})`;
    const preliminary = `(${sum} + ${summand})`;
    compensation = `((${preliminary} - ${sum}) - ${summand})`;
    sum = preliminary;
  }
  return double(
    `CASE WHEN ${anyInf} THEN ${INF} WHEN ${anyNan} THEN ${NAN} WHEN ${largest} = ${ZERO} THEN ${ZERO} ELSE (sqrt(${sum}) * ${largest}) END`,
  );
}

const FUNCTIONS = {
  abs: call("abs"),
  sign: ([x]) =>
    double(
      `CASE WHEN ${x} = ${ZERO} OR ${isNan(x as string)} THEN ${x} WHEN ${x} < ${ZERO} THEN ${MINUS_ONE} ELSE ${ONE} END`,
    ),
  sqrt: ([x]) => double(`CASE WHEN ${x} < ${ZERO} THEN ${NAN} ELSE sqrt(${x}) END`),
  cbrt: call("cbrt"),
  exp: call("exp"),
  // Kahan: u = exp(x); Infinity if u is, x if u is 1, -1 if u - 1 is -1, else (u - 1) * (x / ln(u)), the ratio first so nothing overflows.
  expm1: ([x]) => {
    const u = `exp(${x})`;
    return double(
      `CASE WHEN ${isNan(x as string)} THEN ${x} WHEN ${u} = ${INF} THEN ${INF} WHEN ${u} = ${ONE} THEN ${x} WHEN (${u} - ${ONE}) = ${MINUS_ONE} THEN ${MINUS_ONE} ELSE (${u} - ${ONE}) * (${x} / ln(${u})) END`,
    );
  },
  log: logarithm("ln"),
  log2: logarithm("log2"),
  log10: logarithm("log10"),
  // Goldberg: u = 1 + x; x if u is 1, else ln(u) * (x / (u - 1)).
  log1p: ([x]) => {
    const u = `(${ONE} + ${x})`;
    return double(
      `CASE WHEN ${isNan(x as string)} THEN ${x} WHEN ${x} = ${MINUS_ONE} THEN ${NEG_INF} WHEN ${x} < ${MINUS_ONE} THEN ${NAN} WHEN ${u} = ${INF} THEN ${INF} WHEN ${u} = ${ONE} THEN ${x} ELSE ln(${u}) * (${x} / (${u} - ${ONE})) END`,
    );
  },
  sin: finiteDomain("sin"),
  cos: finiteDomain("cos"),
  tan: finiteDomain("tan"),
  asin: unitDomain("asin"),
  acos: unitDomain("acos"),
  atan: call("atan"),
  sinh: call("sinh"),
  cosh: call("cosh"),
  tanh: call("tanh"),
  asinh: call("asinh"),
  acosh: call("acosh"),
  // atanh(-1) is +Infinity in DuckDB 1.5: both poles are written out.
  atanh: ([x]) =>
    double(
      `CASE WHEN abs(${x}) > ${ONE} THEN ${NAN} WHEN ${x} = ${ONE} THEN ${INF} WHEN ${x} = ${MINUS_ONE} THEN ${NEG_INF} ELSE atanh(${x}) END`,
    ),
  floor: call("floor"),
  ceil: call("ceil"),
  trunc: call("trunc"),
  // Math.round: the floor, or the ceiling when the fraction is at least 1/2
  // (the ceiling keeps -0 for -0.5 ≤ x < 0; NaN ≥ 1/2 holds here, and
  // ceil(±Infinity) is itself).
  round: ([x]) =>
    double(`CASE WHEN (${x} - floor(${x})) >= ${HALF} THEN ceil(${x}) ELSE floor(${x}) END`),
  atan2: call("atan2"),
  pow: ([a, b]) => power(a as string, b as string),
  min: (args) => extreme("least", args),
  max: (args) => extreme("greatest", args),
  hypot,
} as const satisfies FunctionSpellings;

/** Math.pow: C's pow except that |a| = 1 with a non-finite b is NaN. */
function power(a: string, b: string): Term {
  return double(
    `CASE WHEN abs(${a}) = ${ONE} AND NOT isfinite(${b}) THEN ${NAN} ELSE pow(${a}, ${b}) END`,
  );
}

const arithmetic =
  (op: string) =>
  (a: string, b: string): Term =>
    double(`(${a} ${op} ${b})`);

/** The DuckDB dialect. */
export const DUCKDB: SqlDialect = {
  name: "duckdb",
  title: "DuckDB",
  ...SHARED,
  binary: {
    ...standardLogic(NAN),
    "+": arithmetic("+"),
    "-": arithmetic("-"),
    "*": arithmetic("*"),
    "/": arithmetic("/"),
    "%": arithmetic("%"),
    "^": power,
  },
  unary: {
    "-": (a) => double(`(-${a})`),
    "!": (a) => ({ sql: `(NOT ${a})`, type: "boolean" }),
  },
  functions: FUNCTIONS,
  prelude: () => "",
  defineFunction: (name, params, body) =>
    `CREATE OR REPLACE MACRO ${doubleQuoted(name)}(${params.map(doubleQuoted).join(", ")}) AS ${body}`,
};
