/**
 * THE random-expression generator of the test suite (the differential
 * harness, `npm run fuzz`, and the back-ends' own property tests all draw
 * from it): syntax trees of every shape the grammar allows, as trees or as
 * source text; the inputs that find bugs (±0, ±Infinity, NaN, subnormals,
 * 2^53+2) as an arbitrary or as fixed rows; and random text and token
 * soups for the "only ExprError" properties.
 */

import fc from "fast-check";
import { FUNCTION_LIST } from "../../src/semantics/builtins.js";
import type { Expr } from "../../src/syntax/ast.js";
import { BINARY, type BinaryOp, type UnaryOp } from "../../src/syntax/operators.js";
import { print } from "../../src/syntax/print.js";
import { TOKEN_TEXT } from "../../src/syntax/token.js";

/** Variables the generated programs use (prototype names included on purpose). */
export const VARIABLE_NAMES = ["x", "y", "z", "constructor", "__proto__"] as const;

const at = { start: 0, end: 0 };

/** Literal values the parser can produce (never negative, never NaN). */
const literal = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    3,
    0.5,
    0.1,
    10,
    1e-310,
    5e-324,
    2 ** 53 + 2,
    1e308,
    Number.POSITIVE_INFINITY,
  ),
  fc.double({ min: 0, noNaN: true }),
  fc.integer({ min: 0, max: 100 }),
);

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  literal.map((value): Expr => ({ kind: "number", value, ...at })),
  fc
    .constantFrom(...VARIABLE_NAMES, "pi", "e", "inf", "nan")
    .map((name): Expr => ({ kind: "identifier", name, ...at })),
);

const binaryOps = Object.keys(BINARY) as BinaryOp[];
const unaryOps: UnaryOp[] = ["-", "+", "!"];

/** How big the generated trees are. */
export interface ExprOptions {
  /** Levels of operators, calls and conditionals at most (default 6). */
  readonly maxDepth?: number;
  /**
   * How fast fast-check's bias towards leaves grows with depth (default
   * `"small"`: mostly small trees); `"medium"` and up give bushier trees,
   * for tests of what a back-end emits for large code.
   */
  readonly depthSize?: fc.DepthSize;
}

/** Syntax trees of every shape the grammar allows, up to `maxDepth` levels. */
export function exprArbitrary(options: ExprOptions = {}): fc.Arbitrary<Expr> {
  const { maxDepth = 6, depthSize = "small" } = options;
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize, maxDepth, withCrossShrink: true },
      leaf,
      fc
        .record({ op: fc.constantFrom(...unaryOps), operand: tie("expr") })
        .map((r): Expr => ({ kind: "unary", ...r, ...at })),
      fc
        .record({ op: fc.constantFrom(...binaryOps), left: tie("expr"), right: tie("expr") })
        .map((r): Expr => ({ kind: "binary", ...r, opStart: 0, ...at })),
      fc
        .record({ test: tie("expr"), consequent: tie("expr"), alternate: tie("expr") })
        .map((r): Expr => ({ kind: "conditional", ...r, ...at })),
      fc
        .record({
          fn: fc.constantFrom(...FUNCTION_LIST),
          args: fc.array(tie("expr"), { minLength: 1, maxLength: 3 }),
        })
        .map(({ fn, args }): Expr => {
          const count = Math.min(Math.max(args.length, fn.minArgs), fn.maxArgs);
          const padded = Array.from({ length: count }, (_, i) => args[i % args.length] as Expr);
          return { kind: "call", callee: fn.name, nameEnd: 0, args: padded, ...at };
        }),
    ),
  }));
  return expr;
}

/** The same trees as source text (`print`ed, so it parses back to the same shape). */
export function sourceArbitrary(options: ExprOptions = {}): fc.Arbitrary<string> {
  return exprArbitrary(options).map(print);
}

/** Variable values that tell implementations apart. */
export const SPECIAL_VALUES: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  2.5,
  3,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
];

/** The inputs that find bugs, plus any double. */
export const input: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...SPECIAL_VALUES),
  fc.double(),
);

/**
 * Fixed input rows for a program with `count` variables: every special
 * value appears in every position, each row mixing different ones (a test
 * that runs each generated program on all rows needs no random inputs).
 */
export function specialRows(count: number): number[][] {
  const n = SPECIAL_VALUES.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: count }, (_, k) => SPECIAL_VALUES[(i + 5 * k) % n] as number),
  );
}

/** Values for {@link VARIABLE_NAMES}, by name. */
export const inputs = fc
  .tuple(input, input, input, input, input)
  .map((values) =>
    Object.fromEntries(VARIABLE_NAMES.map((name, i) => [name, values[i] as number])),
  );

const tokenTexts = Object.values(TOKEN_TEXT).filter((t) => /^[^a-z ]+$/.test(t));

/** Sequences of plausible tokens glued together in random order. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...tokenTexts),
      fc.constantFrom("1", "2.5", ".5", "1e3", "x", "sin", "pi", "min", "(", ")", " "),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

/** Removes spans so trees parsed from different text compare by shape. */
export function shape(expr: Expr): unknown {
  switch (expr.kind) {
    case "number":
      return ["number", expr.value];
    case "identifier":
      return ["identifier", expr.name];
    case "call":
      return ["call", expr.callee, expr.args.map(shape)];
    case "unary":
      return ["unary", expr.op, shape(expr.operand)];
    case "binary":
      return ["binary", expr.op, shape(expr.left), shape(expr.right)];
    case "conditional":
      return ["conditional", shape(expr.test), shape(expr.consequent), shape(expr.alternate)];
  }
}
