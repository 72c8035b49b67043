/**
 * The JavaScript generator: exact text for each construct, literals that
 * read back exactly, and deep programs split into inner functions so V8's
 * parser never sees deep nesting.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toResolvedProgram } from "../../../src/api/frontend.js";
import {
  CHUNK_DEPTH,
  generateJs,
  MAX_PARAMETERS,
  numberLiteral,
  unsupported,
} from "../../../src/backends/js/codegen.js";
import { js } from "../../../src/backends/js/index.js";
import { ExprBackendError } from "../../../src/errors.js";
import { evaluateNode } from "../../../src/semantics/evaluate.js";
import { firstResult } from "../../../src/semantics/program.js";

/** The expression `Main` returns, for programs without inner functions. */
function returned(source: string): string {
  const { main } = generateJs(toResolvedProgram(source));
  const match = /^function Main\([^)]*\) \{\n {2}return (.*);\n\}$/s.exec(main);
  if (match === null) throw new Error(`unexpected shape: ${main}`);
  return match[1] as string;
}

/** Reads a literal back the way the engine will. */
function readBack(text: string): number {
  return new Function(`return ${text};`)() as number;
}

describe("generated text", () => {
  it("keeps the grouping the program has: (1+2)*3 stays 9", () => {
    expect(returned("(1+2)*3")).toBe("((1 + 2) * 3)");
    expect(returned("1+2*3")).toBe("(1 + (2 * 3))");
    expect(js.compile(toResolvedProgram("(1+2)*3"), {}).fn()).toBe(9);
    expect(returned("3-(2-4)")).toBe("(3 - (2 - 4))");
    expect(returned("2^3^2")).toBe("pow(2, pow(3, 2))");
    expect(returned("-2^2")).toBe("(-pow(2, 2))");
    expect(returned("--x")).toBe("(-(-v0))");
  });

  it("writes the whole function with parameters per slot and builtins in table order", () => {
    const code = generateJs(toResolvedProgram("cos(y) + sin(x) * z"));
    expect(code.main).toBe("function Main(v0, v1, v2) {\n  return (cos(v0) + (sin(v1) * v2));\n}");
    expect(code.params).toEqual(["v0", "v1", "v2"]);
    expect(code.builtins.map((b) => b.name)).toEqual(["sin", "cos"]);
  });

  it("writes truth as !== 0 and 0/1 results as ? 1 : 0", () => {
    expect(returned("x ? y : z")).toBe("((v0 !== 0) ? v1 : v2)");
    expect(returned("!x")).toBe("((v0 === 0) ? 1 : 0)");
    expect(returned("!(x < y)")).toBe("((!(v0 < v1)) ? 1 : 0)");
    expect(returned("x && y")).toBe("(((v0 !== 0) && (v1 !== 0)) ? 1 : 0)");
    expect(returned("x || y < 1")).toBe("(((v0 !== 0) || (v1 < 1)) ? 1 : 0)");
    expect(returned("x == y")).toBe("((v0 === v1) ? 1 : 0)");
    expect(returned("x != y")).toBe("((v0 !== v1) ? 1 : 0)");
    expect(returned("(x < y) + 1")).toBe("(((v0 < v1) ? 1 : 0) + 1)");
    expect(returned("x < y ? 1 : 2")).toBe("((v0 < v1) ? 1 : 2)");
  });

  it("treats NaN as true, as LANGUAGE.md says (unlike JavaScript)", () => {
    const run = (source: string) => js.compile(toResolvedProgram(source), {}).fn();
    expect(run("nan ? 1 : 2")).toBe(1);
    expect(run("!nan")).toBe(0);
    expect(run("nan && 1")).toBe(1);
    expect(run("0 || nan")).toBe(1);
    expect(Object.is(run("-0 ? 1 : -0"), -0)).toBe(true);
  });

  it("writes constants as exact numbers", () => {
    expect(returned("pi")).toBe("3.141592653589793");
    expect(returned("e + inf + nan")).toBe("((2.718281828459045 + (1 / 0)) + (0 / 0))");
    expect(returned("1e999 + 1e-400 + 5e-324")).toBe("(((1 / 0) + 0) + 5e-324)");
  });
});

