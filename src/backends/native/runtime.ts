/**
 * The C runtime of the `native` back-end: the few functions where the C
 * library's meaning differs from JavaScript's, written out in C so that the
 * generated code means what LANGUAGE.md says. Each is emitted only when the
 * program uses it, so a dump shows only what the code needs.
 *
 * Kept as TypeScript strings (not a .c file) because the package is built
 * by `tsc` alone, which copies no other assets into dist/.
 */

/** A C helper: its name and its definition. */
export interface CHelper {
  readonly name: string;
  readonly code: string;
}

/**
 * `Math.pow`. C's pow gives 1 for `pow(1, NaN)` and `pow(±1, ±Infinity)`;
 * JavaScript gives NaN. `pow(x, ±0)` is 1 in both, NaN `x` included.
 */
const pow: CHelper = {
  name: "js_pow",
  code: `static double js_pow(double x, double y) {
  if (y == 0) return 1.0;
  if (isnan(y)) return NAN;
  if (isinf(y) && fabs(x) == 1.0) return NAN;
  return pow(x, y);
}`,
};

/**
 * `Math.round`: halves go toward +Infinity and -0 is kept (round(-0.5) is
 * -0). floor(x + 0.5) would be wrong for 0.49999999999999994 (the sum
 * rounds up to 1), so compare the exact fraction x - floor(x) instead.
 */
const round: CHelper = {
  name: "js_round",
  code: `static double js_round(double x) {
  double r = floor(x);
  if (x - r >= 0.5) r += 1.0;
  if (r == 0 && x < 0) return -0.0;
  return r;
}`,
};

/** `Math.sign`: NaN, 0 and -0 come back unchanged. */
const sign: CHelper = {
  name: "js_sign",
  code: `static double js_sign(double x) {
  return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
}`,
};

/** `Math.min` of two: NaN wins (C's fmin drops it) and -0 is below 0. */
const min: CHelper = {
  name: "js_min",
  code: `static double js_min(double a, double b) {
  if (isnan(a) || isnan(b)) return NAN;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}`,
};

/** `Math.max` of two: NaN wins (C's fmax drops it) and 0 is above -0. */
const max: CHelper = {
  name: "js_max",
  code: `static double js_max(double a, double b) {
  if (isnan(a) || isnan(b)) return NAN;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}`,
};

/**
 * `Math.hypot` as V8 computes it (builtins-math.cc), not C's hypot: an
 * infinite argument gives Infinity even beside NaN, then NaN wins, all zeros
 * give +0, else the values are scaled by the largest and their squares
 * summed with Kahan compensation. Doing the same operations in the same
 * order (with contraction off) gives V8's result bit for bit.
 */
const hypot: CHelper = {
  name: "js_hypot",
  code: `static double js_hypot(int n, const double *v) {
  double largest = 0, sum = 0, compensation = 0;
  int nan = 0;
  for (int i = 0; i < n; i++) {
    double a = fabs(v[i]);
    if (isnan(a)) nan = 1;
    else if (largest < a) largest = a;
  }
  if (largest == HUGE_VAL) return HUGE_VAL;
  if (nan) return NAN;
  if (largest == 0) return 0.0;
  for (int i = 0; i < n; i++) {
    double q = fabs(v[i]) / largest;
    double summand = q * q - compensation;
    double preliminary = sum + summand;
    compensation = (preliminary - sum) - summand;
    sum = preliminary;
  }
  return sqrt(sum) * largest;
}`,
};

/**
 * A libm function evaluated in long double and rounded once to double.
 * Used where glibc's double version strays furthest from V8 (measured over
 * 200,000 inputs: cbrt 3 ulp, tanh 3, cosh 2); the wider result, rounded,
 * is all but always the correctly rounded value, which brings cbrt and cosh
 * within 1 ulp of V8 and tanh within 2 (V8's own tanh, like its log10, is
 * up to 2 ulp from the correctly rounded value). Where long double is no
 * wider than double (macOS on arm64, MSVC) the plain function is used.
 */
function wide(name: string): CHelper {
  return {
    name: `js_${name}`,
    code: `#if LDBL_MANT_DIG > DBL_MANT_DIG
static double js_${name}(double x) { return (double)${name}l(x); }
#else
static double js_${name}(double x) { return ${name}(x); }
#endif`,
  };
}

/** Every helper, by the language function (or operator) that needs it. */
export const HELPERS = {
  pow,
  round,
  sign,
  min,
  max,
  hypot,
  cbrt: wide("cbrt"),
  cosh: wide("cosh"),
  tanh: wide("tanh"),
} as const satisfies Record<string, CHelper>;

/** The key of a helper in {@link HELPERS}. */
export type HelperName = keyof typeof HELPERS;

/** Every helper's key, in the fixed order their definitions are emitted. */
export const HELPER_NAMES: readonly HelperName[] = Object.freeze(
  Object.keys(HELPERS) as HelperName[],
);

/**
 * The C library's transcendental functions as the generated code calls
 * them (by way of the helpers too). The compiler is told not to treat them
 * as builtins: GCC would otherwise evaluate a call with a constant argument
 * at compile time with MPFR (correctly rounded) while the same call on a
 * variable gets libm's result, so `expm1(1)` and `expm1(x)` at x = 1 could
 * differ. Exact functions (fabs, sqrt, floor, fmod, ...) stay builtins.
 */
export const LIBM_TRANSCENDENTALS = [
  ...["cbrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan"],
  ...["asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "atan2", "pow"],
  ...["cbrtl", "coshl", "tanhl"],
] as const;

/**
 * The tag the module exports as `abi`; the loader refuses a shared object
 * with another tag. Bump it whenever the generated module's interface
 * (exports, slot layout) changes; it is part of the cache key too.
 */
export const ABI_TAG = "exprjit-native/2";
