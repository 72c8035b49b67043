/**
 * ClickHouse (tested: 18.16, from 2018, Debian's package): what each
 * construct becomes, and why. Float64 arithmetic is IEEE 754 (division by
 * zero gives ±inf or nan) and comparisons are IEEE's (nan equals nothing),
 * so arithmetic and comparisons are written as they are; but:
 * - a float literal is read by ClickHouse's own parser, which gives 0 for
 *   `5e-324` and rejects some forms: every number is built exactly from
 *   its bits as an integer (exact below 2^53) times a power of two;
 * - `if` evaluates both branches and every function on every row, so no
 *   guard may rely on a branch not being taken: only total functions are
 *   used (all of the ones below give nan or ±inf, never an error);
 * - `pow` gives nan for `nan ^ 0` and 1 for `pow(1, nan)`, `round` rounds halves away from
 *   zero, `least`/`greatest` take two arguments, ignore nan on one side and
 *   do not order -0 below 0: written out, as for DuckDB;
 * - there is no `sign`, `hypot`, `expm1` or `log1p`: sign and hypot are
 *   written out exactly; expm1 and log1p by Kahan's and Goldberg's formulas;
 * - refused, because 18.16 has no way to compute them exactly: `%` (its
 *   `%` truncates both operands to integers and raises on zero), and
 *   `sinh`, `cosh`, `tanh`, `asinh`, `acosh`, `atanh` and `atan2`, which it
 *   does not have.
 * A guard that reads an operand more than once repeats its SQL; the emitter
 * bounds the size of the result.
 */

import {
  boolean,
  double,
  type FunctionSpellings,
  refuse,
  type SqlDialect,
  type Term,
} from "./dialect.js";

const view = new DataView(new ArrayBuffer(8));

/** An exact Float64: an integer below 2^53 as it is, else ±m × 2^e from the double's bits. */
function literal(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "toFloat64('-inf')";
  if (Object.is(value, -0)) return "toFloat64('-0')";
  if (Number.isInteger(value) && Math.abs(value) <= 2 ** 53) return `toFloat64(${value})`;
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = BigInt(high & 0xfffff) * 2n ** 32n + BigInt(view.getUint32(4));
  const mantissa = biased === 0 ? fraction : fraction + 2n ** 52n;
  const exponent = biased === 0 ? -1074 : biased - 1075;
  const sign = value < 0 ? "-" : "";
  return `(toFloat64(${sign}${mantissa}) * pow(toFloat64(2), toFloat64(${exponent})))`;
}

const NAN = "nan";
const INF = "inf";
const ZERO = "toFloat64(0)";
const NEG_ZERO = "toFloat64('-0')";
const ONE = "toFloat64(1)";
const MINUS_ONE = "toFloat64(-1)";

const call =
  (name: string) =>
  (args: readonly string[]): Term =>
    double(`${name}(${args.join(", ")})`);
const missing = (name: string) => (): ReturnType<typeof refuse> =>
  refuse(`ClickHouse 18.16 has no ${name} (a formula of exp and log would round differently)`);
const negativeZero = (x: string): string => `(${x} = 0 AND (1 / ${x}) < 0)`;

/** Math.min / Math.max: nan if any argument is; else the extreme, -0 below +0. */
function extreme(which: "least" | "greatest", args: readonly string[]): Term {
  let value = args[args.length - 1] as string;
  for (let i = args.length - 2; i >= 0; i--) value = `${which}(${args[i]}, ${value})`;
  const anyNan = args.map((a) => `isNaN(${a})`).join(" OR ");
  const zero =
    which === "least"
      ? `if(${args.map(negativeZero).join(" OR ")}, ${NEG_ZERO}, ${ZERO})`
      : `if(${args.map((a) => `(${a} = 0 AND NOT ${negativeZero(a)})`).join(" OR ")}, ${ZERO}, ${NEG_ZERO})`;
  return double(`if(${anyNan}, ${NAN}, if(${value} != 0, ${value}, ${zero}))`);
}

/** Math.hypot as V8 computes it (see duckdb.ts). */
function hypot(args: readonly string[]): Term {
  const abs = args.map((a) => `abs(${a})`);
  const anyInf = args.map((a) => `isInfinite(${a})`).join(" OR ");
  const anyNan = args.map((a) => `isNaN(${a})`).join(" OR ");
  let largest = abs[abs.length - 1] as string;
  for (let i = abs.length - 2; i >= 0; i--) largest = `greatest(${abs[i]}, ${largest})`;
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
    `multiIf(${anyInf}, ${INF}, ${anyNan}, ${NAN}, ${largest} = 0, ${ZERO}, sqrt(${sum}) * ${largest})`,
  );
}

