/**
 * Formula sets (LANGUAGE.md v3, "Formula sets"): compileSet on every
 * back-end and auto, its entries, the outputs option, every error case
 * with its exact message and position in the formula's own text, and a
 * differential property: random sets (random dependency graphs) give, on
 * every back-end, row and batch, exactly the reference evaluator's
 * formula-by-formula results.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../src/api/frontend.js";
import {
  compileSet,
  createEnvironment,
  ExprCycleError,
  type ExprError,
  ExprInputError,
} from "../../src/index.js";
import { evaluateFirst } from "../../src/semantics/evaluate.js";
import { print } from "../../src/syntax/print.js";
import { exprArbitrary, SPECIAL_VALUES } from "../differential/arbitraries.js";
import { BACKENDS } from "../support/backends.js";

const PRICES = { subtotal: "price * qty", tax: "subtotal * rate", total: "subtotal + tax" };

function caught(run: () => unknown): ExprError {
  try {
    run();
  } catch (error) {
    return error as ExprError;
  }
  throw new Error("expected an error");
}

describe.each([...BACKENDS.map((b) => b.name), "auto" as const])("a set on %s", (backend) => {
  it("has outputs in the given order and variables in order of first appearance", () => {
    const set = compileSet(PRICES, { backend });
    expect(set.outputs).toEqual(["subtotal", "tax", "total"]);
    expect(set.variables).toEqual(["price", "qty", "rate"]);
  });

  it("gives every output of a row through fn, fnInto and evaluate", () => {
    const set = compileSet(PRICES, { backend });
    expect([...set.fn(10, 6, 0.25)]).toEqual([60, 15, 75]);
    const out = new Float64Array(3);
    expect(set.fnInto(out, 10, 6, 0.5)).toBe(out);
    expect([...out]).toEqual([60, 30, 90]);
    expect(set.evaluate({ price: 2, qty: 3, rate: 0.5 })).toEqual({
      subtotal: 6,
      tax: 3,
      total: 9,
    });
    expect(set.evaluate([2, 3, 0.5])).toEqual({ subtotal: 6, tax: 3, total: 9 });
  });

  it("gives a column per output in one batch, into the caller's columns when given", () => {
    const set = compileSet(PRICES, { backend });
    const batch = set.evaluateBatch({
      price: [10, 20, 30],
      qty: 2,
      rate: new Float64Array([0, 0.5, 1]),
    });
    expect(Object.keys(batch)).toEqual(["subtotal", "tax", "total"]);
    expect([...(batch.total as Float64Array)]).toEqual([20, 60, 120]);
    const out = [new Float64Array(2), new Float64Array(2), new Float64Array(2)];
    const written = set.evaluateBatch({ price: [1, 2], qty: [3, 4], rate: 1 }, { out });
    expect(written.tax).toBe(out[1]);
    expect(out.map((column) => [...column])).toEqual([
      [3, 8],
      [3, 8],
      [6, 16],
    ]);
  });

  it("returns only the outputs asked for, computing the others only where needed", () => {
    const set = compileSet(
      { ...PRICES, unused: "sqrt(other)" },
      { backend, outputs: ["total", "tax"] },
    );
    expect(set.outputs).toEqual(["total", "tax"]);
    expect(set.variables).toEqual(["price", "qty", "rate"]);
    expect(set.evaluate({ price: 1, qty: 2, rate: 3 })).toEqual({ total: 8, tax: 6 });
  });

  it("lets formulas have bindings of their own, renamed apart", () => {
    const set = compileSet(
      { a: "t = x + 1; t * t", b: "t = a - 1; t / 2", c: "t + a + b" },
      { backend },
    );
    expect(set.variables).toEqual(["x", "t"]);
    expect(set.evaluate({ x: 2, t: 100 })).toEqual({ a: 9, b: 4, c: 113 });
  });
});

describe("a set's checks", () => {
  it("names a missing variable like compile does", () => {
    const error = caught(() => compileSet(PRICES).evaluate({ price: 1, qty: 2 }));
    expect(error).toBeInstanceOf(ExprInputError);
    expect(error.message).toContain("'rate'");
  });

  it("refuses an output that is not a formula", () => {
    expect(caught(() => compileSet(PRICES, { outputs: ["nope"] })).message).toBe(
      "output 'nope' is not a formula of the set",
    );
  });
});

describe('a set\'s errors: LANGUAGE.md, "Formula sets"', () => {
  it("a cycle names every formula in it, with the caret at the reference in each", () => {
    const error = caught(() => compileSet({ a: "b + 1", b: "c * 2", c: "1 - a", d: "a" }));
    expect(error).toBeInstanceOf(ExprCycleError);
    expect(error.kind).toBe("name");
    expect(error.message).toBe(
      "formulas 'a', 'b', 'c' form a cycle (a → b → c → a); a formula cannot depend on its own value",
    );
    const cycle = (error as ExprCycleError).cycle;
    expect(cycle.map((e) => [e.message, e.source, e.offset, e.length])).toEqual([
      ["formula 'a' uses 'b' here", "b + 1", 0, 1],
      ["formula 'b' uses 'c' here", "c * 2", 0, 1],
      ["formula 'c' uses 'a' here", "1 - a", 4, 1],
    ]);
    expect(error.format()).toBe(
      [
        "error: formulas 'a', 'b', 'c' form a cycle (a → b → c → a); a formula cannot depend on its own value",
        "error: formula 'a' uses 'b' here",
        "  1 | b + 1",
        "    | ^",
        "error: formula 'b' uses 'c' here",
        "  1 | c * 2",
        "    | ^",
        "error: formula 'c' uses 'a' here",
        "  1 | 1 - a",
        "    |     ^",
      ].join("\n"),
    );
  });

  it("a formula using itself is a cycle of one", () => {
    const error = caught(() => compileSet({ x1: "2 * x1" }));
    expect([error.message, error.source, error.offset, error.length]).toEqual([
      "formula 'x1' uses itself (x1 → x1); a formula cannot depend on its own value",
      "2 * x1",
      4,
      2,
    ]);
  });

  it.each([
    [
      { a: "1", b: "x +" },
      "formula 'b': expected an operand after '+', found end of input",
      "b",
      3,
      0,
    ],
    [
      { a: "1", b: "sinn(a)" },
      "formula 'b': unknown function 'sinn'; did you mean 'sin'?",
      "b",
      0,
      4,
    ],
    [{ a: "sin(1, 2)" }, "formula 'a': 'sin' takes 1 argument, but was given 2", "a", 0, 9],
    [
      { a: "(1 +\n (2" },
      "formula 'a': expected ')' to close the '(' at 2:2, found end of input",
      "a",
      8,
      0,
    ],
    [{ a: "t = 1; t = 2; t" }, "formula 'a': 't' is bound twice (first at 1:1)", "a", 7, 1],
    [
      { a: "1", b: "a = 2; a" },
      "formula 'b': 'a' is a formula of the set and cannot be bound",
      "b",
      0,
      1,
    ],
    [{ a: "y + u; u = 1" }, "formula 'a': nothing may follow the result", "a", 5, 1],
    [
      { a: "t = u + 1; u = 2; t" },
      "formula 'a': 'u' is used before its binding at 1:12",
      "a",
      4,
      1,
    ],
    [{ a: "1", b: "a(2)" }, "formula 'b': unknown function 'a'", "b", 0, 1],
    [{ a: "1 = 2" }, "formula 'a': only a name can be bound", "a", 0, 1],
  ])("%j: %s", (formulas, message, formula, offset, length) => {
    const error = caught(() => compileSet(formulas as Record<string, string>));
    expect([
      error.message,
      (error as ExprError & { formula: string }).formula,
      error.offset,
      error.length,
    ]).toEqual([message, formula, offset, length]);
    expect(error.source).toBe((formulas as Record<string, string>)[formula]);
  });

  it("a formula's name must be a name, and not a builtin or user name", () => {
    expect(caught(() => compileSet({ "2x": "1" })).message).toBe('formula name "2x" is not a name');
    expect(caught(() => compileSet({ sin: "1" })).message).toBe(
      "formula 'sin' cannot be named so: 'sin' is a builtin function",
    );
    const environment = createEnvironment({ constants: { g: 9.81 } });
    expect(caught(() => compileSet({ g: "1" }, { environment })).message).toBe(
      "formula 'g' cannot be named so: 'g' is a constant",
    );
  });

  it("the depth limit applies to each formula, not to the chain of formulas", () => {
    const formulas: Record<string, string> = { f0: "x" };
    for (let i = 1; i < 5000; i++) formulas[`f${i}`] = `f${i - 1} + 1`;
    for (const backend of ["treewalk", "vm", "js"] as const) {
      const set = compileSet(formulas, { backend, maxDepth: 3, outputs: ["f4999"] });
      expect(set.evaluate({ x: 1 })).toEqual({ f4999: 5000 });
    }
  });
});

/** A random set: formulas f0…fk, each over the variables and the formulas before it (by name). */
const setArbitrary = fc.integer({ min: 1, max: 6 }).chain((count) => {
  const formulas = Array.from({ length: count }, (_, i) =>
    exprArbitrary({
      maxDepth: 4,
      names: ["x", "y", "pi", ...Array.from({ length: i }, (_, k) => `f${k}`)],
    }).map(print),
  );
  // The given order is shuffled, so formulas may use ones given after them.
  return fc.tuple(
    fc.tuple(...formulas),
    fc.shuffledSubarray([...Array(count).keys()], { minLength: count }),
  );
});

