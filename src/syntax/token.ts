/**
 * Tokens: what the lexer produces and the parser reads. A token is its type
 * and its span; the text is sliced from the source only when needed.
 */

/** Every token type, with the text it stands for (for messages and dumps). */
export const TOKEN_TEXT = {
  NUMBER: "number",
  IDENT: "name",
  PLUS: "+",
  MINUS: "-",
  STAR: "*",
  SLASH: "/",
  PERCENT: "%",
  CARET: "^",
  STAR_STAR: "**",
  LPAREN: "(",
  RPAREN: ")",
  COMMA: ",",
  QUESTION: "?",
  COLON: ":",
  LT: "<",
  LE: "<=",
  GT: ">",
  GE: ">=",
  EQ_EQ: "==",
  BANG_EQ: "!=",
  AND_AND: "&&",
  OR_OR: "||",
  BANG: "!",
  // v3: bindings, `name = value;`.
  EQ: "=",
  SEMICOLON: ";",
  EOF: "end of input",
} as const;

/** The type of a token. */
export type TokenType = keyof typeof TOKEN_TEXT;

/** Every token type, in table order; a token's `kind` is its index here. */
export const TOKEN_TYPES = Object.keys(TOKEN_TEXT) as TokenType[];

/**
 * Token type → small integer. The lexer and parser index arrays by it: V8
 * looks up a property by a varying string key through a slow generic path,
 * and an array element by index directly.
 */
export const KIND = Object.fromEntries(TOKEN_TYPES.map((type, i) => [type, i])) as Record<
  TokenType,
  number
>;

/** Length of each operator's text, by kind (0 for NUMBER, IDENT and EOF). */
export const OPERATOR_LENGTH: readonly number[] = TOKEN_TYPES.map((type) =>
  type === "NUMBER" || type === "IDENT" || type === "EOF" ? 0 : TOKEN_TEXT[type].length,
);

/** One token: its type and span; `value` is set for NUMBER. */
export interface Token {
  readonly type: TokenType;
  readonly start: number;
  readonly end: number;
  /** The number's value (NUMBER only; 0 otherwise). */
  readonly value: number;
}

/** How a token reads in a message: `'*'`, `number '12'`, `name 'x'`, `end of input`. */
export function describeToken(token: Token, source: string): string {
  const text = source.slice(token.start, token.end);
  switch (token.type) {
    case "NUMBER":
      return `number '${text}'`;
    case "IDENT":
      return `name '${text}'`;
    case "EOF":
      return "end of input";
    default:
      return `'${text}'`;
  }
}
