/**
 * `evaluateBatch` through the public API: the column forms LANGUAGE.md
 * allows, the exact errors (variable, row, caret), `out` untouched on
 * error, and the chunked paths (plain arrays, broadcast numbers) on every
 * back-end.
 */

import { describe, expect, it } from "vitest";
import { BATCH_CHUNK_ROWS } from "../../src/api/batch.js";
import { compile, ExprError, ExprInputError } from "../../src/index.js";
import { BACKENDS } from "../support/backends.js";

const names = BACKENDS.map((b) => b.name);

/** The error `run` throws, checked to be an ExprInputError. */
function inputError(run: () => unknown): ExprInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ExprInputError);
    return error as ExprInputError;
  }
  throw new Error("expected an ExprInputError");
}

describe.each(names)("evaluateBatch on %s", (backend) => {
  const f = compile("x * 2 + y", { backend });
  const neg = compile("-x", { backend });

  it("takes an object of Float64Arrays and gives a Float64Array", () => {
    const out = f.evaluateBatch({
      x: new Float64Array([1, 2, -0.5]),
      y: new Float64Array([0, 1, 1]),
    });
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([2, 5, 0]);
  });

  it("takes an array of columns in variables order, plain arrays and numbers", () => {
    expect(Array.from(f.evaluateBatch([[1, 2], 10]))).toEqual([12, 14]);
    expect(Array.from(f.evaluateBatch({ x: 3, y: [1, 2, 3] }))).toEqual([7, 8, 9]);
  });

  it("keeps the sign of zero and NaN exactly", () => {
    const out = neg.evaluateBatch({ x: [0, -0, Number.NaN, Number.POSITIVE_INFINITY] });
    expect(Object.is(out[0], -0)).toBe(true);
    expect(Object.is(out[1], 0)).toBe(true);
    expect(out[2]).toBeNaN();
    expect(out[3]).toBe(Number.NEGATIVE_INFINITY);
  });

  it("writes into out in place and returns it", () => {
    const out = new Float64Array(2);
    expect(f.evaluateBatch({ x: [1, 2], y: [3, 4] }, { out })).toBe(out);
    expect(Array.from(out)).toEqual([5, 8]);
  });

  it("lets out be one of the columns", () => {
    const x = new Float64Array([1, 2, 3]);
    f.evaluateBatch({ x, y: x }, { out: x });
    expect(Array.from(x)).toEqual([3, 6, 9]);
  });

  it("broadcasts numbers over the length option", () => {
    expect(Array.from(f.evaluateBatch({ x: 1, y: 2 }, { length: 3 }))).toEqual([4, 4, 4]);
    expect(f.evaluateBatch({ x: 1, y: 2 }, { length: 0 })).toHaveLength(0);
  });

  it("fills n rows for an expression without variables", () => {
    const c = compile("1 + 1.2 - 5", { backend });
    expect(Array.from(c.evaluateBatch(undefined, { length: 2 }))).toEqual([-2.8, -2.8]);
    expect(Array.from(c.evaluateBatch({}, { length: 1 }))).toEqual([-2.8]);
  });

  it("gives zero rows for empty columns", () => {
    expect(f.evaluateBatch({ x: [], y: new Float64Array(0) })).toHaveLength(0);
  });

  it("runs plain arrays and numbers across chunk boundaries", () => {
    const n = BATCH_CHUNK_ROWS * 2 + 3;
    const x = Array.from({ length: n }, (_, i) => i - 5);
    const out = f.evaluateBatch({ x, y: 0.5 });
    for (const i of [0, BATCH_CHUNK_ROWS - 1, BATCH_CHUNK_ROWS, n - 1]) {
      expect(out[i]).toBe((i - 5) * 2 + 0.5);
    }
  });
});

describe("evaluateBatch input errors", () => {
  const f = compile("x * 2 + y", { backend: "js" });
  const untouched = () => new Float64Array([7, 7]);

  /** The error, with a check that `out` was not written. */
  function failing(columns: unknown, options: Record<string, unknown> = {}): ExprInputError {
    const out = untouched();
    const error = inputError(() => f.evaluateBatch(columns as never, { out, ...options } as never));
    expect(Array.from(out)).toEqual([7, 7]);
    return error;
  }

  it("names a missing column and points at its first use", () => {
    const error = failing({ x: [1, 2] });
    expect(error.message).toBe("no column given for variable 'y'");
    expect(error.format()).toBe(
      ["error: no column given for variable 'y'", "  1 | x * 2 + y", "    |         ^"].join("\n"),
    );
    expect(failing([[1, 2]]).message).toBe("no column given for variable 'y'");
  });

  it("takes own properties only", () => {
    const inherited = Object.create({ y: [1, 2] }) as Record<string, unknown>;
    inherited.x = [1, 2];
    expect(failing(inherited).message).toBe("no column given for variable 'y'");
  });

  it("names a non-number element with its row", () => {
    const error = failing({ x: [1, 2], y: [3, "4"] });
    expect(error.message).toBe("variable 'y' must be a number in row 1, got string");
    expect(error.offset).toBe(8);
    expect(failing({ x: [null, 2], y: [3, 4] }).message).toBe(
      "variable 'x' must be a number in row 0, got null",
    );
  });

  it("refuses columns of other types", () => {
    expect(failing({ x: new Float32Array(2), y: [1, 2] }).message).toBe(
      "column 'x' must be a Float64Array, an array of numbers or a number, got a Float32Array",
    );
    expect(failing({ x: "12", y: [1, 2] }).message).toBe(
      "column 'x' must be a Float64Array, an array of numbers or a number, got string",
    );
    expect(failing(new Float64Array(2)).message).toBe(
      "columns must be given as an object or an array, not a typed array",
    );
    expect(failing(5).message).toBe("columns must be given as an object or an array, not number");
  });

  it("refuses columns of different lengths", () => {
    expect(failing({ x: [1, 2], y: [1, 2, 3] }).message).toBe(
      "column 'y' has 3 rows, but column 'x' has 2",
    );
  });

  it("refuses too many columns", () => {
    expect(
      failing([
        [1, 2],
        [1, 2],
        [1, 2],
      ]).message,
    ).toBe("expected 2 columns (x, y), got 3");
  });

  it("needs the length option when no column has rows, and checks it", () => {
    expect(failing({ x: 1, y: 2 }).message).toBe(
      "every column is a single number: give the row count as the length option",
    );
    expect(failing({ x: [1, 2], y: 2 }, { length: 3 }).message).toBe(
      "the length option is 3, but column 'x' has 2 rows",
    );
    expect(failing({ x: 1, y: 2 }, { length: -1 }).message).toBe(
      "the length option must be a whole number of rows, got -1",
    );
    const none = compile("2", { backend: "vm" });
    expect(inputError(() => none.evaluateBatch()).message).toBe(
      "the expression has no variables: give the row count as the length option",
    );
  });

  it("checks out: a Float64Array of exactly n rows", () => {
    expect(
      inputError(() => f.evaluateBatch({ x: [1], y: [2] }, { out: [0] as never })).message,
    ).toBe("the out option must be a Float64Array, got an array");
    const short = new Float64Array(1);
    expect(inputError(() => f.evaluateBatch({ x: [1, 2], y: 2 }, { out: short })).message).toBe(
      "the out option has 1 row, expected 2",
    );
    expect(short[0]).toBe(0);
  });

  it("is an ExprError of kind input", () => {
    const error = failing({ x: [1, 2] });
    expect(error).toBeInstanceOf(ExprError);
    expect(error.kind).toBe("input");
  });
});
