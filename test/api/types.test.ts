/**
 * The public types say what the checks say: values are numbers, columns
 * are BatchColumns, host functions return numbers. Each `@ts-expect-error`
 * below is a type error `npm run typecheck` requires (an unused one is an
 * error itself); at run time the same calls still give the checked error.
 */

import { describe, expect, it } from "vitest";
import {
  type BatchColumns,
  compile,
  createEnvironment,
  ExprInputError,
  evaluate,
  type Vars,
} from "../../src/index.js";

describe("the public types", () => {
  it("refuse a variable that is not a number", () => {
    // @ts-expect-error: values are numbers
    expect(() => evaluate("x", { x: "1" })).toThrow(ExprInputError);
    // @ts-expect-error: positional values too
    expect(() => compile("x").evaluate(["1"])).toThrow(ExprInputError);
    const ok: Vars = { x: 1 };
    expect(evaluate("x", ok)).toBe(1);
  });

  it("refuse a column that is not a BatchColumn", () => {
    const f = compile("x");
    // @ts-expect-error: a column of strings
    expect(() => f.evaluateBatch({ x: ["a"] })).toThrow(ExprInputError);
    // @ts-expect-error: a column that is a string
    expect(() => f.evaluateBatch(["abc"])).toThrow(ExprInputError);
    const columns: BatchColumns = { x: [1, 2] };
    expect([...f.evaluateBatch(columns)]).toEqual([1, 2]);
  });

  it("refuse a host function that returns a string", () => {
    const functions = { f: { fn: () => "1", arity: 0 } };
    // @ts-expect-error: host functions return numbers
    expect(() => evaluate("f()", {}, { functions })).toThrow(ExprInputError);
    // @ts-expect-error: the plain-function form too
    expect(() => createEnvironment({ functions: { g: () => "1" } }).evaluate("g()")).toThrow(
      ExprInputError,
    );
  });
});
