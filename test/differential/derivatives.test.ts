/**
 * Derivatives on random programs from the shared generator: each partial
 * exactly (Object.is) what dual numbers computed in the test give
 * (dual.ts), `derivative()`'s text compiling to exactly the same values,
 * and every back-end's gradient identical to the reference evaluator's.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { derivativesOf } from "../../src/api/derivative.js";
import { compile, compileGradient, derivative, parse, print } from "../../src/index.js";
import { evaluateNode } from "../../src/semantics/evaluate.js";
import { BACKENDS } from "../support/backends.js";
import { withLibmOf } from "../support/libm.js";
import { exprArbitrary, SPECIAL_VALUES, specialRows } from "./arbitraries.js";
import { derivativeOf } from "./dual.js";

const numRuns = Number(process.env.EXPRJIT_DIFF_RUNS ?? 300);

// Variables more often than constants, so most trees depend on them.
const NAMES = ["x", "y", "x", "y", "x", "y", "pi", "e", "inf", "nan"];
/** Programs of every shape, and programs of arithmetic alone (where most derivatives are not 0). */
const program = fc.oneof(
  exprArbitrary({ names: NAMES, maxDepth: 5 }),
  exprArbitrary({
    names: NAMES,
    maxDepth: 5,
    depthSize: "medium",
    binaryOps: ["+", "-", "*", "/", "%", "^"],
  }),
);
const rows = specialRows(2);
// Mostly ordinary numbers, where derivatives are finite and tell rules apart; the specials too.
const value = fc.oneof(
  { arbitrary: fc.double({ min: -4, max: 4, noNaN: true }), weight: 4 },
  { arbitrary: fc.constantFrom(...SPECIAL_VALUES), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
);
const values = fc.tuple(value, value);

describe("derivatives against dual numbers", () => {
  it("each partial is exactly what dual numbers give, and derivative()'s text gives the same", () => {
    fc.assert(
      fc.property(program, values, (tree, [x, y]) => {
        const source = print(tree);
        const vars = { x, y };
        const gradient = compileGradient(source, { backend: "treewalk", wrt: ["x", "y"] });
        const got = gradient.evaluate(pick(gradient.variables, vars));
        const reparsed = parse(source);
        for (const [i, name] of (["x", "y"] as const).entries()) {
          const expected = derivativeOf(reparsed, name, vars);
          expect(
            Object.is(got[1 + i], expected),
            `d/d${name} ${source} at ${x}, ${y}: ${got[1 + i]} vs ${expected}`,
          ).toBe(true);
          const text = derivative(source, name);
          const fromText = compile(text, { backend: "treewalk" });
          const again = fromText.evaluate(pick(fromText.variables, vars));
          expect(Object.is(again, expected), `text ${text}: ${again} vs ${expected}`).toBe(true);
        }
      }),
      { numRuns },
    );
  });
});

describe("derivative programs on every back-end", () => {
  it.each(BACKENDS.map((b) => [b.name, b] as const))(
    "%s gives the reference evaluator's gradient",
    (_, backend) => {
      fc.assert(
        fc.property(program, (tree) => {
          const source = print(tree);
          const reference = compileGradient(source, { backend: "treewalk", wrt: ["x", "y"] });
          const challenger = compileGradient(source, { backend: backend.name, wrt: ["x", "y"] });
          // A back-end outside the JS engine (native) is held to the reference evaluator
          // run with its own libm on the same programs (as the differential suite does).
          const { value, partials } = derivativesOf(source, ["x", "y"]);
          const programs = [value, ...partials].map((p) =>
            withLibmOf(backend, (p.results[0] as (typeof p.results)[number]).value),
          );
          try {
            const count = challenger.variables.length;
            for (const row of rows) {
              const args = row.slice(0, count);
              const want = backend.exact
                ? reference.fnInto(new Float64Array(3), ...args)
                : programs.map((root) => evaluateNode(root, args));
              const have = challenger.fnInto(new Float64Array(3), ...args);
              for (let k = 0; k < 3; k++) {
                expect(Object.is(have[k], want[k]), `${source} result ${k} at ${args}`).toBe(true);
              }
            }
            // The batch (one pass for every result) gives, row by row, what fnInto gives.
            const columns = challenger.variables.map((_, slot) =>
              Float64Array.from(rows, (row) => row[slot] as number),
            );
            const batch = challenger.evaluateBatch(columns, { length: rows.length });
            rows.forEach((row, i) => {
              const one = challenger.fnInto(new Float64Array(3), ...row.slice(0, count));
              for (let k = 0; k < 3; k++) {
                const got = (batch[k] as Float64Array)[i];
                expect(Object.is(got, one[k]), `${source} batch result ${k} row ${i}`).toBe(true);
              }
            });
          } finally {
            challenger.dispose();
          }
        }),
        { numRuns: backend.name === "native" ? Math.ceil(numRuns / 20) : Math.ceil(numRuns / 3) },
      );
    },
  );
});

function pick(names: readonly string[], vars: Record<string, number>): Record<string, number> {
  const picked: Record<string, number> = {};
  for (const name of names) picked[name] = vars[name] as number;
  return picked;
}
