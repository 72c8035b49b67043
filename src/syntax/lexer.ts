/**
 * The lexer: source text → tokens with spans. It is a cursor (the parser
 * asks for one token at a time and reads its fields), so lexing allocates
 * nothing per token; `tokenize` collects the tokens for dumps. It never
 * recurses and reads each character once, so any input ends in tokens or
 * an ExprSyntaxError at the offending character.
 */

import { ExprSyntaxError } from "../errors.js";
import { isHidden } from "../text/visible.js";
import { KIND, OPERATOR_LENGTH, TOKEN_TYPES, type Token, type TokenType } from "./token.js";

/** Reads tokens one at a time; the current one is in `type`, `start`, `end`, `value`. */
export class Lexer {
  type: TokenType = "EOF";
  /** `type` as an index into TOKEN_TYPES, for table lookups by array index. */
  kind = KIND.EOF;
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
    // Reads never pass the end: V8 makes an out-of-range charCodeAt slow.
    let i = this.end;
    let c = i < n ? source.charCodeAt(i) : -1;
    while (c === 32 || c === 9 || c === 10 || c === 13) c = ++i < n ? source.charCodeAt(i) : -1;
    this.start = i;
    if (c === -1) {
      this.set(KIND.EOF, i);
    } else if (isDigit(c) || (c === 46 && i + 1 < n && isDigit(source.charCodeAt(i + 1)))) {
      this.number(i);
    } else if (isIdentStart(c)) {
      while (++i < n && isIdentPart(source.charCodeAt(i)));
      this.set(KIND.IDENT, i);
    } else {
      const kind = operatorAt(c, i + 1 < n ? source.charCodeAt(i + 1) : -1);
      if (kind === -1) throw unexpectedCharacter(source, i);
      this.set(kind, i + (OPERATOR_LENGTH[kind] as number));
    }
  }

  /** Is the next character that is not white space `(`? (A name followed by `(` is a call.) */
  nextIsOpenParen(): boolean {
    const source = this.source;
    const n = source.length;
    let i = this.end;
    let c = i < n ? source.charCodeAt(i) : -1;
    while (c === 32 || c === 9 || c === 10 || c === 13) c = ++i < n ? source.charCodeAt(i) : -1;
    return c === 40;
  }

  /**
   * Is the next token a lone `=` (not `==`)? After a name at the start of a
   * part of the program, it makes that part a binding (`name = value;`).
   */
  nextIsBindingEquals(): boolean {
    const source = this.source;
    const n = source.length;
    let i = this.end;
    let c = i < n ? source.charCodeAt(i) : -1;
    while (c === 32 || c === 9 || c === 10 || c === 13) c = ++i < n ? source.charCodeAt(i) : -1;
    return c === 61 && (i + 1 >= n || source.charCodeAt(i + 1) !== 61);
  }

  private set(kind: number, end: number): void {
    this.kind = kind;
    this.type = TOKEN_TYPES[kind] as TokenType;
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
    if (codeAt(source, i) === 46) i = skipDigits(source, i + 1);
    let bad = false;
    const e = codeAt(source, i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = codeAt(source, j);
      if (sign === 43 || sign === 45) j++;
      if (isDigit(codeAt(source, j))) i = skipDigits(source, j);
      else {
        bad = true;
        i = j;
      }
    }
    if (bad || isNumberTail(codeAt(source, i))) {
      while (isNumberTail(codeAt(source, i))) i++;
      throw new ExprSyntaxError(`invalid number '${source.slice(start, i)}'`, source, {
        offset: start,
        length: i - start,
      });
    }
    this.value = numberValue(source, start, digitsEnd, i);
    this.set(KIND.NUMBER, i);
  }
}

