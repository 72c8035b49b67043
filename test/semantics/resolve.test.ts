/**
 * Resolve as a builder of the parser: parsing straight into a Program
 * (what compiling does) gives exactly the Program, and the first error,
 * that resolving the syntax tree gives; and that first error is the one a
 * reader meets first, although the resolver receives a call only after
 * its arguments.
 */

import { describe, expect, it } from "vitest";
import { toResolvedProgram } from "../../src/api/frontend.js";
import { ExprError } from "../../src/errors.js";
import type { Limits } from "../../src/limits.js";
import { validateExtension } from "../../src/semantics/extension.js";
import { resolve } from "../../src/semantics/resolve.js";
import { parseSyntax } from "../../src/syntax/parser.js";

/** The error `work` throws, as the fields a test compares. */
function failure(work: () => unknown): [string, number, number, string] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ExprError);
    const { kind, offset, length, message } = error as ExprError;
    return [kind, offset, length, message];
  }
  throw new Error("expected an ExprError");
}

const user = validateExtension({
  constants: { g: 9.81 },
  functions: { twice: (x: number) => 2 * x, sq: "sq(v) = v * v", sq4: "sq4(v) = sq(sq(v))" },
});

describe("parsing straight into a Program", () => {
  it.each([
    "1",
    "+x",
    "+ + +x",
    "-(+x)",
    "y + x * sin(x) - pi",
    "(x ? y : z) + max(1, y, w) * -x ^ 2 ** y",
    "a1 && !b1 || (c1 <= 2) == 1",
    Array.from({ length: 12 }, (_, i) => `v${i % 10}`).join(" + "),
    "twice(g) + sq4(x) * sq(twice(y)) - g",
  ])("%s: the same Program as resolving the syntax tree", (source) => {
    const direct = toResolvedProgram(source, {}, user);
    expect(direct).toEqual(resolve(parseSyntax(source), source, user));
  });

  it("counts depth as resolve does: `+a` is `a`, and parentheses are no level", () => {
    expect(toResolvedProgram("+ + +x").depth).toBe(1);
    expect(toResolvedProgram("-(+x)").depth).toBe(2);
    expect(toResolvedProgram("((((x))))").depth).toBe(1);
    expect(toResolvedProgram("y + x * sin(x) - pi").depth).toBe(5);
  });
});

describe("the first error", () => {
  it.each<[string, Limits, [string, number, number, string]]>([
    // The call's own error comes first, though its arguments reach the resolver before it.
    ["sin(1, cos)", {}, ["arity", 0, 11, "'sin' takes 1 argument, but was given 2"]],
    ["x + pi(nope(2))", {}, ["name", 4, 2, "'pi' is a constant, not a function"]],
    ["y * nope(sin)", {}, ["name", 4, 4, "unknown function 'nope'"]],
    ["cos(sin(1, 2, 3), tan)", {}, ["arity", 0, 22, "'cos' takes 1 argument, but was given 2"]],
    ["f(g(h(1)))", {}, ["name", 0, 1, "unknown function 'f'"]],
    // Otherwise, the first in reading order.
    ["sin + 2 * cos", {}, ["name", 0, 3, "'sin' is a function; call it, as in sin(x)"]],
    [
      "max(a, b, sin, nope(1), e(2))",
      {},
      ["name", 10, 3, "'sin' is a function; call it, as in sin(x)"],
    ],
    ["abs(1, 2) + sin", {}, ["arity", 0, 9, "'abs' takes 1 argument, but was given 2"]],
    ["1 ? sin : nope(2)", {}, ["name", 4, 3, "'sin' is a function; call it, as in sin(x)"]],
    ["+sin", {}, ["name", 1, 3, "'sin' is a function; call it, as in sin(x)"]],
    // A syntax or depth error anywhere comes before any error of names.
    ["nope(1) +", {}, ["syntax", 9, 0, "expected an operand after '+', found end of input"]],
    [
      "nope(1) + ((((1))))",
      { maxDepth: 3 },
      ["limit", 12, 1, "expression is nested too deeply (the limit is 3 levels)"],
    ],
  ])("%s", (source, limits, expected) => {
    expect(failure(() => toResolvedProgram(source, limits))).toEqual(expected);
    expect(failure(() => resolve(parseSyntax(source, limits), source))).toEqual(expected);
  });
});
