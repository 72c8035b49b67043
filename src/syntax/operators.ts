/**
 * THE operator table: every operator of the language, written once, with
 * everything any stage needs to know about it. The lexer's token kinds map
 * onto it, the parser climbs its precedence levels, the printer reads them
 * to place parentheses, the reference evaluator (semantics/evaluate.ts)
 * applies its meanings, the lowering pass reads which results are 0 or 1,
 * and the vm compiler reads the mirrors. Each back-end maps every operator
 * to its own spelling in a full `Record<BinaryOp, …>`, so an operator added
 * here and not handled by a back-end is a type error, never a silent
 * default.
 *
 * Levels, lowest first: conditional 0, `||` 1, `&&` 2, comparison 3,
 * sum 4, product 5, prefix 6, power 7, primary 8.
 */

import { KIND, TOKEN_TYPES, type TokenType } from "./token.js";

/** Associativity of a binary operator; comparisons do not chain at all. */
export type Assoc = "left" | "right" | "none";

/**
 * How a binary operator evaluates its operands:
 * - `arithmetic`: both, left then right; the value is any number;
 * - `comparison`: both, left then right; the value is 1 or 0;
 * - `logical`: the left first, the right only if the left does not decide
 *   (see {@link BinarySpec.decides}); the value is 1 or 0.
 */
export type BinaryClass = "arithmetic" | "comparison" | "logical";

/** Truth of a value: anything but ±0 is true, NaN included (as in C, unlike JS). */
export function truthy(value: number): boolean {
  return value !== 0;
}

/** Everything known about one binary operator. */
export interface BinarySpec {
  /** The token kinds that spell it; the operator's own text (the table key) is how it prints. */
  readonly tokens: readonly TokenType[];
  /** Precedence level (see the file comment). */
  readonly level: number;
  readonly assoc: Assoc;
  readonly class: BinaryClass;
  /**
   * The meaning, on the values of both operands: the reference every
   * back-end must match bit for bit. For a `logical` operator it is the
   * value once the right operand had to be evaluated.
   */
  readonly apply: (a: number, b: number) => number;
  /** Whether every result is exactly +0 or 1. */
  readonly zeroOrOne: boolean;
  /**
   * The operator `m` with `a op b` identical to `b m a` for every pair of
   * numbers (IEEE-754 `+` and `*` commute, comparisons mirror); undefined
   * where there is none. Only pure operands may be swapped this way.
   */
  readonly mirror: string | undefined;
  /**
   * `logical` only: the truth of the left operand that decides the result
   * alone, without evaluating the right one (false for `&&`, true for
   * `||`); the result is then that truth as 1 or 0.
   */
  readonly decides: boolean | undefined;
}

/** `Math.pow`, captured when this module loads, so later patching cannot change a result. */
const pow = Math.pow;

const arithmetic = (
  token: TokenType,
  level: number,
  apply: (a: number, b: number) => number,
  mirror?: string,
): BinarySpec & { readonly class: "arithmetic" } => ({
  tokens: [token],
  level,
  assoc: "left",
  class: "arithmetic",
  apply,
  zeroOrOne: false,
  mirror,
  decides: undefined,
});

const comparison = (
  token: TokenType,
  apply: (a: number, b: number) => boolean,
  mirror: string,
): BinarySpec & { readonly class: "comparison" } => ({
  tokens: [token],
  level: 3,
  assoc: "none",
  class: "comparison",
  apply: (a, b) => (apply(a, b) ? 1 : 0),
  zeroOrOne: true,
  mirror,
  decides: undefined,
});

const logical = (
  token: TokenType,
  level: number,
  when: boolean,
): BinarySpec & { readonly class: "logical" } => ({
  tokens: [token],
  level,
  assoc: "left",
  class: "logical",
  apply: (_a, b) => (truthy(b) ? 1 : 0),
  zeroOrOne: true,
  mirror: undefined,
  decides: when,
});

