/**
 * The differential harness, bounded for CI: random programs through every
 * back-end against treewalk, print/parse round trips, and random text that
 * may only ever raise ExprError. `npm run fuzz` runs the same for longer.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Backend } from "../../src/backends/backend.js";
import { treewalk } from "../../src/backends/treewalk/index.js";
import { compile } from "../../src/index.js";
import { BACKENDS } from "../support/backends.js";
import {
  agreesWithTreewalk,
  agreesWithTreewalkOnExtensions,
  autoAgreesAcrossPromotions,
  batchAgreesOnExtensions,
  batchAgreesRowByRow,
  onlyExprErrors,
  printParseRoundTrip,
} from "./properties.js";

const numRuns = Number(process.env.EXPRJIT_DIFF_RUNS ?? 300);

describe("differential", () => {
  it("parse(print(ast)) has the shape of ast", () => {
    fc.assert(printParseRoundTrip, { numRuns });
  });

  it("random text and token soups raise only ExprError", () => {
    fc.assert(onlyExprErrors, { numRuns: numRuns * 3 });
  });

  it("auto agrees with treewalk on every call while it promotes", () => {
    fc.assert(autoAgreesAcrossPromotions, { numRuns: Math.ceil(numRuns / 3) });
  });

  // treewalk is in the list too: on the lowered program, it checks the lowering pass alone.
  it.each(BACKENDS.map((b) => [b.name, b] as const))("%s agrees with treewalk", (_, backend) => {
    // Every native case runs the C compiler (~60 ms): fewer of them.
    fc.assert(agreesWithTreewalk(backend), {
      numRuns: backend.name === "native" ? Math.ceil(numRuns / 5) : numRuns,
    });
  });
});

// Random constants, expression functions and host functions: same results, same host calls.
describe("differential with user functions", () => {
  it.each(BACKENDS.map((b) => [b.name, b] as const))("%s agrees with treewalk", (_, backend) => {
    fc.assert(agreesWithTreewalkOnExtensions(backend), {
      numRuns: backend.name === "native" ? Math.ceil(numRuns / 5) : numRuns,
    });
  });
});

describe("batch differential", () => {
  // Each case evaluates up to 5,000 rows: fewer cases than the scalar property.
  it.each(BACKENDS.map((b) => [b.name, b] as const))(
    "%s evaluateBatch equals row-by-row evaluation",
    (_, backend) => {
      fc.assert(batchAgreesRowByRow(backend), {
        numRuns: backend.name === "native" ? Math.ceil(numRuns / 15) : Math.ceil(numRuns / 3),
      });
    },
  );
});

describe("batch differential with user functions", () => {
  it.each(BACKENDS.map((b) => [b.name, b] as const))(
    "%s evaluateBatch equals its rows, host calls included",
    (_, backend) => {
      fc.assert(batchAgreesOnExtensions(backend), {
        numRuns: backend.name === "native" ? Math.ceil(numRuns / 15) : Math.ceil(numRuns / 3),
      });
    },
  );
});

describe("the harness itself", () => {
  it("catches a back-end that loses the sign of zero", () => {
    const sloppy: Backend = {
      ...treewalk,
      // A name outside the union: this back-end is never registered.
      name: "sloppy" as Backend["name"],
      compile(program, options) {
        const code = treewalk.compile(program, options);
        return { ...code, fn: (...values: number[]) => code.fn(...values) + 0 };
      },
    };
    const details = fc.check(agreesWithTreewalk(sloppy), { numRuns: 2000, seed: 1 });
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/sloppy gave 0, treewalk -0 for /);
  });

  it("catches a back-end that evaluates twice (so calls host functions twice)", () => {
    const twice: Backend = {
      ...treewalk,
      // A name outside the union: this back-end is never registered.
      name: "twice" as Backend["name"],
      compile(program, options) {
        const code = treewalk.compile(program, options);
        const fn = (...values: number[]): number => {
          code.fn(...values);
          return code.fn(...values);
        };
        return { ...code, fn };
      },
    };
    const details = fc.check(agreesWithTreewalkOnExtensions(twice), { numRuns: 2000, seed: 1 });
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/twice (gave|called) .*, treewalk /);
  });

  it("catches a batch path that goes wrong past the first vm block", () => {
    const sloppy: Backend = { ...treewalk, name: "sloppy" as Backend["name"] };
    const property = batchAgreesRowByRow(sloppy, (source) => {
      const compiled = compile(source, { backend: "js" });
      return {
        ...compiled,
        fn: compiled.fn,
        evaluateBatch: (columns, options) => {
          const out = compiled.evaluateBatch(columns, options);
          if (out.length > 1024) out[1024] = (out[1024] as number) + 0;
          return out;
        },
        dispose: () => compiled.dispose(),
      };
    });
    const details = fc.check(property, { numRuns: 2000, seed: 1 });
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(
      /sloppy batch gave 0 in row 1024 of \d+, row by row -0 for /,
    );
  });
});