describe("number literals", () => {
  it("spells the special values without global names", () => {
    expect(numberLiteral(Number.NaN)).toBe("(0 / 0)");
    expect(numberLiteral(Number.POSITIVE_INFINITY)).toBe("(1 / 0)");
    expect(numberLiteral(Number.NEGATIVE_INFINITY)).toBe("(-1 / 0)");
    expect(numberLiteral(-0)).toBe("(-0)");
    expect(numberLiteral(-1.5)).toBe("(-1.5)");
    expect(numberLiteral(1e21)).toBe("1e+21");
  });

  it("reads back to the same double, -0, NaN and infinities included", () => {
    for (const v of [0, -0, Number.NaN, 1 / 0, -1 / 0, 5e-324, -5e-324, 2 ** 53 + 2, 0.1, 1e308]) {
      expect(Object.is(readBack(numberLiteral(v)), v), String(v)).toBe(true);
    }
    fc.assert(
      fc.property(fc.double(), (v) => Object.is(readBack(numberLiteral(v)), v)),
      { numRuns: 2000 },
    );
  });
});

describe("deep programs", () => {
  /** Deepest parenthesis nesting in `text`. */
  function nesting(text: string): number {
    let depth = 0;
    let deepest = 0;
    for (const ch of text) {
      if (ch === "(") deepest = Math.max(deepest, ++depth);
      else if (ch === ")") depth--;
    }
    return deepest;
  }

  const deep: readonly (readonly [string, string])[] = [
    ["a 2,000-term left-leaning sum", Array.from({ length: 2000 }, () => "x").join("+")],
    ["1,999 negations", `${"-".repeat(1999)}x`],
    ["a 1,000-level power tower", `${"1^".repeat(999)}x`],
    ["a 999-level conditional chain", `${"x < 0 ? 1 : ".repeat(999)}x`],
    ["999 nested calls", `${"abs(".repeat(999)}x${")".repeat(999)}`],
    ["2,000 parentheses", `${"(".repeat(1999)}x${")".repeat(1999)}`],
  ];

  it.each(deep)("%s compiles, stays shallow and agrees with treewalk", (_, source) => {
    const program = toResolvedProgram(source);
    const code = js.compile(program, {});
    expect(nesting(code.dump())).toBeLessThanOrEqual(3 * CHUNK_DEPTH);
    for (const x of [-1.5, 0, 2.5]) {
      const expected = evaluateNode(firstResult(program), [x]);
      expect(Object.is(code.fn(x), expected)).toBe(true);
    }
  });

  it("moves sub-expressions past CHUNK_DEPTH levels into inner functions", () => {
    const sum = Array.from({ length: CHUNK_DEPTH + 2 }, () => "x").join("+");
    const { main } = generateJs(toResolvedProgram(sum));
    expect(
      main.startsWith(
        "function Main(v0) {\n  return ((f0() + v0) + v0);\n  function f0() {\n    return (",
      ),
    ).toBe(true);
    expect(main.match(/function f\d+\(\)/g)).toEqual(["function f0()"]);
  });

  it("evaluates only the chosen branch of a hoisted conditional", () => {
    // The alternate is deep enough to be moved out; it divides by zero to -Infinity if ever chosen.
    const branch = `${"-".repeat(CHUNK_DEPTH + 5)}(1/x)`;
    const program = toResolvedProgram(`x == 0 ? 7 : ${branch}`);
    const code = js.compile(program, {});
    expect(code.dump()).toContain("function f0()");
    expect(code.fn(0)).toBe(7);
    expect(code.fn(2)).toBe(evaluateNode(firstResult(program), [2]));
  });
});

describe("V8's limits", () => {
  it("refuses more variables than a V8 function takes, with a reason", () => {
    // A balanced sum: shallow enough for the depth limit, a call takes only 1,000 arguments.
    const sum = (lo: number, hi: number): string =>
      hi - lo === 1 ? `a${lo}` : `(${sum(lo, (lo + hi) >> 1)} + ${sum((lo + hi) >> 1, hi)})`;
    const program = toResolvedProgram(sum(0, MAX_PARAMETERS + 1));
    expect(unsupported(program)).toMatch(
      /65535 variables; JavaScript functions take at most 65534/,
    );
    expect(() => js.compile(program, {})).toThrow(ExprBackendError);
  });

  it("accepts ordinary programs", () => {
    expect(unsupported(toResolvedProgram("min(x, y, 1, 2, 3)"))).toBeUndefined();
  });
});
