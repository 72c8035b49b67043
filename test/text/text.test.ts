/**
 * The text helpers every stage shares: line and column of an offset (once,
 * or indexed for many), counts in words, numbers as people read them,
 * invisible characters made visible, and tree drawing.
 */

import { describe, expect, it } from "vitest";
import { lineColumn, lineIndex } from "../../src/text/lines.js";
import { formatNumber } from "../../src/text/number.js";
import { plural } from "../../src/text/plural.js";
import { drawTree } from "../../src/text/tree.js";
import { escapeChar, isHidden, visible } from "../../src/text/visible.js";

describe("line and column", () => {
  const source = "a\nbc\r\n\nd";

  it("counts lines at LF, columns from 1, a CR as part of its line", () => {
    expect(lineColumn(source, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(source, 3)).toEqual({ line: 2, column: 2 });
    expect(lineColumn(source, 4)).toEqual({ line: 2, column: 3 });
    expect(lineColumn(source, 6)).toEqual({ line: 3, column: 1 });
    expect(lineColumn(source, 7)).toEqual({ line: 4, column: 1 });
    expect(lineColumn(source, 8)).toEqual({ line: 4, column: 2 });
  });

  it("gives the same answers from the index as one offset at a time", () => {
    const where = lineIndex(source);
    for (let offset = 0; offset <= source.length; offset++) {
      expect(where(offset)).toEqual(lineColumn(source, offset));
    }
  });
});

describe("words and numbers", () => {
  it("counts in words", () => {
    expect([plural(0, "value"), plural(1, "value"), plural(2, "value")]).toEqual([
      "0 values",
      "1 value",
      "2 values",
    ]);
  });

  it("writes the shortest round trip, keeping -0", () => {
    expect([-2.8, 0.1, 1e21, -0, 0, Number.NaN, -Infinity].map(formatNumber)).toEqual([
      "-2.8",
      "0.1",
      "1e+21",
      "-0",
      "0",
      "NaN",
      "-Infinity",
    ]);
  });
});

describe("invisible characters", () => {
  it("escapes bidirectional controls, zero-width and separators; spaces tab, CR and LF", () => {
    expect(visible("a\u202Eb\u200Bc\u2028d\te\r\nf\u0000")).toBe(
      "a\\u202Eb\\u200Bc\\u2028d e  f\\u0000",
    );
    expect(["\u00AD", "\uFEFF", "\u2066", "\u0085"].every(isHidden)).toBe(true);
    expect(["a", "é", " ", "∑"].some(isHidden)).toBe(false);
    // A no-break space passes for a space: escaped (issue 20, defect 10, test/text/hidden.test.ts).
    expect(isHidden("\u00A0")).toBe(true);
    expect(escapeChar("\u202E")).toBe("\\u202E");
  });
});

describe("tree drawing", () => {
  it("draws branches and keeps the indentation of the last child's subtree", () => {
    const leaf = (label: string) => ({ label, children: [] });
    const tree = {
      label: "root",
      children: [
        { label: "a", children: [leaf("a1"), leaf("a2")] },
        { label: "b", children: [leaf("b1")] },
      ],
    };
    expect(drawTree(tree)).toBe(
      ["root", "├─ a", "│  ├─ a1", "│  └─ a2", "└─ b", "   └─ b1"].join("\n"),
    );
  });
});
