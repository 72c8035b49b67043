/**
 * PostgreSQL (tested: 15): what each construct becomes, and why. float8
 * arithmetic raises where IEEE 754 gives a value: overflow (`1e308 * 10`),
 * underflow to zero (`1e-308 * 1e-308`), division by zero; `exp`, `power`,
 * `ln`, `log10`, `sqrt`, `asin`, `acos`, `acosh`, `atanh` and the
 * trigonometric functions raise outside their domain or range; there is no
 * float8 `%`, `log2`, `log1p`, `expm1` or `hypot`; `NaN = NaN` holds and NaN
 * sorts above every number; `round` rounds halves to even; `power` is C's
 * (`power(1, NaN)` is 1). So every arithmetic operator and most functions
 * call a helper from the prelude ({@link POSTGRES_PRELUDE}, run once): SQL
 * functions, IMMUTABLE and PARALLEL SAFE, which decide from the operands,
 * before computing, whether the IEEE result is ±Infinity or ±0, and
 * compute it themselves then. Deciding exactly where the result is close
 * to the limits uses numeric, exactly (a double's exact decimal value,
 * from its bits). Helpers take each operand once, so the SQL grows
 * linearly with the program.
 */

import {
  double,
  doubleQuoted,
  type FunctionSpellings,
  type SqlDialect,
  type Term,
} from "./dialect.js";
import { standardLogic, standardMembers } from "./guards.js";

/** The members PostgreSQL spells as DuckDB does, and its literals. */
const SHARED = standardMembers("float8");
const { literal } = SHARED;
const NAN = literal(Number.NaN);
const ZERO = literal(0);
const ONE = literal(1);

/** A call of a helper of the prelude. */
const helper =
  (name: string) =>
  (args: readonly string[]): Term =>
    double(`exprjit_${name}(${args.join(", ")})`);
const binaryHelper =
  (name: string) =>
  (a: string, b: string): Term =>
    double(`exprjit_${name}(${a}, ${b})`);
const call =
  (name: string) =>
  (args: readonly string[]): Term =>
    double(`${name}(${args.join(", ")})`);

/** A fold of a two-argument helper over one or more arguments, from the right. */
const fold =
  (name: string) =>
  (args: readonly string[]): Term => {
    let sql = args[args.length - 1] as string;
    for (let i = args.length - 2; i >= 0; i--) sql = `exprjit_${name}(${args[i]}, ${sql})`;
    return double(sql);
  };

const FUNCTIONS = {
  abs: call("abs"),
  sign: helper("sign"),
  sqrt: helper("sqrt"),
  cbrt: call("cbrt"),
  exp: helper("exp"),
  expm1: helper("expm1"),
  log: helper("ln"),
  log2: helper("log2"),
  log10: helper("log10"),
  log1p: helper("log1p"),
  sin: helper("sin"),
  cos: helper("cos"),
  tan: helper("tan"),
  asin: helper("asin"),
  acos: helper("acos"),
  atan: call("atan"),
  sinh: call("sinh"),
  cosh: call("cosh"),
  tanh: call("tanh"),
  asinh: call("asinh"),
  acosh: helper("acosh"),
  atanh: helper("atanh"),
  floor: call("floor"),
  ceil: call("ceil"),
  trunc: call("trunc"),
  round: helper("round"),
  atan2: call("atan2"),
  pow: helper("pow"),
  min: fold("min2"),
  max: fold("max2"),
  hypot: (args) => double(`exprjit_hypot(VARIADIC ARRAY[${args.join(", ")}]::float8[])`),
} as const satisfies FunctionSpellings;

// Thresholds, as exact literals.
const P = (k: number): string => literal(2 ** k);
const INF = literal(Number.POSITIVE_INFINITY);
const NEG_INF = literal(Number.NEGATIVE_INFINITY);
const NEG_ZERO = literal(-0);
/** Where float8 products and quotients are surely in the normal range: [2^-511, 2^511]. */
const inRange = (x: string): string => `abs(${x}) BETWEEN ${P(-511)} AND ${P(511)}`;
/** A numeric zero with 40 decimal places: added to an operand, numeric's ln and exp keep 40 digits. */
const FORTY = `0.${"0".repeat(40)}`;
const special = (x: string): string => `(${x} = ${NAN} OR abs(${x}) = ${INF})`;

const fn = (signature: string, returns: string, body: string): string =>
  `CREATE OR REPLACE FUNCTION ${signature} RETURNS ${returns} LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $exprjit$ SELECT ${body} $exprjit$`;

/**
 * The helper functions, in dependency order. Each is one SELECT of a CASE
 * whose branches cannot raise: the branch that computes with float8 is only
 * taken where the engine's check cannot fire.
 */
