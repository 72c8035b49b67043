/**
 * The lexer: source text → tokens with spans. It is a cursor (the parser
 * asks for one token at a time and reads its fields), so lexing allocates
 * nothing per token; `tokenize` collects the tokens for dumps. It never
 * recurses and reads each character once, so any input ends in tokens or
 * an ExprSyntaxError at the offending character.
 */

import { ExprSyntaxError } from "../errors.js";
import type { Token, TokenType } from "./token.js";

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
    if (i >= n) return this.set("EOF", i);
    if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) return this.number(i);
    if (isIdentStart(c)) {
      while (isIdentPart(source.charCodeAt(++i)));
      return this.set("IDENT", i);
    }
    const next = source.charCodeAt(i + 1);
    switch (c) {
      case 43:
        return this.set("PLUS", i + 1); // +
      case 45:
        return this.set("MINUS", i + 1); // -
      case 47:
        return this.set("SLASH", i + 1); // /
      case 37:
        return this.set("PERCENT", i + 1); // %
      case 94:
        return this.set("CARET", i + 1); // ^
      case 40:
        return this.set("LPAREN", i + 1); // (
      case 41:
        return this.set("RPAREN", i + 1); // )
      case 44:
        return this.set("COMMA", i + 1); // ,
      case 63:
        return this.set("QUESTION", i + 1); // ?
      case 58:
        return this.set("COLON", i + 1); // :
      case 42:
        return next === 42 ? this.set("STAR_STAR", i + 2) : this.set("STAR", i + 1); // * **
      case 60:
        return next === 61 ? this.set("LE", i + 2) : this.set("LT", i + 1); // < <=
      case 62:
        return next === 61 ? this.set("GE", i + 2) : this.set("GT", i + 1); // > >=
      case 33:
        return next === 61 ? this.set("BANG_EQ", i + 2) : this.set("BANG", i + 1); // ! !=
      case 61:
        if (next === 61) return this.set("EQ_EQ", i + 2);
        break; // ==
      case 38:
        if (next === 38) return this.set("AND_AND", i + 2);
        break; // &&
      case 124:
        if (next === 124) return this.set("OR_OR", i + 2);
        break; // ||
    }
    throw unexpectedCharacter(source, i);
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