const valuesArbitrary = fc.tuple(fc.constantFrom(...SPECIAL_VALUES), fc.double());

describe.each(BACKENDS.map((b) => [b.name, b] as const))("random sets on %s", (name, backend) => {
  it("give, formula by formula, row and batch, what each formula compiled alone gives", () => {
    fc.assert(
      fc.property(
        setArbitrary,
        fc.array(valuesArbitrary, { minLength: 1, maxLength: 4 }),
        ([texts, order], rows) => {
          const formulas: Record<string, string> = {};
          for (const i of order) formulas[`f${i}`] = texts[i] as string;
          const set = compileSet(formulas, { backend: name });
          // The reference: each formula alone, the formulas it uses given as variables.
          const reference = (x: number, y: number): Record<string, number> => {
            const known: Record<string, number> = { x, y };
            texts.forEach((text, i) => {
              const program = toProgram(text);
              known[`f${i}`] = evaluateFirst(
                program,
                program.variables.map((v) => known[v] as number),
              );
            });
            return known;
          };
          const columns = { x: rows.map((r) => r[0]), y: rows.map((r) => r[1]) };
          const batch = set.evaluateBatch(columns, { length: rows.length });
          rows.forEach(([x, y], row) => {
            const expected = reference(x, y);
            const vars = Object.fromEntries(set.variables.map((v) => [v, v === "x" ? x : y]));
            const got = set.evaluate(vars);
            for (const output of set.outputs) {
              const want = expected[output] as number;
              // An inexact back-end (native's libm) is held to its own row results only.
              if (backend.exact && !Object.is(got[output], want)) {
                throw new Error(
                  `${name}: ${output} of ${JSON.stringify(formulas)} at (${x}, ${y}): row ${got[output]}, batch ${(batch[output] as Float64Array)[row]}, alone ${want}`,
                );
              }
              if (!Object.is((batch[output] as Float64Array)[row], got[output])) {
                throw new Error(
                  `${name}: batch and row differ for ${output} of ${JSON.stringify(formulas)}`,
                );
              }
            }
          });
          set.dispose();
        },
      ),
      { numRuns: name === "native" ? 15 : 120 },
    );
  });
});
