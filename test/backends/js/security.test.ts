/**
 * The generator is an attack surface: user text must never reach generated
 * code, prototype names must be ordinary variables, and builtins must be
 * the ones captured at load, whatever the global `Math` becomes later.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { js } from "../../../src/backends/js/index.js";
import { ExprInputError } from "../../../src/errors.js";
import { compile, compileAsync } from "../../../src/index.js";
import { FUNCTION_LIST } from "../../../src/semantics/builtins.js";
import { validateExtension } from "../../../src/semantics/extension.js";
import { print } from "../../../src/syntax/print.js";
import {
  exprArbitrary,
  extensionOf,
  HostLog,
  programWithEnvironmentArbitrary,
} from "../../differential/arbitraries.js";

/**
 * Everything generated code may contain: white space, the fixed words of
 * the templates, generated names (`v0`, `f0`), builtin names, decimal
 * number literals, operators and brackets. No strings but "use strict", no
 * property access, no other identifier.
 */
const WORDS = [
  "function",
  "return",
  "let",
  "const",
  "export",
  "anonymous",
  "Main",
  "bind",
  // v: variables and parameters, f: inner functions, d: expression functions,
  // h and k: host functions and their result checkers, c: the batch loop's columns,
  // b: bindings, o: the batch loop's output columns with several results.
  "[vfdhkcbo]\\d+",
  // The batch loop's fixed words: its name, the row index, count and output.
  "Batch",
  "for",
  "i",
  "n",
  "out",
  ...FUNCTION_LIST.map((f) => f.name),
].join("|");
const SAFE = new RegExp(
  "^(?:\\s+(?!\\s)" +
    '|"use strict"' +
    `|(?:${WORDS})(?![\\w$])` +
    "|\\d+(?:\\.\\d+)?(?:e[+-]\\d+)?(?![\\w$.])" +
    "|===|!==|<=|>=|&&|\\|\\||[-+*/%<>?:(),;{}]|=(?!=)|!(?!=)" +
    // Indexing only as the batch loop does (a column or an output, at row i), and
    // as `Main` writes several results (`out[0]`, a literal index).
    "|(?<![\\w$])(?:c\\d+|o\\d+|out)\\[i\\]" +
    "|(?<![\\w$])out\\[\\d+\\]" +
    ")*$",
);

describe("the strict pattern", () => {
  it("rejects what must never appear", () => {
    for (const bad of [
      "constructor",
      "Math.sin(v0)",
      'v0["x"]',
      "this",
      "`x`",
      "v0.constructor",
      "globalThis",
      "1e5x",
      "$",
      "x",
      "v0[i]",
      "out[n]",
      "out[v0]",
      "c0[n]",
      "b0[0]",
    ]) {
      expect(SAFE.test(bad), bad).toBe(false);
    }
    expect(SAFE.test("return (sin(v0) + 1.5e-7);")).toBe(true);
    expect(SAFE.test("for (let i = 0; i < n; i++) { v0 = c0[i]; out[i] = v0; }")).toBe(true);
  });
});

describe("generated source", () => {
  it("matches the strict pattern for thousands of random programs (new Function)", () => {
    fc.assert(
      fc.property(exprArbitrary(), (ast) => {
        const dump = js.compile(toProgram(print(ast)), {}).dump();
        if (!SAFE.test(dump)) throw new Error(`unexpected text in:\n${dump}`);
      }),
      { numRuns: 3000 },
    );
  });

  it("matches the strict pattern as an ES module, and with inner functions", async () => {
    await fc.assert(
      fc.asyncProperty(exprArbitrary(), async (ast) => {
        const code = await js.compileAsync?.(toProgram(print(ast)), { load: "module" });
        const dump = code?.dump() ?? "";
        if (!SAFE.test(dump)) throw new Error(`unexpected text in:\n${dump}`);
      }),
      { numRuns: 60 },
    );
    const deep = js.compile(toProgram(`${"sin(constructor) + ".repeat(300)}valueOf`), {}).dump();
    expect(deep).toContain("function f0()");
    expect(SAFE.test(deep)).toBe(true);
  });

  it("matches the strict pattern for the batch loop of random programs", () => {
    fc.assert(
      fc.property(exprArbitrary(), (ast) => {
        const dump = compile(print(ast), { backend: "js" }).dumpBatch();
        if (!SAFE.test(dump)) throw new Error(`unexpected text in:\n${dump}`);
      }),
      { numRuns: 1000 },
    );
    const deep = compile(`${"sin(constructor) + ".repeat(300)}valueOf`, { backend: "js" });
    expect(deep.dumpBatch()).toContain("function f0()");
    expect(SAFE.test(deep.dumpBatch())).toBe(true);
  });

  it("never contains the user's names", () => {
    const source = "constructor + __proto__ * toString - valueOf / hasOwnProperty";
    const dump = compile(source, { backend: "js" }).dump();
    expect(dump).not.toMatch(/constructor|__proto__|toString|valueOf|hasOwnProperty/);
    expect(SAFE.test(dump)).toBe(true);
  });
});

