/**
 * THE precedence table. The parser climbs it and the printer reads it to
 * decide where parentheses are needed; nothing else restates precedence.
 *
 * Levels, lowest first: conditional 0, `||` 1, `&&` 2, comparison 3,
 * sum 4, product 5, prefix 6, power 7, primary 8.
 */

import { TOKEN_TYPES, type TokenType } from "./token.js";

/** Associativity of a binary operator; comparisons do not chain at all. */
export type Assoc = "left" | "right" | "none";

/** A binary operator: its precedence level and associativity. */
export interface BinaryInfo {
  readonly level: number;
  readonly assoc: Assoc;
}

/** Binary operators as stored in the AST (`**` is stored as `^`). */
export const BINARY = {
  "||": { level: 1, assoc: "left" },
  "&&": { level: 2, assoc: "left" },
  "<": { level: 3, assoc: "none" },
  "<=": { level: 3, assoc: "none" },
  ">": { level: 3, assoc: "none" },
  ">=": { level: 3, assoc: "none" },
  "==": { level: 3, assoc: "none" },
  "!=": { level: 3, assoc: "none" },
  "+": { level: 4, assoc: "left" },
  "-": { level: 4, assoc: "left" },
  "*": { level: 5, assoc: "left" },
  "/": { level: 5, assoc: "left" },
  "%": { level: 5, assoc: "left" },
  "^": { level: 7, assoc: "right" },
} as const satisfies Record<string, BinaryInfo>;

/** A binary operator. */
export type BinaryOp = keyof typeof BINARY;

/** Prefix operators (all at level 6). */
export const UNARY = { "-": "MINUS", "+": "PLUS", "!": "BANG" } as const satisfies Record<
  string,
  TokenType
>;

/** A prefix operator. */
export type UnaryOp = keyof typeof UNARY;

/** Named levels that are not binary operators. */
export const LEVEL = {
  conditional: 0,
  or: 1,
  comparison: 3,
  prefix: 6,
  power: 7,
  primary: 8,
} as const;

/** Which token spells which binary operator (`**` and `^` both spell power). */
export const BINARY_TOKENS: Partial<Record<TokenType, BinaryOp>> = {
  OR_OR: "||",
  AND_AND: "&&",
  LT: "<",
  LE: "<=",
  GT: ">",
  GE: ">=",
  EQ_EQ: "==",
  BANG_EQ: "!=",
  PLUS: "+",
  MINUS: "-",
  STAR: "*",
  SLASH: "/",
  PERCENT: "%",
  CARET: "^",
  STAR_STAR: "^",
};

/** Which token spells which prefix operator. */
export const UNARY_TOKENS: Partial<Record<TokenType, UnaryOp>> = {
  MINUS: "-",
  PLUS: "+",
  BANG: "!",
};

/** A binary operator with its table entry, as the parser looks it up by token kind. */
export interface BinaryEntry extends BinaryInfo {
  readonly op: BinaryOp;
}

/** The binary operator each token kind spells, if any (derived from the tables above). */
export const BINARY_BY_KIND: readonly (BinaryEntry | undefined)[] = TOKEN_TYPES.map((type) => {
  const op = BINARY_TOKENS[type];
  return op === undefined ? undefined : { op, ...BINARY[op] };
});

/** The prefix operator each token kind spells, if any. */
export const UNARY_BY_KIND: readonly (UnaryOp | undefined)[] = TOKEN_TYPES.map(
  (type) => UNARY_TOKENS[type],
);

/** Is `op` a comparison (level 3)? */
export function isComparison(op: BinaryOp): boolean {
  return BINARY[op].level === LEVEL.comparison;
}
