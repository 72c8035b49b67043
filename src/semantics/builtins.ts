/**
 * THE builtin table: every function and constant of the language, written
 * once. Resolve checks names and arity against it, every back-end reads its
 * implementation or C name from it, and the docs list it.
 *
 * The JavaScript implementations are captured here, at load time, so that
 * code which later replaces `Math.sin` cannot change a result.
 *
 * Names an application adds (constants, host functions, expression
 * functions; validated in extension.ts) join this table's lookup through
 * {@link lookupName}: resolve asks one function, which tries the builtins
 * first and then the user's names, so there is no second path beside it.
 */

/** A function of the language. */
export interface FunctionSpec {
  /** Fewest arguments. */
  readonly minArgs: number;
  /** Most arguments (`Infinity` for `min`, `max`, `hypot`). */
  readonly maxArgs: number;
  /** The JavaScript meaning; every back-end must agree with it bit for bit. */
  readonly js: (...args: number[]) => number;
  /**
   * Whether a libm outside the JS engine may differ from V8 in the last place
   * (the transcendental functions and `pow`; see LANGUAGE.md "Exactness").
   */
  readonly transcendental: boolean;
}

const unary = (js: (x: number) => number, transcendental = true): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  js,
  transcendental,
});
const binary = (js: (x: number, y: number) => number): FunctionSpec => ({
  minArgs: 2,
  maxArgs: 2,
  js,
  transcendental: true,
});
const variadic = (js: (...values: number[]) => number, transcendental: boolean): FunctionSpec => ({
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  js,
  transcendental,
});

/** Every function, by name. Each is the `Math` function of the same name. */
export const FUNCTIONS = {
  abs: unary(Math.abs, false),
  sign: unary(Math.sign, false),
  sqrt: unary(Math.sqrt, false),
  cbrt: unary(Math.cbrt),
  exp: unary(Math.exp),
  expm1: unary(Math.expm1),
  log: unary(Math.log),
  log2: unary(Math.log2),
  log10: unary(Math.log10),
  log1p: unary(Math.log1p),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  tanh: unary(Math.tanh),
  asinh: unary(Math.asinh),
  acosh: unary(Math.acosh),
  atanh: unary(Math.atanh),
  floor: unary(Math.floor, false),
  ceil: unary(Math.ceil, false),
  trunc: unary(Math.trunc, false),
  round: unary(Math.round, false),
  atan2: binary(Math.atan2),
  pow: binary(Math.pow),
  min: variadic(Math.min, false),
  max: variadic(Math.max, false),
  hypot: variadic(Math.hypot, true),
} as const satisfies Record<string, FunctionSpec>;

/** The name of a function. */
export type FunctionName = keyof typeof FUNCTIONS;

/** A function with its name and its index in {@link FUNCTION_LIST}. */
export interface Builtin extends FunctionSpec {
  readonly name: FunctionName;
  /** Stable index: bytecode and generated code refer to a function by it. */
  readonly index: number;
}

/** Every function in table order, with its index. */
export const FUNCTION_LIST: readonly Builtin[] = Object.entries(FUNCTIONS).map(
  ([name, spec], index) => Object.freeze({ ...spec, name: name as FunctionName, index }),
);

const BY_NAME: ReadonlyMap<string, Builtin> = new Map(FUNCTION_LIST.map((f) => [f.name, f]));

/** The function called `name`, if there is one (never reaches `Object.prototype`). */
export function lookupFunction(name: string): Builtin | undefined {
  return BY_NAME.get(name);
}

/** The constants: reserved names that cannot be bound as variables. */
export const CONSTANTS = {
  pi: Math.PI,
  e: Math.E,
  inf: Number.POSITIVE_INFINITY,
  nan: Number.NaN,
} as const satisfies Record<string, number>;

/** The name of a constant. */
export type ConstantName = keyof typeof CONSTANTS;

const CONSTANT_MAP: ReadonlyMap<string, number> = new Map(Object.entries(CONSTANTS));

/** The value of the constant called `name`, if there is one. */
export function lookupConstant(name: string): number | undefined {
  return CONSTANT_MAP.get(name);
}