/** Every binary operator, as stored in the AST (`**` is stored as `^`). */
export const BINARY = {
  // `a || b` is 1 as soon as `a` is true; `a && b` is 0 as soon as `a` is false.
  "||": logical("OR_OR", 1, true),
  "&&": logical("AND_AND", 2, false),
  "<": comparison("LT", (a, b) => a < b, ">"),
  "<=": comparison("LE", (a, b) => a <= b, ">="),
  ">": comparison("GT", (a, b) => a > b, "<"),
  ">=": comparison("GE", (a, b) => a >= b, "<="),
  "==": comparison("EQ_EQ", (a, b) => a === b, "=="),
  "!=": comparison("BANG_EQ", (a, b) => a !== b, "!="),
  "+": arithmetic("PLUS", 4, (a, b) => a + b, "+"),
  "-": arithmetic("MINUS", 4, (a, b) => a - b),
  "*": arithmetic("STAR", 5, (a, b) => a * b, "*"),
  "/": arithmetic("SLASH", 5, (a, b) => a / b),
  // JavaScript's `%`: the truncated remainder, with the sign of `a` (C's fmod).
  "%": arithmetic("PERCENT", 5, (a, b) => a % b),
  "^": {
    ...arithmetic("CARET", 7, pow),
    tokens: ["CARET", "STAR_STAR"],
    assoc: "right",
  },
} as const satisfies Record<string, BinarySpec>;

/** A binary operator. */
export type BinaryOp = keyof typeof BINARY;

/** The binary operators of one class. */
export type BinaryOpOf<C extends BinaryClass> = {
  [Op in BinaryOp]: (typeof BINARY)[Op] extends { readonly class: C } ? Op : never;
}[BinaryOp];

/** `&&` and `||`: they evaluate their right side only when the left does not decide. */
export type LogicalOp = BinaryOpOf<"logical">;

/** Whether `op` is a logical operator. */
export function isLogical(op: BinaryOp): op is LogicalOp {
  return BINARY[op].class === "logical";
}

/**
 * The truth of the left operand that decides a logical operator alone
 * (false for `&&`, true for `||`); the result is then that truth as 0 or 1.
 */
export function decidingTruth(op: LogicalOp): boolean {
  return BINARY[op].decides as boolean;
}

/** The mirror of `op` (see {@link BinarySpec.mirror}), if it has one. */
export function mirrorOf(op: BinaryOp): BinaryOp | undefined {
  return BINARY[op].mirror as BinaryOp | undefined;
}

/** Everything known about one prefix operator (all bind at level 6). */
export interface UnarySpec {
  /** The token kind that spells it. */
  readonly token: TokenType;
  /** The meaning: the reference every back-end must match bit for bit. */
  readonly apply: (a: number) => number;
  /** Whether every result is exactly +0 or 1. */
  readonly zeroOrOne: boolean;
}

/** Every prefix operator. */
export const UNARY = {
  "-": { token: "MINUS", apply: (a) => -a, zeroOrOne: false },
  // `+a` is `a`; resolve drops it, so no back-end ever sees it.
  "+": { token: "PLUS", apply: (a) => a, zeroOrOne: false },
  "!": { token: "BANG", apply: (a) => (truthy(a) ? 0 : 1), zeroOrOne: true },
} as const satisfies Record<string, UnarySpec>;

/** A prefix operator. */
export type UnaryOp = keyof typeof UNARY;

/** The prefix operators a resolved program holds (`+a` is gone by then). */
export type ProgramUnaryOp = Exclude<UnaryOp, "+">;

/** Named levels that are not binary operators. */
export const LEVEL = {
  conditional: 0,
  or: BINARY["||"].level,
  comparison: 3,
  prefix: 6,
  power: BINARY["^"].level,
  primary: 8,
} as const;

/** A binary operator with its table entry, as the parser looks it up by token kind. */
export interface BinaryEntry {
  readonly op: BinaryOp;
  readonly level: number;
  readonly assoc: Assoc;
}

/** The binary operator each token kind spells, if any (derived from {@link BINARY}). */
export const BINARY_BY_KIND: readonly (BinaryEntry | undefined)[] = byKind(
  Object.entries(BINARY).flatMap(([op, spec]) =>
    spec.tokens.map((token) => [
      token,
      { op: op as BinaryOp, level: spec.level, assoc: spec.assoc },
    ]),
  ),
);

/** The prefix operator each token kind spells, if any (derived from {@link UNARY}). */
export const UNARY_BY_KIND: readonly (UnaryOp | undefined)[] = byKind(
  Object.entries(UNARY).map(([op, spec]) => [spec.token, op as UnaryOp]),
);

/** An array indexed by token kind, from (token type, value) pairs; undefined elsewhere. */
function byKind<T>(pairs: readonly (readonly [TokenType, T])[]): (T | undefined)[] {
  const table = TOKEN_TYPES.map((): T | undefined => undefined);
  for (const [token, value] of pairs) table[KIND[token]] = value;
  return table;
}