/** The kind of the operator or punctuation starting with char code `c` (then `next`), longest first; -1 if none. */
function operatorAt(c: number, next: number): number {
  switch (c) {
    case 43:
      return KIND.PLUS; // +
    case 45:
      return KIND.MINUS; // -
    case 47:
      return KIND.SLASH; // /
    case 37:
      return KIND.PERCENT; // %
    case 94:
      return KIND.CARET; // ^
    case 40:
      return KIND.LPAREN; // (
    case 41:
      return KIND.RPAREN; // )
    case 44:
      return KIND.COMMA; // ,
    case 63:
      return KIND.QUESTION; // ?
    case 58:
      return KIND.COLON; // :
    case 42:
      return next === 42 ? KIND.STAR_STAR : KIND.STAR; // * **
    case 60:
      return next === 61 ? KIND.LE : KIND.LT; // < <=
    case 62:
      return next === 61 ? KIND.GE : KIND.GT; // > >=
    case 33:
      return next === 61 ? KIND.BANG_EQ : KIND.BANG; // ! !=
    case 61:
      return next === 61 ? KIND.EQ_EQ : KIND.EQ; // == =
    case 59:
      return KIND.SEMICOLON; // ;
    case 38:
      return next === 38 ? KIND.AND_AND : -1; // &&
    case 124:
      return next === 124 ? KIND.OR_OR : -1; // ||
    default:
      return -1;
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

/**
 * The value of the number `[start, end)`, whose integer digits end at
 * `digitsEnd`: exactly what `Number(text)` gives. With at most 15 digits
 * and no exponent it is computed without slicing the text: 15 digits make
 * an integer below 2^53, exact in a double, and so is 10^k for k <= 22; so
 * `1.23` is 123 / 10^2, one division of exact operands, which IEEE-754
 * rounds correctly, to the double nearest 1.23, as `Number` does.
 */
function numberValue(source: string, start: number, digitsEnd: number, end: number): number {
  if (digitsEnd === end && end - start <= 15) return integerValue(source, start, end);
  const fractionStart = digitsEnd + 1;
  const plain = digitsEnd < end && codeAt(source, digitsEnd) === 46 && !hasExponent(source, end);
  if (!plain || end - start - 1 > 15) return Number(source.slice(start, end));
  const digits = integerValue(source, start, digitsEnd);
  const fraction = integerValue(source, fractionStart, end);
  const scale = POWERS_OF_TEN[end - fractionStart] as number;
  return (digits * scale + fraction) / scale;
}

/** 10^0 … 10^15, each exact in a double (made by multiplying exact values). */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 16 }, (_, k) => {
  let power = 1;
  for (let i = 0; i < k; i++) power *= 10;
  return power;
});

/** Whether the number ending at `end` has an exponent (its last part is then `e`, a sign and digits). */
function hasExponent(source: string, end: number): boolean {
  let i = end - 1;
  while (isDigit(source.charCodeAt(i))) i--;
  const c = source.charCodeAt(i);
  return c === 101 || c === 69 || c === 43 || c === 45;
}

/** A run of at most 15 digits is an integer below 2^53: exact without `Number(text)`. */
function integerValue(source: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (source.charCodeAt(i) - 48);
  return value;
}

/** The char code at `i`, or -1 past the end (V8 makes an out-of-range charCodeAt slow). */
function codeAt(source: string, i: number): number {
  return i < source.length ? source.charCodeAt(i) : -1;
}

function skipDigits(source: string, i: number): number {
  const n = source.length;
  while (i < n && isDigit(source.charCodeAt(i))) i++;
  return i;
}

/** Near misses get a hint: `=` → `==`, `&` → `&&`, `|` → `||`. */
const HINTS: Partial<Record<string, string>> = {
  "&": "; logical and is '&&'",
  "|": "; logical or is '||'",
  ".": "; a number needs a digit before or after '.'",
};

function unexpectedCharacter(source: string, i: number): ExprSyntaxError {
  const code = source.codePointAt(i) ?? 0;
  const length = code > 0xffff ? 2 : 1;
  const char = String.fromCodePoint(code);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  // A character that is invisible or reorders text is named, never echoed.
  const shown =
    code >= 0x20 && code < 0x7f
      ? `'${char}'`
      : code > 0x7f && !isHidden(char)
        ? `${hex} '${char}'`
        : hex;
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
