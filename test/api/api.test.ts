import { describe, expect, it } from "vitest";
import {
  backends,
  compile,
  compileAsync,
  ExprBackendError,
  ExprError,
  ExprInputError,
  evaluate,
  parse,
  print,
} from "../../src/index.js";

describe("public API", () => {
  it("evaluates with the reference interpreter by default", () => {
    expect(evaluate("1+1.2-5")).toBe(1 + 1.2 - 5);
    expect(Object.is(evaluate("-(0)"), -0)).toBe(true);
  });

  it("lists variables in order of first appearance", () => {
    expect(compile("y*x+y").variables).toEqual(["y", "x"]);
    expect(compile("pi*r^2").variables).toEqual(["r"]);
  });

  it("takes an object (own properties only, extras ignored) or positional values", () => {
    const f = compile("y*x+y", { backend: "treewalk" });
    expect(f.evaluate({ x: 2, y: 3, extra: "ignored" })).toBe(9);
    expect(f.evaluate([3, 2])).toBe(9);
    expect(f.evaluate(new Float64Array([3, 2]))).toBe(9);
    expect(f.fn(3, 2)).toBe(9);
    const inherited = Object.create({ x: 1, y: 1 }) as Record<string, number>;
    expect(() => f.evaluate(inherited)).toThrow(ExprInputError);
  });

  it("treats prototype names as ordinary variables", () => {
    const f = compile("constructor + __proto__ * toString", { backend: "treewalk" });
    expect(f.variables).toEqual(["constructor", "__proto__", "toString"]);
    const vars = JSON.parse('{"constructor": 1, "__proto__": 2, "toString": 3}') as Record<
      string,
      number
    >;
    expect(f.evaluate(vars)).toBe(7);
    expect(() => f.evaluate({})).toThrow("no value given for variable 'constructor'");
  });

  it("rejects missing, extra positional and non-number values with an input error", () => {
    const f = compile("x + y", { backend: "treewalk" });
    expect(() => f.evaluate([1])).toThrow("no value given for variable 'y'");
    expect(() => f.evaluate([1, 2, 3])).toThrow("expected 2 values (x, y), got 3");
    expect(() => f.evaluate({ x: 1, y: 2n })).toThrow("variable 'y' must be a number, got bigint");
    expect(() => f.evaluate({ x: null, y: 1 })).toThrow("variable 'x' must be a number, got null");
    expect(() => f.evaluate()).toThrow("no value given for variable 'x'");
    expect(() => f.evaluate(5 as never)).toThrow(
      "variables must be given as an object or an array",
    );
    expect(compile("1").evaluate()).toBe(1);
  });

  it("names the back-ends usable here, treewalk first", () => {
    expect(backends[0]).toBe("treewalk");
    expect(Object.isFrozen(backends)).toBe(true);
    for (const name of backends) expect(compile("2*3", { backend: name }).evaluate()).toBe(6);
  });

  it("raises an ExprError for an unknown back-end", () => {
    // @ts-expect-error: `backend` is typed as the union of back-end names; JavaScript may pass anything
    expect(() => compile("1", { backend: "nope" })).toThrow(
      /unknown back-end 'nope' \(known: auto, treewalk/,
    );
    try {
      // @ts-expect-error: as above
      compile("1", { backend: "nope" });
    } catch (error) {
      expect((error as ExprError).kind).toBe("backend");
    }
  });

  it("compiles asynchronously with every back-end", async () => {
    for (const name of backends) {
      const f = await compileAsync("x^2", { backend: name });
      expect(f.backend).toBe(name);
      expect(f.evaluate({ x: 3 })).toBe(9);
      f.dispose();
    }
  });

  it("raises ExprError, never TypeError, for misuse", () => {
    for (const misuse of [
      () => evaluate(123 as never),
      () => evaluate(undefined as never),
      () => parse(null as never),
      () => compile("1", { maxDepth: Number.NaN }),
      () => compile("1", { maxDepth: 0 }),
      () => compile("1", { maxLength: "5" as never }),
      () => compile("1", { backend: "vm", load: "module" }),
    ]) {
      expect(misuse).toThrow(ExprError);
    }
    expect(() => compile("1", { maxDepth: -1 })).toThrow(
      "maxDepth must be a whole number of at least 1, not -1",
    );
    expect(() => evaluate(123 as never)).toThrow("the expression must be a string, not 123");
    expect(() => compile("1", { maxDepth: -1 })).toThrow(
      expect.objectContaining({ kind: "options", name: "ExprOptionsError" }),
    );
    expect(compile("1+1", null).evaluate()).toBe(2);
  });

  it("refuses options of the wrong shape instead of ignoring them", () => {
    const options = (work: () => unknown) => {
      try {
        work();
      } catch (error) {
        return [(error as ExprError).kind, (error as ExprError).message];
      }
      return ["no error"];
    };
    expect(options(() => compile("1+1", "vm" as never))).toEqual([
      "options",
      'options must be an object such as { backend: "vm" }, not the string "vm"',
    ]);
    expect(options(() => compile("1", { maxDepth: "5" as never }))).toEqual([
      "options",
      'maxDepth must be a whole number of at least 1, not the string "5"',
    ]);
    expect(options(() => compile("1", { backend: 5 as never }))).toEqual([
      "options",
      "backend must be a back-end's name, not 5",
    ]);
    expect(options(() => evaluate("1", {}, [] as never))).toEqual([
      "options",
      'options must be an object such as { backend: "vm" }, not an array',
    ]);
    expect(options(() => parse("1", 7 as never))[0]).toBe("options");
  });

  it("raises the subclass of each kind for back-end problems too", () => {
    try {
      // @ts-expect-error: a misspelt back-end is a type error too; JavaScript callers get this
      compile("1", { backend: "wasn" });
      expect.fail("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(ExprBackendError);
      expect((error as ExprError).message).toMatch(
        /^unknown back-end 'wasn' \(known: auto, treewalk, vm, closure, js, wasm, native\)$/,
      );
    }
  });

  it("parses to a tree that prints back to minimal source", () => {
    expect(print(parse("((1 + 2)) * (3)"))).toBe("(1 + 2) * 3");
    expect(parse("x").kind).toBe("identifier");
  });
});
