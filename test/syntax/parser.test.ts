import { describe, expect, it } from "vitest";
import { ExprError } from "../../src/errors.js";
import { dumpAst } from "../../src/syntax/dump.js";
import { parseExpression, parseSyntax } from "../../src/syntax/parser.js";
import { print } from "../../src/syntax/print.js";

/** The tree as fully parenthesised text: shows exactly how the parser grouped. */
const grouped = (source: string): string =>
  print(parseExpression(source)).length >= 0 ? paren(source) : "";

function paren(source: string): string {
  const walk = (e: ReturnType<typeof parseExpression>): string => {
    switch (e.kind) {
      case "number":
        return String(e.value);
      case "identifier":
        return e.name;
      case "call":
        return `${e.callee}(${e.args.map(walk).join(", ")})`;
      case "unary":
        return `(${e.op}${walk(e.operand)})`;
      case "binary":
        return `(${walk(e.left)} ${e.op} ${walk(e.right)})`;
      case "conditional":
        return `(${walk(e.test)} ? ${walk(e.consequent)} : ${walk(e.alternate)})`;
    }
  };
  return walk(parseExpression(source));
}

describe("parser precedence (LANGUAGE.md)", () => {
  it.each([
    ["1+1.2-5", "((1 + 1.2) - 5)"],
    ["-2^2", "(-(2 ^ 2))"],
    ["2^-1", "(2 ^ (-1))"],
    ["2^3^2", "(2 ^ (3 ^ 2))"],
    ["2**3^2", "(2 ^ (3 ^ 2))"],
    ["(-2)^2", "((-2) ^ 2)"],
    ["2*-3", "(2 * (-3))"],
    ["1 ? 2 : 0 ? 3 : 4", "(1 ? 2 : (0 ? 3 : 4))"],
    ["a ? b ? 1 : 2 : 3", "(a ? (b ? 1 : 2) : 3)"],
    ["--1", "(-(-1))"],
    ["!a && b || c", "(((!a) && b) || c)"],
    ["a || b && c", "(a || (b && c))"],
    ["a < b + 1 == 0 ? 1 : 2", ""],
    ["1 + 2 * 3 % 4 / 5", "(1 + (((2 * 3) % 4) / 5))"],
    ["a - b - c", "((a - b) - c)"],
    ["-a^-b^c", "(-(a ^ (-(b ^ c))))"],
    ["min(1, 2 + 3, x ? 1 : 2)", "min(1, (2 + 3), (x ? 1 : 2))"],
    ["a < b && b < c", "((a < b) && (b < c))"],
    ["(a < b) < c", "((a < b) < c)"],
  ])("%s groups as %s", (source, expected) => {
    if (expected === "") {
      expect(() => parseExpression(source)).toThrow(/cannot be chained/);
      return;
    }
    expect(grouped(source)).toBe(expected);
  });

  it("keeps spans on every node", () => {
    expect(dumpAst(parseSyntax("-(x + 2) * sin(y)"))).toBe(
      [
        "Binary *  @0..17",
        "├─ Unary -  @0..8",
        "│  └─ Binary +  @2..7",
        "│     ├─ Identifier x  @2..3",
        "│     └─ Number 2  @6..7",
        "└─ Call sin  @11..17",
        "   └─ Identifier y  @15..16",
      ].join("\n"),
    );
  });

  it("prints minimal source that parses back to the same grouping", () => {
    for (const source of [
      "(1+2)*3",
      "1-(2-3)",
      "(2^3)^2",
      "-(2^2)",
      "(-2)^2",
      "(a<b)<c",
      "(a?b:c)?d:e",
      "a?b:(c?d:e)",
      "2^(-1)",
      "-(-x)",
      "!(a && b)",
    ]) {
      const printed = print(parseExpression(source));
      expect(paren(printed)).toBe(paren(source));
    }
    expect(print(parseExpression("(1+2)*3"))).toBe("(1 + 2) * 3");
    expect(print(parseExpression("((a))+((b*c))"))).toBe("a + b * c");
    expect(print(parseExpression("(2^3)^2"))).toBe("(2^3)^2");
    expect(print(parseExpression("1e999 + 1e-400"))).toBe("1e999 + 0");
  });
});

describe("parser errors", () => {
  it("rejects a chained comparison at the second operator", () => {
    try {
      parseExpression("1 < 2 <= 3");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExprError);
      const e = error as ExprError;
      expect([e.kind, e.offset, e.length, e.message]).toEqual([
        "syntax",
        6,
        2,
        "comparison operators cannot be chained; use parentheses or &&",
      ]);
    }
  });
});
