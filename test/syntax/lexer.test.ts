import { describe, expect, it } from "vitest";
import { ExprError } from "../../src/errors.js";
import { dumpTokens } from "../../src/syntax/dump.js";
import { tokenize } from "../../src/syntax/lexer.js";

const dump = (source: string) => dumpTokens(tokenize(source), source);

describe("lexer", () => {
  it("dumps the tokens of 1+1.2-5 in the seed's style", () => {
    expect(dump("1+1.2-5")).toBe("NUMBER 1\nPLUS\nNUMBER 1.2\nMINUS\nNUMBER 5\nEOF");
  });

  it("reads every operator, longest first", () => {
    expect(dump("+ - * / % ^ ** ( ) , ? : < <= > >= == != && || !").split("\n")).toEqual([
      "PLUS",
      "MINUS",
      "STAR",
      "SLASH",
      "PERCENT",
      "CARET",
      "STAR_STAR",
      "LPAREN",
      "RPAREN",
      "COMMA",
      "QUESTION",
      "COLON",
      "LT",
      "LE",
      "GT",
      "GE",
      "EQ_EQ",
      "BANG_EQ",
      "AND_AND",
      "OR_OR",
      "BANG",
      "EOF",
    ]);
  });

  it("gives every token its span", () => {
    expect(tokenize(" x1 <= .5e+2").map((t) => [t.type, t.start, t.end, t.value])).toEqual([
      ["IDENT", 1, 3, 0],
      ["LE", 4, 6, 0],
      ["NUMBER", 7, 12, 50],
      ["EOF", 12, 12, 0],
    ]);
  });

  it.each([
    ["1", 1],
    ["1.", 1],
    [".5", 0.5],
    ["1e3", 1000],
    ["1.5E-3", 0.0015],
    ["1e999", Number.POSITIVE_INFINITY],
    ["1e-400", 0],
    ["0.1", 0.1],
    ["00012", 12],
  ])("reads %s as the nearest double", (text, value) => {
    expect(Object.is(tokenize(text)[0]?.value, value)).toBe(true);
  });

  it("treats only space, tab, CR and LF as white space", () => {
    expect(dump(" \t\r\n1")).toBe("NUMBER 1\nEOF");
    expect(() => tokenize("1\u00a0")).toThrow(/U\+00A0/);
    expect(() => tokenize("1\f")).toThrow(/U\+000C/);
  });

  it.each([
    ["2x", 0, 2],
    ["0x10", 0, 4],
    ["1.2.3", 0, 5],
    ["1e", 0, 2],
    ["1e+", 0, 3],
    ["1..2", 0, 4],
    ["7 + 3_0", 4, 3],
    ["1E-x", 0, 4],
  ])("reports the bad number %s whole", (source, offset, length) => {
    try {
      tokenize(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExprError);
      expect([
        (error as ExprError).kind,
        (error as ExprError).offset,
        (error as ExprError).length,
      ]).toEqual(["syntax", offset, length]);
    }
  });

  it("reads identifiers as ASCII letters, digits and underscores", () => {
    expect(dump("_a1 B_2")).toBe("IDENT _a1\nIDENT B_2\nEOF");
  });
});
