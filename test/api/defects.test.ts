/**
 * Small defects of the API found by hostile probing (issue 20): each test
 * failed before its fix. Defect numbers are the issue's.
 */

import { describe, expect, it } from "vitest";
import {
  compile,
  createEnvironment,
  DEFAULT_LIMITS,
  ExprInputError,
  ExprOptionsError,
  evaluate,
  formatNumber,
} from "../../src/index.js";
import { BACKENDS } from "../support/backends.js";

/** The error `run` throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("defect 6: a row count no Float64Array can hold", () => {
  it.each([...BACKENDS.map((b) => b.name), "auto"] as const)(
    "is an ExprInputError on %s",
    (backend) => {
      const f = compile("x + 1", { backend });
      const error = thrown(() => f.evaluateBatch({ x: 1 }, { length: 1e12 }));
      expect(error).toBeInstanceOf(ExprInputError);
      expect((error as ExprInputError).message).toBe(
        "cannot hold 1000000000000 rows: the out buffer could not be allocated",
      );
    },
  );

  it("is an ExprInputError from a parallel batch", async () => {
    const f = compile("x + 1", { backend: "vm" });
    const error = await f.evaluateBatchParallel({ x: 1 }, { length: 1e12 }).catch((e) => e);
    expect(error).toBeInstanceOf(ExprInputError);
    expect((error as Error).message).toBe(
      "cannot hold 1000000000000 rows: the out buffer could not be allocated",
    );
  });
});

describe("defect 11: the defaults cannot be changed, formatNumber checks its argument", () => {
  it("DEFAULT_LIMITS is frozen", () => {
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
    expect(() => {
      (DEFAULT_LIMITS as { maxDepth: number }).maxDepth = 5;
    }).toThrow(TypeError);
    expect(evaluate("((((((1))))))")).toBe(1);
  });

  it("formatNumber refuses what is not a number", () => {
    for (const value of ["abc", undefined, null, 1n, {}]) {
      expect(() => formatNumber(value as number)).toThrow(
        new TypeError(`formatNumber takes a number, got ${value === null ? "null" : typeof value}`),
      );
    }
    expect(formatNumber(-0)).toBe("-0");
    expect(formatNumber(0.1)).toBe("0.1");
  });
});

describe("defect 12: an unknown option key", () => {
  it("is an ExprOptionsError with a did-you-mean, on every entry", () => {
    const cases: [() => unknown, string][] = [
      [
        () => compile("1", { backedn: "vm" } as never),
        "unknown option 'backedn'; did you mean 'backend'?",
      ],
      [
        () => evaluate("1", {}, { maxdepth: 3 } as never),
        "unknown option 'maxdepth'; did you mean 'maxDepth'?",
      ],
      [() => compile("1", { colour: 1 } as never), "unknown option 'colour'"],
      [
        () => createEnvironment({ constant: { k: 1 } } as never),
        "unknown option 'constant'; did you mean 'constants'?",
      ],
      [() => createEnvironment({ backend: "vm" } as never), "unknown option 'backend'"],
      [() => compile("1", JSON.parse('{"__proto__": 1}')), "unknown option '__proto__'"],
    ];
    for (const [run, message] of cases) {
      const error = thrown(run);
      expect(error).toBeInstanceOf(ExprOptionsError);
      expect((error as Error).message).toBe(message);
    }
  });

  it("lets every known option through", () => {
    const f = compile("x + k", {
      backend: "auto",
      maxLength: 100,
      maxDepth: 50,
      tiers: ["treewalk", "vm"],
      thresholds: [10],
      constants: { k: 1 },
      functions: {},
    });
    expect(f.evaluate({ x: 1 })).toBe(2);
  });
});

describe("defect 7: a plain-array column is read once", () => {
  it.each([...BACKENDS.map((b) => b.name), "auto"] as const)(
    "an element getter that changes its value after the check changes nothing on %s",
    (backend) => {
      const f = compile("x + 1", { backend });
      let reads = 0;
      const column: number[] = [1, 2, 3];
      Object.defineProperty(column, 1, {
        get: () => (++reads === 1 ? 5 : ("boom" as unknown as number)),
        enumerable: true,
      });
      const out = f.evaluateBatch({ x: column });
      expect(Array.from(out)).toEqual([2, 6, 4]);
      expect(reads).toBe(1);
    },
  );

  it("a getter that first yields a non-number is refused with its row", () => {
    const column: number[] = [1, 2];
    Object.defineProperty(column, 1, { get: () => "boom", enumerable: true });
    const error = thrown(() => compile("x", { backend: "vm" }).evaluateBatch({ x: column }));
    expect(error).toBeInstanceOf(ExprInputError);
    expect((error as Error).message).toBe("variable 'x' must be a number in row 1, got string");
  });
});
