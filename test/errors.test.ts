import { describe, expect, it } from "vitest";
import { compile, ExprError, ExprSyntaxError, evaluate } from "../src/index.js";

function caught(work: () => unknown): ExprError {
  try {
    work();
  } catch (error) {
    if (error instanceof ExprError) return error;
    throw error;
  }
  throw new Error("expected an ExprError");
}

describe("ExprError", () => {
  it("renders the source line with a caret, as in LANGUAGE.md", () => {
    const error = caught(() => compile("1 + * 2"));
    expect(error).toBeInstanceOf(ExprSyntaxError);
    expect(error.format()).toBe(
      ["error: expected an operand after '+', found '*'", "  1 | 1 + * 2", "    |     ^"].join(
        "\n",
      ),
    );
  });

  it("gives line and column on later lines, and underlines the whole offending text", () => {
    const error = caught(() => compile("1 +\n  2 +\r\n  sinn(3)"));
    expect([error.kind, error.offset, error.length, error.line, error.column]).toEqual([
      "name",
      13,
      4,
      3,
      3,
    ]);
    expect(error.format()).toBe(
      [
        "error: unknown function 'sinn'; did you mean 'sin'?",
        "  3 |   sinn(3)",
        "    |   ^^^^",
      ].join("\n"),
    );
  });

  it("cuts a long line to a window around the caret", () => {
    const source = `${"1+".repeat(500)}$`;
    const text = caught(() => compile(source))
      .format()
      .split("\n");
    expect(text[1]).toMatch(/^ {2}1 \| …[+1]{60,}\$$/);
    expect(text[2]?.indexOf("^")).toBe(text[1]?.indexOf("$"));
    expect(text[1]?.length).toBeLessThan(100);
  });

  it("points at the end of input with a single caret", () => {
    expect(caught(() => compile("(1")).format()).toBe(
      [
        "error: expected ')' to close the '(' at 1:1, found end of input",
        "  1 | (1",
        "    |   ^",
      ].join("\n"),
    );
  });

  it("names a missing or non-number variable and points at its first use", () => {
    const missing = caught(() => evaluate("2 * x + y", { x: 1 }));
    expect([missing.kind, missing.offset, missing.length, missing.message]).toEqual([
      "input",
      8,
      1,
      "no value given for variable 'y'",
    ]);
    const wrong = caught(() => evaluate("x", { x: "1" }));
    expect(wrong.message).toBe("variable 'x' must be a number, got string");
    const prototype = caught(() => evaluate("toString + constructor", {}));
    expect(prototype.message).toBe("no value given for variable 'toString'");
  });
});
