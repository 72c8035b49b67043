/**
 * No input, whatever its shape or size, may overflow the stack or hang:
 * every stage stops with an ExprError of kind `limit`, fast.
 */

import { describe, expect, it } from "vitest";
import { compile, ExprError } from "../src/index.js";
import { BACKENDS } from "./support/backends.js";

function limitError(source: string, options = {}): ExprError {
  const started = performance.now();
  try {
    compile(source, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ExprError);
    expect(performance.now() - started).toBeLessThan(5_000); // "fast" means no hang; not a benchmark
    return error as ExprError;
  }
  throw new Error("expected a limit error");
}

describe("limits", () => {
  it.each([
    ["100,000 nested parentheses", `${"(".repeat(100_000)}1${")".repeat(100_000)}`],
    ["100,000 unary minuses", `${"-".repeat(100_000)}1`],
    ["a 30,000-term sum", Array.from({ length: 30_000 }, () => "1").join("+")],
    ["100,000 nested calls", `${"sin(".repeat(100_000)}1${")".repeat(100_000)}`],
    ["a 100,000-deep power tower", Array.from({ length: 100_000 }, () => "2").join("^")],
    ["100,000 nested conditionals", `${"1?".repeat(100_000)}1${":0".repeat(100_000)}`],
    ["100,000 unclosed parentheses", "(".repeat(100_000)],
  ])("%s fail with kind limit", (_, source) => {
    const error = limitError(source);
    expect(error.kind).toBe("limit");
    expect(error.message).toContain("nested too deeply (the limit is 2000 levels)");
  });

  it.each([
    // The caret points at what stands at level 2,001 counted from the outside.
    ["2,000 nested parentheses: the 1 inside", `${"(".repeat(2000)}1${")".repeat(2000)}`, 2000],
    [
      "100,000 nested parentheses: the 2,001st",
      `${"(".repeat(100_000)}1${")".repeat(100_000)}`,
      2000,
    ],
    ["2,000 minuses: the operand", `${"-".repeat(2000)}x`, 2000],
    ["a 2,001-term sum: its first term, the deepest leaf", `1${"+x".repeat(2000)}`, 0],
    [
      "2,000 nested calls: the innermost argument",
      `${"sin(".repeat(2000)}x${")".repeat(2000)}`,
      8000,
    ],
  ])("points a depth error at level 2,001: %s", (_, source, offset) => {
    const error = limitError(source);
    expect([error.kind, error.offset, error.length]).toEqual(["limit", offset, 1]);
  });

  it("rejects a 1.2 MB input by length before reading it", () => {
    const error = limitError("1+".repeat(600_000));
    expect([error.kind, error.offset, error.length]).toEqual(["limit", 1_000_000, 200_000]);
    expect(error.message).toBe("expression is too long: 1200000 characters (the limit is 1000000)");
  });

  it("limits a call to 1,000 arguments", () => {
    const error = limitError(`2 * min(${Array.from({ length: 200_000 }, () => "1").join(",")})`);
    expect([error.kind, error.offset, error.length, error.message]).toEqual([
      "limit",
      4,
      3,
      "'min' is given 200000 arguments; a call takes at most 1000",
    ]);
    const most = `max(${Array.from({ length: 1000 }, (_, i) => i).join(",")})`;
    for (const backend of BACKENDS) {
      expect(compile(most, { backend: backend.name }).evaluate()).toBe(999);
    }
  });

  it("takes both limits as options", () => {
    expect(limitError("1+2+3", { maxLength: 4 }).kind).toBe("limit");
    expect(limitError("((1))", { maxDepth: 2 }).kind).toBe("limit");
    expect(compile("((1))", { maxDepth: 3, backend: "treewalk" }).evaluate()).toBe(1);
  });

  it("turns a stack overflow from a raised limit into a limit error", () => {
    const error = limitError(`${"-".repeat(500_000)}1`, { maxDepth: 1e9 });
    expect(error.kind).toBe("limit");
    // The engine's own error is kept for whoever debugs it.
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(String((error.cause as RangeError).message)).toMatch(/call stack/i);
  });

  describe.each(BACKENDS.map((b) => b.name))("at the depth limit, %s", (backend) => {
    it.each([
      ["a 2,000-term sum", Array.from({ length: 2_000 }, () => "1").join("+"), 2000],
      ["1,999 nested parentheses", `${"(".repeat(1_999)}1${")".repeat(1_999)}`, 1],
      ["1,999 unary minuses", `${"-".repeat(1_999)}1`, -1],
      ["a 1,000-deep ?: chain", `${"0?0:".repeat(1_000)}7`, 7],
      ["1,998 nested calls around a negation", `${"abs(".repeat(1_998)}-7${")".repeat(1_998)}`, 7],
      ["1,999 nested variadic calls", `${"min(9, ".repeat(1_999)}7${")".repeat(1_999)}`, 7],
    ])("%s compiles and runs", (_, source, expected) => {
      const compiled = compile(source, { backend });
      try {
        expect(compiled.evaluate()).toBe(expected);
      } finally {
        compiled.dispose();
      }
    });
  });
});
