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

describe("number values", () => {
  /** The value the lexer gives `text`, which must lex as one number. */
  const lexedValue = (text: string) => {
    const [token] = tokenize(text);
    expect(token?.type).toBe("NUMBER");
    expect(token?.end).toBe(text.length);
    return token?.value;
  };

  it("are exactly Number(text), with or without a fraction or an exponent", () => {
    const texts = [
      "0",
      "0.0",
      "1.",
      ".5",
      "1.23",
      "123.123",
      "0.1",
      "0.3",
      "9007199254740993",
      "123456789012345.6",
      "12345678901234.56",
      "1.234567890123456",
      "0.000000000000001",
      "00000000000000.1",
      "1.5e3",
      "1.e5",
      "2.5E-3",
      "1e999",
      "1e-400",
    ];
    for (const text of texts) expect(Object.is(lexedValue(text), Number(text)), text).toBe(true);
  });

  it("are exactly Number(text) for random decimals of up to 17 digits", () => {
    let seed = 12345;
    const digit = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return String(seed % 10);
    };
    for (let n = 0; n < 20_000; n++) {
      const length = 1 + (n % 17);
      const dot = n % (length + 1);
      const digits = Array.from({ length }, digit).join("");
      const text = `${digits.slice(0, dot)}.${digits.slice(dot)}`;
      if (text === ".") continue;
      expect(Object.is(lexedValue(text), Number(text)), text).toBe(true);
    }
  });
});