const HELPERS: readonly string[] = [
  // The double's 64 bits, as a bigint.
  fn("exprjit_bits(x float8)", "bigint", `('x' || encode(float8send(x), 'hex'))::bit(64)::bigint`),
  // The exact value of a finite double, as numeric: ±m × 2^e from its bits (2^e for e < 0 is 5^-e × 10^e).
  fn(
    "exprjit_exact(x float8)",
    "numeric",
    `CASE WHEN e >= 0 THEN s * m * (2::numeric ^ e) ELSE (((s * m * (5::numeric ^ (-e)))::text || 'e' || e)::numeric) END
     FROM (SELECT CASE WHEN b < 0 THEN -1 ELSE 1 END AS s,
                  CASE WHEN (b >> 52) & 2047 = 0 THEN b & 4503599627370495 ELSE (b & 4503599627370495) + 4503599627370496 END AS m,
                  CASE WHEN (b >> 52) & 2047 = 0 THEN -1074 ELSE ((b >> 52) & 2047)::int - 1075 END AS e
           FROM (SELECT exprjit_bits(x) AS b) bits) parts`,
  ),
  // Whether x is -0.
  fn("exprjit_negzero(x float8)", "boolean", `x = 0 AND exprjit_bits(x) < 0`),
  // Whether a finite x is an odd integer (floor first: x * 0.5 of a non-integer could underflow).
  fn(
    "exprjit_odd(x float8)",
    "boolean",
    `CASE WHEN floor(x) <> x OR abs(x) = ${INF} THEN false ELSE x - 2 * floor(x * 0.5) = 1 END`,
  ),
  // |exact| ≥ 2^1024 - 2^970 rounds to Infinity; |exact| ≤ 2^-1075 rounds to zero.
  fn("exprjit_overflows(p numeric)", "boolean", `abs(p) >= 2::numeric ^ 1024 - 2::numeric ^ 970`),
  fn(
    "exprjit_underflows(p numeric)",
    "boolean",
    `abs(p) <= exprjit_exact(${literal(5e-324)}) * 0.5`,
  ),
  // The sign of a product or quotient of a and b, as ±1.
  fn(
    "exprjit_signs(a float8, b float8)",
    "float8",
    `CASE WHEN (a < 0 OR exprjit_negzero(a)) <> (b < 0 OR exprjit_negzero(b)) THEN -1 ELSE 1 END`,
  ),
  // a + b: overflow is only possible when both are at least 2^970; then half of each is exact.
  fn(
    "exprjit_add(a float8, b float8)",
    "float8",
    `CASE WHEN abs(a) < ${P(970)} OR abs(b) < ${P(970)} OR ${special("a")} OR ${special("b")} THEN a + b
          WHEN abs(a * 0.5 + b * 0.5) >= ${P(1023)} THEN (a * 0.5 + b * 0.5) * ${INF}
          ELSE a + b END`,
  ),
  fn("exprjit_sub(a float8, b float8)", "float8", `exprjit_add(a, -b)`),
  fn(
    "exprjit_mul(a float8, b float8)",
    "float8",
    `CASE WHEN (${inRange("a")} AND ${inRange("b")}) OR a = 0 OR b = 0 OR ${special("a")} OR ${special("b")} THEN a * b
          WHEN exprjit_overflows(exprjit_exact(a) * exprjit_exact(b)) THEN exprjit_signs(a, b) * ${INF}
          WHEN exprjit_underflows(exprjit_exact(a) * exprjit_exact(b)) THEN exprjit_signs(a, b) * ${ZERO}
          ELSE a * b END`,
  ),
  fn(
    "exprjit_div(a float8, b float8)",
    "float8",
    `CASE WHEN b = 0 THEN CASE WHEN a = 0 OR a = ${NAN} THEN ${NAN} ELSE exprjit_signs(a, b) * ${INF} END
          WHEN (${inRange("a")} AND ${inRange("b")}) OR a = 0 OR ${special("a")} OR ${special("b")} THEN a / b
          WHEN abs(exprjit_exact(a)) >= abs(exprjit_exact(b)) * (2::numeric ^ 1024 - 2::numeric ^ 970) THEN exprjit_signs(a, b) * ${INF}
          WHEN abs(exprjit_exact(a)) <= abs(exprjit_exact(b)) * exprjit_exact(${literal(5e-324)}) * 0.5 THEN exprjit_signs(a, b) * ${ZERO}
          ELSE a / b END`,
  ),
  // fmod, exactly: the remainder of the exact values (numeric's mod truncates, sign of a); a zero keeps a's sign.
  fn(
    "exprjit_mod(a float8, b float8)",
    "float8",
    `CASE WHEN a = ${NAN} OR b = ${NAN} OR b = 0 OR abs(a) = ${INF} THEN ${NAN}
          WHEN abs(b) = ${INF} OR abs(a) < abs(b) THEN a
          ELSE (SELECT CASE WHEN r = 0 THEN a * 0 ELSE r END FROM (SELECT mod(exprjit_exact(a), exprjit_exact(b))::float8 AS r) rem) END`,
  ),
  // Math.pow on finite, nonzero a and finite b, where the result overflows or underflows to
  // zero: decided from b·ln|a| where that is far from the limits, in numeric (40 digits) near them.
  fn(
    "exprjit_pow_limit(a float8, b float8, s float8)",
    "float8",
    `CASE WHEN t >= ln(2::numeric ^ 1024 - 2::numeric ^ 970 + ${FORTY}) THEN s * ${INF}
          WHEN t <= -1075 * ln(2 + ${FORTY}) THEN s * ${ZERO}
          ELSE power(a, b) END
     FROM (SELECT exprjit_exact(b) * ln(exprjit_exact(abs(a)) + ${FORTY}) AS t) parts`,
  ),
  fn(
    "exprjit_pow_finite(a float8, b float8)",
    "float8",
    `CASE WHEN t > 710 THEN s * ${INF} WHEN t < -746 THEN s * ${ZERO}
          WHEN t < 709 AND t > -744 THEN power(a, b)
          ELSE exprjit_pow_limit(a, b, s) END
     FROM (SELECT exprjit_mul(b, ln(abs(a))) AS t, CASE WHEN a < 0 AND exprjit_odd(b) THEN -1 ELSE 1 END AS s) parts`,
  ),
  fn(
    "exprjit_pow(a float8, b float8)",
    "float8",
    `CASE WHEN b = ${NAN} THEN b WHEN b = 0 THEN ${ONE} WHEN a = ${NAN} THEN a
          WHEN a = 0 THEN CASE WHEN exprjit_negzero(a) AND exprjit_odd(b) THEN CASE WHEN b > 0 THEN ${NEG_ZERO} ELSE ${NEG_INF} END
                               WHEN b > 0 THEN ${ZERO} ELSE ${INF} END
          WHEN abs(b) = ${INF} THEN CASE WHEN abs(a) = 1 THEN ${NAN} ELSE power(a, b) END
          WHEN a = ${INF} THEN CASE WHEN b > 0 THEN ${INF} ELSE ${ZERO} END
          WHEN a = ${NEG_INF} THEN CASE WHEN b > 0 THEN CASE WHEN exprjit_odd(b) THEN ${NEG_INF} ELSE ${INF} END
                                        ELSE CASE WHEN exprjit_odd(b) THEN ${NEG_ZERO} ELSE ${ZERO} END END
          WHEN a < 0 AND floor(b) <> b THEN ${NAN}
          ELSE exprjit_pow_finite(a, b) END`,
  ),
  // exp: fdlibm's (and glibc's) thresholds, checked on the engine.
  fn(
    "exprjit_exp(x float8)",
    "float8",
    `CASE WHEN x = ${NAN} THEN x WHEN x > ${literal(709.782712893384)} THEN ${INF} WHEN x < ${literal(-745.1332191019411)} THEN ${ZERO} ELSE exp(x) END`,
  ),
  fn("exprjit_sqrt(x float8)", "float8", `CASE WHEN x < 0 THEN ${NAN} ELSE sqrt(x) END`),
  fn(
    "exprjit_ln(x float8)",
    "float8",
    `CASE WHEN x = 0 THEN ${NEG_INF} WHEN x < 0 THEN ${NAN} ELSE ln(x) END`,
  ),
  fn(
    "exprjit_log10(x float8)",
    "float8",
    `CASE WHEN x = 0 THEN ${NEG_INF} WHEN x < 0 THEN ${NAN} ELSE log10(x) END`,
  ),
  // log2, log1p and expm1 in numeric, on the exact value with 40 more digits, rounded once to float8.
  fn(
    "exprjit_log2(x float8)",
    "float8",
    `CASE WHEN x = 0 THEN ${NEG_INF} WHEN x < 0 THEN ${NAN} WHEN x = ${NAN} OR x = ${INF} THEN x
          ELSE (ln(exprjit_exact(x) + ${FORTY}) / ln(2 + ${FORTY}))::float8 END`,
  ),
  fn(
    "exprjit_log1p(x float8)",
    "float8",
    `CASE WHEN x = ${NAN} OR x = ${INF} THEN x WHEN x = -1 THEN ${NEG_INF} WHEN x < -1 THEN ${NAN}
          WHEN abs(x) < ${P(-54)} THEN x
          ELSE ln(1 + round(exprjit_exact(x), 60))::float8 END`,
  ),
  fn(
    "exprjit_expm1(x float8)",
    "float8",
    `CASE WHEN x = ${NAN} THEN x WHEN x > ${literal(709.782712893384)} THEN ${INF} WHEN x < -40 THEN -1
          WHEN abs(x) < ${P(-54)} THEN x
          ELSE (exp(round(exprjit_exact(x), 40)) - 1)::float8 END`,
  ),
  // The trigonometric functions raise on ±Infinity (NaN there); asin, acos, atanh outside [-1, 1], acosh below 1.
  ...["sin", "cos", "tan"].map((name) =>
    fn(
      `exprjit_${name}(x float8)`,
      "float8",
      `CASE WHEN abs(x) = ${INF} THEN ${NAN} ELSE ${name}(x) END`,
    ),
  ),
  ...["asin", "acos", "atanh"].map((name) =>
    fn(
      `exprjit_${name}(x float8)`,
      "float8",
      `CASE WHEN abs(x) > 1 THEN ${NAN} ELSE ${name}(x) END`,
    ),
  ),
  fn("exprjit_acosh(x float8)", "float8", `CASE WHEN x < 1 THEN ${NAN} ELSE acosh(x) END`),
  // Math.sign: ±0 and NaN are themselves.
  fn(
    "exprjit_sign(x float8)",
    "float8",
    `CASE WHEN x = 0 OR x = ${NAN} THEN x WHEN x < 0 THEN -1 ELSE 1 END`,
  ),
  // Math.round: halves go up; the ceiling keeps -0 for -0.5 ≤ x < 0 (NaN ≥ 0.5 holds here).
  fn(
    "exprjit_round(x float8)",
    "float8",
    `CASE WHEN x - floor(x) >= 0.5 THEN ceil(x) ELSE floor(x) END`,
  ),
  // Math.min / Math.max of two: NaN wins, -0 is below +0.
  fn(
    "exprjit_min2(a float8, b float8)",
    "float8",
    `CASE WHEN a = ${NAN} OR b = ${NAN} THEN ${NAN} WHEN a < b THEN a WHEN b < a THEN b WHEN exprjit_negzero(a) THEN a ELSE b END`,
  ),
  fn(
    "exprjit_max2(a float8, b float8)",
    "float8",
    `CASE WHEN a = ${NAN} OR b = ${NAN} THEN ${NAN} WHEN a > b THEN a WHEN b > a THEN b WHEN exprjit_negzero(a) THEN b ELSE a END`,
  ),
  // Math.hypot as V8 computes it (Kahan-compensated sum of squares scaled by the largest).
  `CREATE OR REPLACE FUNCTION exprjit_hypot(VARIADIC v float8[]) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $exprjit$
DECLARE largest float8 := 0; total float8 := 0; compensation float8 := 0; q float8; summand float8; preliminary float8; a float8; nan boolean := false;
BEGIN
  FOREACH a IN ARRAY v LOOP
    IF abs(a) = ${INF} THEN RETURN ${INF}; END IF;
    IF a = ${NAN} THEN nan := true; ELSIF largest < abs(a) THEN largest := abs(a); END IF;
  END LOOP;
  IF nan THEN RETURN ${NAN}; END IF;
  IF largest = 0 THEN RETURN 0; END IF;
  FOREACH a IN ARRAY v LOOP
    q := exprjit_div(abs(a), largest);
    summand := exprjit_mul(q, q) - compensation;
    preliminary := total + summand;
    compensation := (preliminary - total) - summand;
    total := preliminary;
  END LOOP;
  RETURN exprjit_mul(sqrt(total), largest);
END $exprjit$`,
];

/** The prelude: every helper, one statement each, in dependency order. */
export const POSTGRES_PRELUDE: string = `${HELPERS.join(";\n")};\n`;

/** The PostgreSQL dialect. */
export const POSTGRES: SqlDialect = {
  name: "postgres",
  title: "PostgreSQL",
  ...SHARED,
  binary: {
    ...standardLogic(NAN),
    "+": binaryHelper("add"),
    "-": binaryHelper("sub"),
    "*": binaryHelper("mul"),
    "/": binaryHelper("div"),
    "%": binaryHelper("mod"),
    "^": binaryHelper("pow"),
  },
  unary: {
    "-": (a) => double(`(-${a})`),
    "!": (a) => ({ sql: `(NOT ${a})`, type: "boolean" }),
  },
  functions: FUNCTIONS,
  prelude: () => POSTGRES_PRELUDE,
  defineFunction: (name, params, body) =>
    body.includes("$exprjit$")
      ? undefined
      : `CREATE OR REPLACE FUNCTION ${doubleQuoted(name)}(${params.map((p) => `${doubleQuoted(p)} float8`).join(", ")}) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $exprjit$ SELECT ${body} $exprjit$`,
};
