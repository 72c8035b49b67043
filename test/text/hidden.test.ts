/**
 * Characters a message or excerpt must show escaped (issue 20, defect 10):
 * lone surrogates (not text at all), combining marks (which fold onto the
 * character before them, so the caret lands under the wrong one) and
 * no-break and other non-ASCII spaces (which look like an ordinary space).
 */

import { describe, expect, it } from "vitest";
import { compile, ExprError } from "../../src/index.js";
import { escapeHidden, visible } from "../../src/text/visible.js";

function formatted(source: string): string {
  try {
    compile(source, { backend: "treewalk" });
  } catch (error) {
    if (error instanceof ExprError) return error.format();
  }
  throw new Error("expected an ExprError");
}

describe("escaped in messages and excerpts", () => {
  it("a lone surrogate", () => {
    expect(formatted("1+\uD800")).toBe(
      ["error: unexpected character U+D800", "  1 | 1+\\uD800", "    |   ^^^^^^"].join("\n"),
    );
    expect(escapeHidden("a\uDC00b")).toBe("a\\uDC00b");
  });

  it("a combining mark, with the caret under it", () => {
    expect(formatted("x\u0301+1")).toBe(
      ["error: unexpected character U+0301", "  1 | x\\u0301+1", "    |  ^^^^^^"].join("\n"),
    );
  });

  it("no-break and other non-ASCII spaces", () => {
    expect(formatted("1 +\u00A0* 2")).toBe(
      ["error: unexpected character U+00A0", "  1 | 1 +\\u00A0* 2", "    |    ^^^^^^"].join("\n"),
    );
    for (const space of ["\u00A0", "\u2007", "\u202F", "\u3000", "\u2003", "\u205F", "\u1680"]) {
      expect(visible(`a${space}b`)).toBe(
        `a\\u${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}b`,
      );
    }
  });

  it("but not a surrogate pair, an accented letter or an ordinary space", () => {
    expect(escapeHidden("1+\uD83D\uDE00 é x")).toBe("1+\uD83D\uDE00 é x");
  });
});
