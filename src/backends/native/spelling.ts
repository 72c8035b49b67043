/**
 * How each language function (and `^`) is spelled in C, and how far from
 * V8 its result may be: the one table of native's exactness allowance. The
 * back-end's summary, its `explain` line, the README sentence and the test
 * bounds all read {@link C_FUNCTIONS} (through the functions below), so the
 * allowance is stated once.
 *
 * The allowances are the measured distance from V8 (test/backends/native/
 * libm.test.ts holds every entry to its figure). Functions whose C spelling
 * is exact by IEEE 754 (fabs, sqrt, floor, ...) or written out to do V8's
 * operations (runtime.ts) are 0. log10 and tanh are 2 because V8's own are
 * up to 2 ulp from the correctly rounded value, which glibc gives.
 */

import type { FunctionName } from "../../semantics/builtins.js";
import type { HelperName } from "./runtime.js";

/** How a language function is spelled in C, with its allowance in ulp. */
export type CFunction =
  /** A C library function with the JS meaning up to `ulp`. */
  | { readonly kind: "libm"; readonly name: string; readonly ulp: number }
  /** A runtime helper taking the arguments as they are. */
  | { readonly kind: "helper"; readonly helper: HelperName; readonly ulp: number }
  /** A two-argument helper folded over 1 or more arguments (min, max). */
  | { readonly kind: "fold"; readonly helper: HelperName; readonly ulp: 0 }
  /** A helper taking a count and an array (hypot). */
  | { readonly kind: "array"; readonly helper: HelperName; readonly ulp: 0 };

const libm = (name: string, ulp: number): CFunction => ({ kind: "libm", name, ulp });
const helper = (name: HelperName, ulp: number): CFunction => ({
  kind: "helper",
  helper: name,
  ulp,
});

/** The C spelling of every builtin; a missing one is a type error. */
export const C_FUNCTIONS = {
  abs: libm("fabs", 0),
  sign: helper("sign", 0),
  sqrt: libm("sqrt", 0),
  cbrt: helper("cbrt", 1),
  exp: libm("exp", 1),
  expm1: libm("expm1", 1),
  log: libm("log", 1),
  log2: libm("log2", 1),
  log10: libm("log10", 2),
  log1p: libm("log1p", 1),
  sin: libm("sin", 1),
  cos: libm("cos", 1),
  tan: libm("tan", 1),
  asin: libm("asin", 1),
  acos: libm("acos", 1),
  atan: libm("atan", 1),
  sinh: libm("sinh", 1),
  cosh: helper("cosh", 1),
  tanh: helper("tanh", 2),
  asinh: libm("asinh", 1),
  acosh: libm("acosh", 1),
  atanh: libm("atanh", 1),
  floor: libm("floor", 0),
  ceil: libm("ceil", 0),
  trunc: libm("trunc", 0),
  round: helper("round", 0),
  atan2: libm("atan2", 1),
  pow: helper("pow", 1),
  min: { kind: "fold", helper: "min", ulp: 0 },
  max: { kind: "fold", helper: "max", ulp: 0 },
  hypot: { kind: "array", helper: "hypot", ulp: 0 },
} as const satisfies Record<FunctionName, CFunction>;

/** `x % y`: libm's fmod is JavaScript's `%` exactly (the truncated remainder, with the sign of x). */
export const REMAINDER_OPERATOR: CFunction = { kind: "libm", name: "fmod", ulp: 0 };

/** `x ^ y`: the same helper, and so the same allowance, as `pow(x, y)`. */
export const POWER_OPERATOR: CFunction = C_FUNCTIONS.pow;

/** Greatest distance from V8, in ulp, of native's `name` (0 for an exact one). */
export function allowanceOf(name: FunctionName): number {
  return C_FUNCTIONS[name].ulp;
}

/**
 * The allowance as a sentence fragment, for `explain`, the summary and the
 * README: the most common non-zero figure, then the exceptions, e.g.
 * `"1 ulp; 2 for log10 and tanh"`.
 */
export function allowanceSentence(): string {
  return SENTENCE;
}

// Worked out once, at load, so that nothing later depends on globals a program may replace.
const SENTENCE = allowanceText();

function allowanceText(): string {
  const byUlp = new Map<number, string[]>();
  for (const [name, spelling] of Object.entries(C_FUNCTIONS)) {
    if (spelling.ulp === 0) continue;
    const names = byUlp.get(spelling.ulp) ?? [];
    names.push(name);
    byUlp.set(spelling.ulp, names);
  }
  const ranked = [...byUlp.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  const [common, ...others] = ranked;
  if (common === undefined) return "0 ulp";
  const exceptions = others
    .sort((a, b) => a[0] - b[0])
    .map(([ulp, names]) => `${ulp} for ${listed(names.sort())}`);
  return [`${common[0]} ulp`, ...exceptions].join("; ");
}

/** `a`, `a and b`, `a, b and c`. */
function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
