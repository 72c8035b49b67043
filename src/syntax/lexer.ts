/**
 * The lexer: source text → tokens with spans. It is a cursor (the parser
 * asks for one token at a time and reads its fields), so lexing allocates
 * nothing per token; `tokenize` collects the tokens for dumps. It never
 * recurses and reads each character once, so any input ends in tokens or
 * an ExprSyntaxError at the offending character.
 */

import { ExprSyntaxError } from "../errors.js";
import { TOKEN_TEXT, type Token, type TokenType } from "./token.js";

/** Reads tokens one at a time; the current one is in `type`, `start`, `end`, `value`. */
export class Lexer {
  type: TokenType = "EOF";
  start = -1;
  end = 0;
  /** The number's value when `type` is NUMBER. */
  value = 0;
  /** Span of the token before the current one (-1 before the first). */
  previousStart = -1;
  previousEnd = -1;

  constructor(readonly source: string) {}

  /** The current token as an object (for messages and dumps). */
  token(): Token {
    const value = this.type === "NUMBER" ? this.value : 0;
    return { type: this.type, start: this.start, end: this.end, value };
  }

  /** Moves to the next token. Throws ExprSyntaxError on a bad character or number. */
  advance(): void {
    this.previousStart = this.start;
    this.previousEnd = this.end;
    const source = this.source;
    const n = source.length;
    let i = this.end;
    let c = source.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = source.charCodeAt(++i);
    this.start = i;
    if (i >= n) {
      this.set("EOF", i);
    } else if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      this.number(i);
    } else if (isIdentStart(c)) {
      while (isIdentPart(source.charCodeAt(++i)));
      this.set("IDENT", i);
    } else {
      const type = operatorAt(c, source.charCodeAt(i + 1));
      if (type === undefined) throw unexpectedCharacter(source, i);
      this.set(type, i + TOKEN_TEXT[type].length);
    }
  }

  /** Is the next character that is not white space `(`? (A name followed by `(` is a call.) */
  nextIsOpenParen(): boolean {
    const source = this.source;
    let i = this.end;
    let c = source.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = source.charCodeAt(++i);
    return c === 40;
  }

  private set(type: TokenType, end: number): void {
    this.type = type;
    this.end = end;
  }

  /**
   * `digits ["." digits*] [exponent]` or `"." digits [exponent]`. A number
   * run straight into a letter, digit, `_` or `.` (or a digit-less exponent)
   * is one bad token, reported whole: `2x`, `0x10`, `1.2.3`, `1e`, `1e+`.
   */
  private number(start: number): void {
    const source = this.source;
    let i = skipDigits(source, start);
    const digitsEnd = i;
    if (source.charCodeAt(i) === 46) i = skipDigits(source, i + 1);
    let bad = false;
    const e = source.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = source.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (isDigit(source.charCodeAt(j))) i = skipDigits(source, j);
      else {
        bad = true;
        i = j;
      }
    }
    if (bad || isNumberTail(source.charCodeAt(i))) {
      while (isNumberTail(source.charCodeAt(i))) i++;
      throw new ExprSyntaxError(`invalid number '${source.slice(start, i)}'`, source, {
        offset: start,
        length: i - start,
      });
    }
    const integer = i === digitsEnd && i - start <= 15;
    this.value = integer ? integerValue(source, start, i) : Number(source.slice(start, i));
    this.set("NUMBER", i);
  }
}

/** The operator or punctuation starting with char code `c` (then `next`), longest first. */
function operatorAt(c: number, next: number): TokenType | undefined {
  switch (c) {
    case 43:
      return "PLUS"; // +
    case 45:
      return "MINUS"; // -
    case 47:
      return "SLASH"; // /
    case 37:
      return "PERCENT"; // %
    case 94:
      return "CARET"; // ^
    case 40:
      return "LPAREN"; // (
    case 41:
      return "RPAREN"; // )
    case 44:
      return "COMMA"; // ,
    case 63:
      return "QUESTION"; // ?
    case 58:
      return "COLON"; // :
    case 42:
      return next === 42 ? "STAR_STAR" : "STAR"; // * **
    case 60:
      return next === 61 ? "LE" : "LT"; // < <=
    case 62:
      return next === 61 ? "GE" : "GT"; // > >=
    case 33:
      return next === 61 ? "BANG_EQ" : "BANG"; // ! !=
    case 61:
      return next === 61 ? "EQ_EQ" : undefined; // ==
    case 38:
      return next === 38 ? "AND_AND" : undefined; // &&
    case 124:
      return next === 124 ? "OR_OR" : undefined; // ||
    default:
      return undefined;
  }
}

/** Every token of `source`, ending with EOF (for dumps and tests). Throws ExprSyntaxError. */
export function tokenize(source: string): Token[] {
  const lexer = new Lexer(source);
  const tokens: Token[] = [];
  do {
    lexer.advance();
    tokens.push(lexer.token());
  } while (lexer.type !== "EOF");
  return tokens;
}

/** A run of at most 15 digits is an integer below 2^53: exact without `Number(text)`. */
function integerValue(source: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (source.charCodeAt(i) - 48);
  return value;
}

function skipDigits(source: string, i: number): number {
  while (isDigit(source.charCodeAt(i))) i++;
  return i;
}

/** Near misses get a hint: `=` → `==`, `&` → `&&`, `|` → `||`. */
const HINTS: Partial<Record<string, string>> = {
  "=": "; comparison is '==' (there is no assignment)",
  "&": "; logical and is '&&'",
  "|": "; logical or is '||'",
  ".": "; a number needs a digit before or after '.'",
};

function unexpectedCharacter(source: string, i: number): ExprSyntaxError {
  const code = source.codePointAt(i) ?? 0;
  const length = code > 0xffff ? 2 : 1;
  const char = String.fromCodePoint(code);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const shown = code >= 0x20 && code < 0x7f ? `'${char}'` : code > 0x7f ? `${hex} '${char}'` : hex;
  const hint = HINTS[char] ?? "";
  return new ExprSyntaxError(`unexpected character ${shown}${hint}`, source, { offset: i, length });
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** What may not directly follow a number: a letter, digit, `_` or `.`. */
function isNumberTail(c: number): boolean {
  return isIdentPart(c) || c === 46;
}