/** Math.pow: 1 when b is ±0 (18.16's pow gives nan for nan^0), nan when |a| = 1 and b is not finite. */
function power(a: string, b: string): Term {
  return double(
    `multiIf(${b} = 0, ${ONE}, abs(${a}) = 1 AND NOT isFinite(${b}), ${NAN}, pow(${a}, ${b}))`,
  );
}

const FUNCTIONS = {
  abs: call("abs"),
  sign: ([x]) => double(`multiIf(${x} > 0, ${ONE}, ${x} < 0, ${MINUS_ONE}, ${x})`),
  sqrt: call("sqrt"),
  cbrt: call("cbrt"),
  exp: call("exp"),
  expm1: ([x]) => {
    const u = `exp(${x})`;
    return double(
      `multiIf(isNaN(${x}), ${x}, ${u} = ${INF}, ${INF}, ${u} = 1, ${x}, (${u} - 1) = -1, ${MINUS_ONE}, (${u} - 1) * (${x} / log(${u})))`,
    );
  },
  log: call("log"),
  log2: call("log2"),
  log10: call("log10"),
  log1p: ([x]) => {
    const u = `(1 + ${x})`;
    return double(
      `multiIf(isNaN(${x}), ${x}, ${x} = -1, toFloat64('-inf'), ${x} < -1, ${NAN}, ${x} = ${INF}, ${INF}, ${u} = 1, ${x}, log(${u}) * (${x} / (${u} - 1)))`,
    );
  },
  sin: call("sin"),
  cos: call("cos"),
  tan: call("tan"),
  asin: call("asin"),
  acos: call("acos"),
  atan: call("atan"),
  sinh: missing("sinh"),
  cosh: missing("cosh"),
  tanh: missing("tanh"),
  asinh: missing("asinh"),
  acosh: missing("acosh"),
  atanh: missing("atanh"),
  floor: call("floor"),
  ceil: call("ceil"),
  trunc: call("trunc"),
  round: ([x]) => double(`if((${x} - floor(${x})) >= 0.5, ceil(${x}), floor(${x}))`),
  atan2: missing("atan2"),
  pow: ([a, b]) => power(a as string, b as string),
  min: (args) => extreme("least", args),
  max: (args) => extreme("greatest", args),
  hypot,
} as const satisfies FunctionSpellings;

const arithmetic =
  (op: string) =>
  (a: string, b: string): Term =>
    double(`(${a} ${op} ${b})`);
const comparison =
  (op: string) =>
  (a: string, b: string): Term =>
    boolean(`(${a} ${op} ${b})`);

/** The ClickHouse dialect. */
export const CLICKHOUSE: SqlDialect = {
  name: "clickhouse",
  title: "ClickHouse",
  doubleType: "Float64",
  literal,
  quote: (name) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``,
  read: (column) => `toFloat64(assumeNotNull(${column}))`,
  truth: (a) => `(${a} != 0)`,
  number: (a) => `toFloat64(${a})`,
  choose: (test, then, otherwise) => `if(${test}, ${then}, ${otherwise})`,
  nullGuard: (columns, value) =>
    columns.length === 0
      ? value
      : `if(${columns.map((c) => `isNull(${c})`).join(" OR ")}, NULL, ${value})`,
  binary: {
    "||": (a, b) => boolean(`(${a} OR ${b})`),
    "&&": (a, b) => boolean(`(${a} AND ${b})`),
    "<": comparison("<"),
    "<=": comparison("<="),
    ">": comparison(">"),
    ">=": comparison(">="),
    "==": comparison("="),
    "!=": comparison("!="),
    "+": arithmetic("+"),
    "-": arithmetic("-"),
    "*": arithmetic("*"),
    "/": arithmetic("/"),
    "%": () =>
      refuse("its % truncates both operands to integers and raises on zero, and 18.16 has no fmod"),
    "^": power,
  },
  unary: {
    // × -1 (exact), not a prefix minus: 18.16 writes -(-x) as --x, a comment, in the
    // query it sends to the shards of a Distributed table.
    "-": (a) => double(`(${a} * ${MINUS_ONE})`),
    // `= 0`, not NOT: 18.16's optimizer drops a double not() on the shards of a Distributed
    // table and then cannot find the column it renamed.
    "!": (a) => boolean(`(${a} = 0)`),
  },
  functions: FUNCTIONS,
  prelude: () => "",
  defineFunction: () => undefined,
};
