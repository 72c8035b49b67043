/**
 * The shared suites cover `js` with its default loading (`new Function`);
 * this runs the same tables and the same random programs with
 * `{ load: "module" }`, through `compileAsync`.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { js } from "../../../src/backends/js/index.js";
import { compileAsync } from "../../../src/index.js";
import { evaluateNode } from "../../../src/semantics/evaluate.js";
import { firstResult } from "../../../src/semantics/program.js";
import { print } from "../../../src/syntax/print.js";
import { ERROR_CASES, VALUE_CASES, VARS } from "../../conformance/cases.js";
import { expectErrorCase } from "../../conformance/expect.js";
import { exprArbitrary, inputs } from "../../differential/arbitraries.js";

const options = { backend: "js", load: "module" } as const;

describe("js as an ES module: conformance", () => {
  it.each(VALUE_CASES)("%s", async (source, expected) => {
    const compiled = await compileAsync(source, options);
    const positional = compiled.variables.map((name) => VARS[name as keyof typeof VARS]);
    for (const result of [
      compiled.evaluate(VARS),
      compiled.evaluate(positional),
      compiled.fn(...positional),
    ]) {
      expect(Object.is(result, expected), `${result} is not ${expected}`).toBe(true);
    }
  });

  it.each(ERROR_CASES)("error: $source", async (errorCase) => {
    const caught = await compileAsync(errorCase.source, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expectErrorCase(caught, errorCase);
  });
});

describe("js as an ES module: deep programs", () => {
  it("loads a 2,000-term sum and a 999-level conditional chain", async () => {
    for (const source of [
      Array.from({ length: 2000 }, () => "x").join("+"),
      `${"x < 0 ? 1 : ".repeat(999)}x`,
    ]) {
      const program = toProgram(source);
      const code = await js.compileAsync?.(program, { load: "module" });
      expect(code?.dump()).toContain("function f0()");
      expect(code?.fn(1.25)).toBe(evaluateNode(firstResult(program), [1.25]));
    }
  });
});

describe("js as an ES module: differential", () => {
  it("agrees with treewalk on random programs and inputs", async () => {
    await fc.assert(
      fc.asyncProperty(exprArbitrary(), inputs, async (ast, vars) => {
        const program = toProgram(print(ast));
        const values = program.variables.map((name) => vars[name] as number);
        const code = await js.compileAsync?.(program, { load: "module" });
        const actual = code?.fn(...values);
        const expected = evaluateNode(firstResult(program), values);
        if (!Object.is(actual, expected)) {
          throw new Error(`module gave ${actual}, treewalk ${expected} for ${program.source}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
