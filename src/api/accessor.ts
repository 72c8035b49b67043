/**
 * The fast checked entry behind `evaluate(vars)`: a small JavaScript
 * function generated for one expression that reads that expression's own
 * variables in straight-line code, checks each is a number, and calls the
 * back-end's `fn`. Anything it is not sure of (another kind of object, a
 * missing or non-number value, a polluted `Object.prototype`) goes to the
 * generic path in inputs.ts, which gives every error message; so the two
 * paths always agree, and the fast one only has to be fast.
 *
 * Why generated: the generic path reads property names held in an array,
 * through lookups that V8 cannot specialise once many expressions share
 * them (about 40 ns a call). Generated per expression, each read has one
 * constant name and one object shape, and V8 inlines `fn` into it.
 *
 * How "own properties only" is kept without a `hasOwn` call per variable
 * (which V8 does not inline, and which costs more than the whole
 * expression): an object whose prototype is `Object.prototype`, where
 * `Object.prototype` has no property of that name, can only give a value
 * for it from its own property. Both facts are checked on every call, in
 * an order V8 folds into the shape check its property loads make anyway
 * (measured: the checks cost nothing where the entry is inlined):
 * `Object.prototype` is asked first (so a getter planted there is never
 * called), the values are read, then the object's prototype is compared.
 * An object of another kind (a class instance with getters for `x` and
 * `y`, an array whose prototype has such getters) may so have its getters
 * called before the generic path refuses it; that path then gives the
 * same error it always gives.
 *
 * Names reach the text only as JSON string literals, and only names the
 * lexer's identifier grammar accepts; any other program (none today) keeps
 * the generic path. The text never contains anything else of the source.
 */

import type { EvalFn } from "../backends/backend.js";
import { isIdentifier } from "./frontend.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { stringify } = JSON;

/** A checked entry: the object or positional values `evaluate` takes → the result. */
export type CheckedEntry = (vars?: unknown) => number;

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const NativeFunction: new (...paramsThenBody: string[]) => unknown = Function;
const { isArray } = Array;
const { getPrototypeOf } = Object;
const OBJECT_PROTOTYPE = Object.prototype;

/** Past this many variables the text would only grow for little gain: the generic path stays. */
export const MAX_ACCESSOR_VARIABLES = 32;

/**
 * The text of the checked entry for `variables`: a factory taking `fn`,
 * the generic entry `slow` and the captured built-ins, returning
 * `Evaluate(o)`. Undefined when the names cannot be spelled safely or are
 * too many.
 */
export function accessorText(variables: readonly string[]): string | undefined {
  if (variables.length > MAX_ACCESSOR_VARIABLES) return undefined;
  // The names a generated entry may spell out: what the lexer accepts as a variable.
  if (!variables.every(isIdentifier)) return undefined;
  const count = variables.length;
  if (count === 0) {
    return [
      '"use strict";',
      "return function Evaluate(o) {",
      "  if (o === undefined) return fn();",
      "  return slow(o);",
      "};",
    ].join("\n");
  }
  const keys = variables.map((name) => stringify(name));
  const named = variables.map((_, i) => `a${i}`);
  const listed = variables.map((_, i) => `b${i}`);
  const numbers = (values: string[]) => values.map((v) => `typeof ${v} === "number"`).join(" && ");
  return [
    '"use strict";',
    "return function Evaluate(o) {",
    `  let ${named.join(", ")};`,
    // A missing object throws on the first read; only that goes to the generic path from
    // here (anything else thrown, by a getter, is the caller's). A test of `o` against
    // null before the reads would be simpler, and costs V8 more than the whole expression.
    "  try {",
    `    if (${keys.map((key) => `!(${key} in P)`).join(" && ")}) {`,
    ...keys.map((key, i) => `      a${i} = o[${key}];`),
    "    }",
    "  } catch (error) {",
    "    if (o === undefined || o === null) return slow(o);",
    "    throw error;",
    "  }",
    `  if (${numbers(named)} && getPrototypeOf(o) === P) return fn(${named.join(", ")});`,
    `  if (isArray(o) && o.length === ${count}) {`,
    ...listed.map((b, i) => `    const ${b} = o[${i}];`),
    `    if (${numbers(listed)}) return fn(${listed.join(", ")});`,
    "  }",
    "  return slow(o);",
    "};",
  ].join("\n");
}

/**
 * The checked entry for an expression with `variables`, calling `fn` and
 * falling back to `slow`; undefined where code may not be generated from
 * strings (a Content-Security-Policy without 'unsafe-eval') or the names
 * cannot be spelled, in which case `slow` is the entry.
 */
export function generateAccessor(
  variables: readonly string[],
  fn: EvalFn,
  slow: CheckedEntry,
): CheckedEntry | undefined {
  const text = accessorText(variables);
  if (text === undefined) return undefined;
  let factory: unknown;
  try {
    factory = new NativeFunction("fn", "slow", "getPrototypeOf", "isArray", "P", text);
  } catch {
    // EvalError where the engine forbids generating code: the generic path is the entry.
    return undefined;
  }
  return (factory as (...bound: unknown[]) => CheckedEntry)(
    fn,
    slow,
    getPrototypeOf,
    isArray,
    OBJECT_PROTOTYPE,
  );
}
