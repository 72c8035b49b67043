/**
 * Random expressions for the wasm tests: fully parenthesised source text
 * over x, y, z using every operator and builtin, with literals chosen to
 * hit the edge cases (±0, NaN, ±Infinity, subnormals, halves).
 */

import fc from "fast-check";
import { FUNCTION_LIST } from "../../../src/semantics/builtins.js";

const LITERALS = [
  "0",
  "(-0)",
  "1",
  "2",
  "3",
  "0.5",
  "2.5",
  "0.1",
  "1e308",
  "5e-324",
  "inf",
  "nan",
  "pi",
  "e",
];
const BINARY = ["+", "-", "*", "/", "%", "^", "<", "<=", ">", ">=", "==", "!=", "&&", "||"];

const leaf = fc.constantFrom("x", "y", "z", "x", "y", ...LITERALS);

/** Arguments for a call of `fn`: between its fewest and at most 3. */
function call(sub: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .constantFrom(...FUNCTION_LIST)
    .chain((fn) =>
      fc
        .array(sub, { minLength: fn.minArgs, maxLength: Math.min(fn.maxArgs, 3) })
        .map((args) => `${fn.name}(${args.join(", ")})`),
    );
}

/** An expression at most `depth` operators deep. */
export function expression(depth: number): fc.Arbitrary<string> {
  if (depth === 0) return leaf;
  const sub = expression(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 1 },
    {
      arbitrary: fc.tuple(fc.constantFrom("-", "!"), sub).map(([op, a]) => `${op}(${a})`),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(sub, fc.constantFrom(...BINARY), sub)
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      weight: 4,
    },
    { arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `(${c} ? ${a} : ${b})`), weight: 1 },
    { arbitrary: call(sub), weight: 2 },
  );
}

/** Variable values that tell implementations apart. */
export const SPECIAL_VALUES = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  3,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  2 ** 53 + 2,
];

/** Input vectors for a program with `count` variables: each special value, then mixes. */
export function inputs(count: number): number[][] {
  const rows: number[][] = [];
  const n = SPECIAL_VALUES.length;
  for (let i = 0; i < n; i++) {
    rows.push(Array.from({ length: count }, (_, k) => SPECIAL_VALUES[(i + 5 * k) % n] as number));
  }
  return rows;
}