describe("user names", () => {
  it("never reach the text, whatever the environment (both load modes)", async () => {
    await fc.assert(
      fc.asyncProperty(programWithEnvironmentArbitrary(), async ({ environment, source }) => {
        const user = validateExtension(extensionOf(environment, new HostLog()));
        const program = toProgram(source, {}, user);
        for (const load of ["function", "module"] as const) {
          const code = await js.compileAsync?.(program, { load });
          const dump = code?.dump() ?? "";
          if (!SAFE.test(dump)) throw new Error(`unexpected text in:\n${dump}`);
          for (const name of user.names) {
            if (new RegExp(`\\b${name}\\b`).test(dump)) throw new Error(`${name} in:\n${dump}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("like constructor and __proto__ are ordinary names for functions and constants", () => {
    const constants = Object.defineProperty({ toString: 3 }, "__proto__", {
      value: 2,
      enumerable: true,
    });
    const f = compile("constructor(x) * __proto__ + valueOf(toString)", {
      backend: "js",
      constants,
      functions: { constructor: "constructor(a) = a * 10", valueOf: (v: number) => v + 0.5 },
    });
    expect(f.evaluate({ x: 2 })).toBe(20 * 2 + 3.5);
    const dump = f.dump();
    expect(dump).toBe(
      [
        "function anonymous(h0, k0) {",
        '"use strict";',
        "function d0(v0) {",
        "  return (v0 * 10);",
        "}",
        "return (function Main(v0) {",
        "  return ((d0(v0) * 2) + k0(h0(3)));",
        "});",
        "}",
      ].join("\n"),
    );
    expect(SAFE.test(dump)).toBe(true);
  });
});

describe("prototype names", () => {
  const source = "constructor + __proto__ * toString - valueOf / hasOwnProperty";
  const vars = JSON.parse(
    '{"constructor": 1, "__proto__": 2, "toString": 3, "valueOf": 4, "hasOwnProperty": 8}',
  ) as Record<string, number>;

  it("are ordinary variables, in both load modes", async () => {
    const expected = 1 + 2 * 3 - 4 / 8;
    const inMemory = compile(source, { backend: "js" });
    const asModule = await compileAsync(source, { backend: "js", load: "module" });
    expect(inMemory.variables).toEqual([
      "constructor",
      "__proto__",
      "toString",
      "valueOf",
      "hasOwnProperty",
    ]);
    for (const compiled of [inMemory, asModule]) {
      expect(compiled.evaluate(vars)).toBe(expected);
      expect(compiled.fn(1, 2, 3, 4, 8)).toBe(expected);
      // An empty object has them all on its prototype: none may be read from there.
      expect(() => compiled.evaluate({})).toThrow(ExprInputError);
    }
  });
});

describe("captured builtins", () => {
  /** Runs `work` with `Math.sin` and `Math.pow` replaced, then puts them back. */
  async function withTamperedMath(work: () => Promise<void>): Promise<void> {
    const { sin, pow } = Math;
    Math.sin = () => 42;
    Math.pow = () => 43;
    try {
      await work();
    } finally {
      Math.sin = sin;
      Math.pow = pow;
    }
  }

  it("replacing Math.sin or Math.pow changes no compiled result, before or after compiling", async () => {
    const source = "sin(x) + x^3";
    const expected = Math.sin(0.5) + 0.5 ** 3;
    const before = compile(source, { backend: "js" });
    const beforeModule = await compileAsync(source, { backend: "js", load: "module" });
    await withTamperedMath(async () => {
      const after = compile(`${source} + 0`, { backend: "js" });
      const afterModule = await compileAsync(`${source} + 0`, { backend: "js", load: "module" });
      for (const compiled of [before, beforeModule, after, afterModule]) {
        expect(compiled.evaluate({ x: 0.5 })).toBe(expected);
      }
    });
  });

  it("replacing the global Function after load changes nothing", () => {
    const original = globalThis.Function;
    globalThis.Function = (() => () => () => 99) as unknown as FunctionConstructor;
    try {
      expect(js.compile(toProgram("x * 7 + 0.0625"), {}).fn(2)).toBe(14.0625);
    } finally {
      globalThis.Function = original;
    }
  });
});
