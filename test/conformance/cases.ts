/**
 * THE conformance tables, run on every back-end. Expected values are
 * computed by JavaScript itself wherever the language means what JS means
 * (`["3-(2-4)", 3 - (2 - 4)]`), written out only where it does not (truth
 * of NaN, `&&`/`||` giving 1/0).
 */

import type { ErrorKind } from "../../src/errors.js";

/** Variables given to every value case (only those a case uses are passed). */
export const VARS = {
  x: 1.5,
  y: -2.25,
  z: 0,
  nz: -0,
  big: 2 ** 53 + 2,
  tiny: 5e-324,
  constructor: 7,
  __proto__: 11,
  toString: 13,
  valueOf: 17,
  hasOwnProperty: 19,
} as const;

// `__proto__` in an object literal sets the prototype; make it a real own property.
Object.defineProperty(VARS, "__proto__", { value: 11, enumerable: true });

const { x, y } = { x: VARS.x, y: VARS.y };
const pi = Math.PI;

/** [source, expected value]. Variables come from {@link VARS}. */
export const VALUE_CASES: readonly (readonly [string, number])[] = [
  // LANGUAGE.md's examples
  ["1+1.2-5", 1 + 1.2 - 5],
  ["-2^2", -(2 ** 2)],
  ["2^-1", 2 ** -1],
  ["2^3^2", 2 ** (3 ** 2)],
  ["(-2)^2", (-2) ** 2],
  ["2*-3", 2 * -3],
  ["1 ? 2 : 0 ? 3 : 4", 2],
  ["0 ? 2 : 0 ? 3 : 4", 4],
  ["0 ? 2 : 1 ? 3 : 4", 3],
  ["--1", 1],
  ["3-(2-4)", 3 - (2 - 4)],
  ["(1+2)*3", (1 + 2) * 3],
  ["2**3**2", 2 ** (3 ** 2)],
  ["-2**2", -(2 ** 2)],
  // numbers
  ["1.", 1],
  [".5", 0.5],
  ["1e3", 1e3],
  ["1.5E-3", 1.5e-3],
  ["1e999", Number.POSITIVE_INFINITY],
  ["1e-400", 0],
  ["0.1+0.2", 0.1 + 0.2],
  ["9007199254740993", 2 ** 53], // the nearest double to 2^53 + 1
  ["5e-324", 5e-324],
  // arithmetic, JS meaning
  ["1/0", 1 / 0],
  ["-1/0", -1 / 0],
  ["0/0", Number.NaN],
  ["-(0)", -0],
  ["0*-1", -0],
  ["-0+0", 0],
  ["-0-0", -0],
  ["5 % 3", 5 % 3],
  ["-5 % 3", -5 % 3],
  ["5 % -3", 5 % -3],
  ["5.5 % 2", 5.5 % 2],
  ["-0 % 5", -0 % 5],
  ["5 % 0", Number.NaN],
  ["inf % 2", Number.NaN],
  ["2 % inf", 2],
  ["0^0", 0 ** 0],
  ["1^nan", Number.NaN],
  ["nan^0", 1],
  ["(-8)^(1/3)", (-8) ** (1 / 3)],
  ["(-1)^inf", Number.NaN],
  ["(-0)^-1", -Infinity],
  ["0^-1", Infinity],
  ["+x", x],
  ["+-x", -x],
  ["-nz", 0],
  ["x*y+x/y-x%y", x * y + x / y - (x % y)],
  ["(y + x / y) * (x - y / x)", (y + x / y) * (x - y / x)],
  ["1 - ((x * y) + (y / x)) - 3", 1 - (x * y + y / x) - 3],
  // truth: NaN is true, && and || give 1 or 0
  ["!0", 1],
  ["!-0", 1],
  ["!nan", 0],
  ["!2", 0],
  ["!!5", 1],
  ["nan && 1", 1],
  ["2 && 3", 1],
  ["0 && nan", 0],
  ["0 || 0", 0],
  ["0 || -3", 1],
  ["nan || 0", 1],
  ["nan ? 1 : 2", 1],
  ["-0 ? 1 : 2", 2],
  ["z ? 1/z : nz", -0],
  ["1 || 0 && 0", 1],
  ["0 && 1 || 1", 1],
  // comparisons: 1 or 0, IEEE (NaN compares false except !=)
  ["1 < 2", 1],
  ["2 <= 2", 1],
  ["3 > 4", 0],
  ["nan == nan", 0],
  ["nan != nan", 1],
  ["nan < 1", 0],
  ["nan >= nan", 0],
  ["-0 == 0", 1],
  ["(1 < 2) < 3", 1],
  ["1 + 2 < 4", 1],
  [
    "x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)",
    x < y ? x * y : x > 2 && y > 2 ? x - y : x + y,
  ],
  // constants
  ["pi", Math.PI],
  ["e", Math.E],
  ["inf", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["nan", Number.NaN],
  ["2*pi", 2 * pi],
  // functions
  ["abs(-3)", 3],
  ["abs(nz)", 0],
  ["sign(-3)", -1],
  ["sign(nz)", -0],
  ["sign(nan)", Number.NaN],
  ["sqrt(2)", Math.sqrt(2)],
  ["sqrt(-1)", Number.NaN],
  ["sqrt(nz)", -0],
  ["cbrt(27)", Math.cbrt(27)],
  ["exp(1)", Math.exp(1)],
  ["expm1(1e-10)", Math.expm1(1e-10)],
  ["log(10)", Math.log(10)],
  ["log2(8)", Math.log2(8)],
  ["log10(1000)", Math.log10(1000)],
  ["log1p(1e-10)", Math.log1p(1e-10)],
  ["sin(x)", Math.sin(x)],
  ["cos(x)", Math.cos(x)],
  ["tan(x)", Math.tan(x)],
  ["asin(0.5)", Math.asin(0.5)],
  ["acos(0.5)", Math.acos(0.5)],
  ["atan(x)", Math.atan(x)],
  ["sinh(x)", Math.sinh(x)],
  ["cosh(x)", Math.cosh(x)],
  ["tanh(x)", Math.tanh(x)],
  ["asinh(x)", Math.asinh(x)],
  ["acosh(x)", Math.acosh(x)],
  ["atanh(0.5)", Math.atanh(0.5)],
  ["floor(y)", Math.floor(y)],
  ["ceil(y)", Math.ceil(y)],
  ["ceil(-0.5)", -0],
  ["trunc(y)", Math.trunc(y)],
  ["round(2.5)", 3],
  ["round(-2.5)", -2],
  ["round(-0.5)", -0],
  ["round(0.49999999999999994)", 0],
  ["round(nz)", -0],
  ["atan2(1, -1)", Math.atan2(1, -1)],
  ["atan2(nz, -1)", Math.atan2(-0, -1)],
  ["pow(2, 10)", 1024],
  ["pow(x, y)", x ** y],
  ["min(3, 1, 2)", 1],
  ["max(3, 1, 2)", 3],
  ["min(1)", 1],
  ["min(0, nz)", -0],
  ["max(nz, 0)", 0],
  ["min(1, nan, 0)", Number.NaN],
  ["max(nan, 1)", Number.NaN],
  ["hypot(3, 4)", 5],
  ["hypot(3)", 3],
  ["hypot(1, 2, 3, 4)", Math.hypot(1, 2, 3, 4)],
  ["hypot(inf, nan)", Number.POSITIVE_INFINITY],
  ["sin(2 * x) + cos(pi / y)", Math.sin(2 * x) + Math.cos(pi / y)],
  ["abs(x - y) + min(x, y) * max(x, y)", Math.abs(x - y) + Math.min(x, y) * Math.max(x, y)],
  [
    "1.1*x^1 + 2.2*y^2 - 3.3*x^3 + 4.4*y^15 - 5.5*x^23 + 6.6*y^55",
    1.1 * x ** 1 + 2.2 * y ** 2 - 3.3 * x ** 3 + 4.4 * y ** 15 - 5.5 * x ** 23 + 6.6 * y ** 55,
  ],
  // variables: prototype names are ordinary variables
  ["constructor + __proto__", 7 + 11],
  ["toString * valueOf - hasOwnProperty", 13 * 17 - 19],
  ["big + 1", 2 ** 53 + 2 + 1],
  ["tiny / 2", 0],
  ["tiny * -1", -5e-324],
  // layout
  [" \t1\r\n+\n2 ", 3],
];

/** An error every back-end must report identically (the front end raises it). */
export interface ErrorCase {
  readonly source: string;
  readonly kind: ErrorKind;
  readonly offset: number;
  readonly length: number;
  /** A fragment the message must contain. */
  readonly says: string;
}

/** Every error case in LANGUAGE.md and then some, with its exact position. */
export const ERROR_CASES: readonly ErrorCase[] = [
  {
    source: "1 + * 2",
    kind: "syntax",
    offset: 4,
    length: 1,
    says: "expected an operand after '+'",
  },
  {
    source: "a < b < c",
    kind: "syntax",
    offset: 6,
    length: 1,
    says: "comparison operators cannot be chained; use parentheses or &&",
  },
  { source: "1 == 2 != 3", kind: "syntax", offset: 7, length: 2, says: "cannot be chained" },
  { source: "2x", kind: "syntax", offset: 0, length: 2, says: "invalid number '2x'" },
  { source: "0x10", kind: "syntax", offset: 0, length: 4, says: "invalid number '0x10'" },
  { source: "1.2.3", kind: "syntax", offset: 0, length: 5, says: "invalid number '1.2.3'" },
  { source: "1e", kind: "syntax", offset: 0, length: 2, says: "invalid number '1e'" },
  { source: "1 + 1e+", kind: "syntax", offset: 4, length: 3, says: "invalid number '1e+'" },
  { source: "3_000", kind: "syntax", offset: 0, length: 5, says: "invalid number" },
  { source: "2(3)", kind: "syntax", offset: 1, length: 1, says: "no implicit multiplication" },
  { source: "(1)(2)", kind: "syntax", offset: 3, length: 1, says: "no implicit multiplication" },
  { source: "x y", kind: "syntax", offset: 2, length: 1, says: "missing operator before name 'y'" },
  { source: "1 $ 2", kind: "syntax", offset: 2, length: 1, says: "unexpected character '$'" },
  { source: "1 = 2", kind: "syntax", offset: 2, length: 1, says: "'=='" },
  { source: "1 & 2", kind: "syntax", offset: 2, length: 1, says: "'&&'" },
  { source: "1 | 2", kind: "syntax", offset: 2, length: 1, says: "'||'" },
  { source: "1 + é", kind: "syntax", offset: 4, length: 1, says: "U+00E9" },
  { source: "1 + \u0000", kind: "syntax", offset: 4, length: 1, says: "U+0000" },
  { source: "1 + 😀", kind: "syntax", offset: 4, length: 2, says: "U+1F600" },
  { source: ".", kind: "syntax", offset: 0, length: 1, says: "unexpected character '.'" },
  { source: "", kind: "syntax", offset: 0, length: 0, says: "empty expression" },
  { source: "   ", kind: "syntax", offset: 3, length: 0, says: "empty expression" },
  {
    source: "(1+2",
    kind: "syntax",
    offset: 4,
    length: 0,
    says: "expected ')' to close the '(' at 1:1",
  },
  { source: "1+2)", kind: "syntax", offset: 3, length: 1, says: "unmatched ')'" },
  { source: "()", kind: "syntax", offset: 1, length: 1, says: "expected an operand after '('" },
  { source: "1 ? 2", kind: "syntax", offset: 5, length: 0, says: "expected ':'" },
  { source: "1 : 2", kind: "syntax", offset: 2, length: 1, says: "unexpected ':'" },
  {
    source: "max(1, )",
    kind: "syntax",
    offset: 7,
    length: 1,
    says: "expected an operand after ','",
  },
  {
    source: "max(1 2)",
    kind: "syntax",
    offset: 6,
    length: 1,
    says: "expected ',' or ')' in the call of 'max'",
  },
  {
    source: "1 +\n  * 2",
    kind: "syntax",
    offset: 6,
    length: 1,
    says: "expected an operand after '+'",
  },
  { source: "sinn(1)", kind: "name", offset: 0, length: 4, says: "did you mean 'sin'?" },
  { source: "1 + foo(2)", kind: "name", offset: 4, length: 3, says: "unknown function 'foo'" },
  { source: "sin + 1", kind: "name", offset: 0, length: 3, says: "'sin' is a function" },
  { source: "pi(2)", kind: "name", offset: 0, length: 2, says: "'pi' is a constant" },
  {
    source: "sin(1, 2)",
    kind: "arity",
    offset: 0,
    length: 9,
    says: "'sin' takes 1 argument, but was given 2",
  },
  { source: "atan2(1)", kind: "arity", offset: 0, length: 8, says: "'atan2' takes 2 arguments" },
  { source: "2 * min()", kind: "arity", offset: 4, length: 5, says: "at least 1 argument" },
];

/**
 * The extension the user-function cases compile with (LANGUAGE.md, "User
 * constants and functions"): constants, expression functions calling
 * builtins and each other, and host functions (`twice` pure, `sum` one or
 * more arguments, `answer` none). Prototype names are among them.
 */
export const USER_EXTENSION = {
  constants: Object.defineProperty({ g: 9.81, nz: -0, toString: 5 }, "__proto__", {
    value: 0.5,
    enumerable: true,
  }) as Record<string, number>,
  functions: {
    lerp: "lerp(a, b, t) = a + (b - a) * t",
    clamp: "clamp(v, lo, hi) = min(max(v, lo), hi)",
    sq: { params: ["v"], body: "v * v" },
    hyp: "hyp(a, b) = sqrt(sq(a) + sq(b))",
    sgn: "sgn(v) = v < 0 ? -1 : v > 0 ? 1 : v",
    constructor: "constructor(v) = v + 1",
    zero: "zero() = -0",
    twice: { fn: (v: number) => 2 * v, arity: 1, pure: true },
    sum: {
      fn: (...vs: number[]) => vs.reduce((a, b) => a + b, 0),
      arity: [1, Number.POSITIVE_INFINITY] as const,
    },
    answer: { fn: () => 42, arity: 0 },
  },
};

/** User-function cases: [source, expected value, calls a host function]. Variables from {@link VARS}. */
export const USER_VALUE_CASES: readonly (readonly [string, number, boolean])[] = [
  ["g", 9.81, false],
  ["g * x", 9.81 * x, false],
  ["toString + __proto__", 5 + 0.5, false],
  ["nz", -0, false],
  ["-nz", 0, false],
  ["lerp(1, 2, 0.5)", 1 + (2 - 1) * 0.5, false],
  ["lerp(x, y, 0.25)", x + (y - x) * 0.25, false],
  ["clamp(x, 0, 1)", Math.min(Math.max(x, 0), 1), false],
  ["clamp(nz, 0, 1)", Math.min(Math.max(-0, 0), 1), false],
  ["hyp(x, y)", Math.sqrt(x * x + y * y), false],
  ["sgn(nz)", -0, false],
  ["sgn(y)", -1, false],
  ["sgn(0/0)", Number.NaN, false],
  ["constructor(x)", x + 1, false],
  ["zero()", -0, false],
  ["lerp(lerp(0, 1, x), sq(y), clamp(x, 0, 1))", 1.5 + (y * y - 1.5) * 1, false],
  ["z ? hyp(1, 1) : lerp(1, 3, 0.5)", 2, false],
  ["twice(x) + twice(3)", 2 * x + 6, true],
  ["sum(x) + sum(x, y, 1)", x + (x + y + 1), true],
  ["answer() * g", 42 * 9.81, true],
  ["lerp(answer(), sum(1, 2), z)", 42, true],
  ["z && answer()", 0, true],
];

/** User-function mistakes in expressions, with their exact position. */
export const USER_ERROR_CASES: readonly ErrorCase[] = [
  { source: "lerp(1, 2)", kind: "arity", offset: 0, length: 10, says: "'lerp' takes 3 arguments" },
  { source: "lerpp(1, 2, 3)", kind: "name", offset: 0, length: 5, says: "did you mean 'lerp'?" },
  { source: "1 + g(2)", kind: "name", offset: 4, length: 1, says: "'g' is a constant" },
  { source: "sq + 1", kind: "name", offset: 0, length: 2, says: "'sq' is a function" },
  { source: "sum()", kind: "arity", offset: 0, length: 5, says: "at least 1 argument" },
  { source: "answer(1)", kind: "arity", offset: 0, length: 9, says: "'answer' takes 0 arguments" },
  { source: "zero(1)", kind: "arity", offset: 0, length: 7, says: "'zero' takes 0 arguments" },
];
