/**
 * The lexer: source text → tokens with spans. It never recurses and reads
 * each character once, so any input, however large or strange, ends in a
 * token list or an ExprSyntaxError at the offending character.
 */

import { ExprSyntaxError } from "../errors.js";
import type { Token, TokenType } from "./token.js";

/** Single-character tokens that never start a longer one. */
const SINGLE: Partial<Record<string, TokenType>> = {
  "+": "PLUS",
  "-": "MINUS",
  "/": "SLASH",
  "%": "PERCENT",
  "^": "CARET",
  "(": "LPAREN",
  ")": "RPAREN",
  ",": "COMMA",
  "?": "QUESTION",
  ":": "COLON",
};

/** Splits `source` into tokens, ending with EOF. Throws ExprSyntaxError. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      i = scanNumber(source, i, tokens);
    } else if (isIdentStart(c)) {
      const start = i;
      while (++i < n && isIdentPart(source.charCodeAt(i)));
      tokens.push({ type: "IDENT", start, end: i, value: 0 });
    } else {
      const type = operatorAt(source, i);
      const end = i + operatorLength(type);
      tokens.push({ type, start: i, end, value: 0 });
      i = end;
    }
  }
  tokens.push({ type: "EOF", start: n, end: n, value: 0 });
  return tokens;
}

/**
 * `digits ["." digits*] [exponent]` or `"." digits [exponent]`. A number
 * run straight into a letter, digit, `_` or `.` (or a digit-less exponent)
 * is one bad token, reported whole: `2x`, `0x10`, `1.2.3`, `1e`, `1e+`.
 */
function scanNumber(source: string, start: number, tokens: Token[]): number {
  let i = skipDigits(source, start);
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
    const text = source.slice(start, i);
    throw new ExprSyntaxError(`invalid number '${text}'`, source, {
      offset: start,
      length: i - start,
    });
  }
  tokens.push({ type: "NUMBER", start, end: i, value: Number(source.slice(start, i)) });
  return i;
}

function skipDigits(source: string, i: number): number {
  while (isDigit(source.charCodeAt(i))) i++;
  return i;
}

/** Operators and punctuation at `i`, longest first; anything else is an error. */
function operatorAt(source: string, i: number): TokenType {
  const ch = source[i] as string;
  const next = source[i + 1];
  const single = SINGLE[ch];
  if (single !== undefined) return single;
  switch (ch) {
    case "*":
      return next === "*" ? "STAR_STAR" : "STAR";
    case "<":
      return next === "=" ? "LE" : "LT";
    case ">":
      return next === "=" ? "GE" : "GT";
    case "!":
      return next === "=" ? "BANG_EQ" : "BANG";
    case "=":
      if (next === "=") return "EQ_EQ";
      break;
    case "&":
      if (next === "&") return "AND_AND";
      break;
    case "|":
      if (next === "|") return "OR_OR";
      break;
  }
  throw unexpectedCharacter(source, i);
}

const TWO_CHARS: ReadonlySet<TokenType> = new Set([
  "STAR_STAR",
  "LE",
  "GE",
  "BANG_EQ",
  "EQ_EQ",
  "AND_AND",
  "OR_OR",
]);

function operatorLength(type: TokenType): number {
  return TWO_CHARS.has(type) ? 2 : 1;
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
  const shown =
    code >= 0x20 && code < 0x7f
      ? `'${String.fromCodePoint(code)}'`
      : `U+${code.toString(16).toUpperCase().padStart(4, "0")}${code > 0x7f ? ` '${String.fromCodePoint(code)}'` : ""}`;
  const hint = HINTS[source[i] as string] ?? "";
  return new ExprSyntaxError(`unexpected character ${shown}${hint}`, source, {
    offset: i,
    length,
  });
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
