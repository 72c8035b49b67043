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

  it("numbers the frame from firstLine, widening the gutter to fit", () => {
    const error = caught(() => compile("1 + * 2"));
    expect(error.format({ firstLine: 120 })).toBe(
      ["error: expected an operand after '+', found '*'", "  120 | 1 + * 2", "      |     ^"].join(
        "\n",
      ),
    );
    expect(error.line).toBe(1);
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

  it.each([
    [
      "a right-to-left override",
      "1 + \u202E2",
      "U+202E",
      ["  1 | 1 + \\u202E2", "    |     ^^^^^^"],
    ],
    ["a zero-width space", "x\u200B + 1", "U+200B", ["  1 | x\\u200B + 1", "    |  ^^^^^^"]],
    ["a line separator", "1 +\u2028 2", "U+2028", ["  1 | 1 +\\u2028 2", "    |    ^^^^^^"]],
  ])(
    "never echoes %s: the message names it, the excerpt escapes it",
    (_, source, name, excerpt) => {
      const error = caught(() => compile(source));
      expect(error.message).toBe(`unexpected character ${name}`);
      expect(error.format()).toBe([`error: unexpected character ${name}`, ...excerpt].join("\n"));
    },
  );

  it("still echoes a visible non-ASCII character beside its code point", () => {
    expect(caught(() => compile("(\u00E9)")).message).toBe("unexpected character U+00E9 'é'");
  });

  it("escapes hidden characters in every message, also those that quote a name the user gave", () => {
    // @ts-expect-error: not a back-end's name, on purpose
    const error = caught(() => compile("1", { backend: "na\u202Etive" }));
    expect(error.message).toBe(
      "unknown back-end 'na\\u202Etive' (known: auto, treewalk, vm, closure, js, wasm, native)",
    );
    // Tab and newline are kept: a compiler's message may span lines.
    expect(new ExprError("backend", "a\tb\nc\u200Bd", "", { offset: 0, length: 0 }).message).toBe(
      "a\tb\nc\\u200Bd",
    );
  });
});
