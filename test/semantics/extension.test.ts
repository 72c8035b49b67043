/**
 * Validating an application's extension: every mistake is an ExprError of
 * its kind, with its exact message and position (inside a definition's own
 * text where there is one); and prototype names are ordinary names.
 */

import { describe, expect, it } from "vitest";
import {
  compile,
  createEnvironment,
  type EnvironmentOptions,
  ExprError,
  resolveProgram,
} from "../../src/index.js";
import { firstResult } from "../../src/semantics/program.js";

/** The error `createEnvironment(options)` raises, as the fields a test compares. */
function failure(options: EnvironmentOptions): {
  kind: string;
  message: string;
  source: string;
  offset: number;
  length: number;
} {
  try {
    createEnvironment(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ExprError);
    const { kind, message, source, offset, length } = error as ExprError;
    return { kind, message, source, offset, length };
  }
  throw new Error("createEnvironment accepted it");
}

const id = (x: number) => x;

describe("names", () => {
  it("must be identifiers", () => {
    expect(failure({ constants: { "1x": 1 } })).toEqual({
      kind: "name",
      message:
        'constant name "1x" is not a name (letters, digits and _, not starting with a digit)',
      source: "1x",
      offset: 0,
      length: 2,
    });
    expect(failure({ functions: { "a-b": id } })).toMatchObject({
      kind: "name",
      message: expect.stringContaining('function name "a-b" is not a name'),
    });
    expect(failure({ functions: new Map([["", id]]) })).toMatchObject({ kind: "name" });
  });

  it("may not reuse a builtin's", () => {
    expect(failure({ constants: { sin: 1 } })).toMatchObject({
      kind: "name",
      message: "'sin' is a builtin function; a constant needs another name",
    });
    expect(failure({ functions: { pi: id } })).toMatchObject({
      kind: "name",
      message: "'pi' is a builtin constant; a function needs another name",
    });
  });

  it("may not be both a constant and a function", () => {
    expect(failure({ constants: { k: 1 }, functions: { k: id } })).toEqual({
      kind: "name",
      message: "'k' is given both as a constant and as a function",
      source: "k",
      offset: 0,
      length: 1,
    });
  });

  it("include prototype names, which never reach Object.prototype", () => {
    const constants = Object.defineProperty({ constructor: 2, toString: 3 }, "__proto__", {
      value: 5,
      enumerable: true,
    });
    const env = createEnvironment({
      constants,
      functions: new Map<string, string | ((x: number) => number)>([
        ["hasOwnProperty", "hasOwnProperty(x) = x * 7"],
        ["valueOf", (x: number) => x + 0.5],
      ]),
    });
    expect(env.names).toEqual([
      "constructor",
      "toString",
      "__proto__",
      "hasOwnProperty",
      "valueOf",
    ]);
    const f = env.compile("constructor + toString * __proto__ + hasOwnProperty(valueOf(1))");
    expect(f.variables).toEqual([]);
    expect(f.evaluate()).toBe(2 + 3 * 5 + 1.5 * 7);
    // Not user names: still variables, read from own properties only.
    expect(env.compile("isPrototypeOf + 1").variables).toEqual(["isPrototypeOf"]);
    expect(Object.prototype.hasOwnProperty).toBeTypeOf("function");
  });
});

describe("constants and host functions", () => {
  it("a constant must be a number", () => {
    expect(failure({ constants: { g: "9.81" as unknown as number } })).toEqual({
      kind: "input",
      message: "constant 'g' must be a number, not the string \"9.81\"",
      source: "g",
      offset: 0,
      length: 1,
    });
  });

  it("a host function must be a function", () => {
    const given = { f: { fn: 3 } } as unknown as EnvironmentOptions["functions"];
    expect(failure({ functions: given })).toMatchObject({
      kind: "input",
      message: expect.stringMatching(/^function 'f' must be a JS function, .*; got \{ fn: 3 \}$/),
    });
    const number = { f: 42 } as unknown as EnvironmentOptions["functions"];
    expect(failure({ functions: number }).message).toMatch(/; got 42$/);
  });

  it("an arity is a count from 0 to 1000 or a range", () => {
    for (const arity of [-1, 1.5, 1001, [2, 1], [0, -1], [Number.NaN, 1], "2"]) {
      const spec = { f: { fn: id, arity } } as unknown as EnvironmentOptions["functions"];
      expect(failure({ functions: spec })).toMatchObject({
        kind: "arity",
        message: expect.stringContaining("arity of 'f' must be a whole number from 0 to 1000"),
      });
    }
    const env = createEnvironment({
      functions: {
        fixed: { fn: id, arity: 1 },
        range: { fn: (...xs: number[]) => xs.length, arity: [1, 3] },
        many: { fn: (...xs: number[]) => xs.length, arity: [1, Number.POSITIVE_INFINITY] },
        byLength: (a: number, b: number) => a - b,
      },
    });
    expect(env.evaluate("range(9) + range(9, 9, 9) * 10 + many(1,1,1,1,1) * 100")).toBe(531);
    expect(env.evaluate("byLength(5, 2)")).toBe(3);
    expect(() => env.compile("range(1, 2, 3, 4)")).toThrow("'range' takes 1 to 3 arguments");
    expect(() => env.compile("byLength(1)")).toThrow("'byLength' takes 2 arguments");
  });

  it("pure must be a boolean", () => {
    const spec = { f: { fn: id, pure: "yes" } } as unknown as EnvironmentOptions["functions"];
    expect(failure({ functions: spec })).toMatchObject({
      kind: "input",
      message: "'pure' of function 'f' must be true or false, not the string \"yes\"",
    });
  });

  it("tables are objects or Maps", () => {
    const list = [1] as unknown as EnvironmentOptions["constants"];
    expect(failure({ constants: list })).toMatchObject({
      kind: "input",
      message: "constants must be an object or a Map of names, not an array",
    });
  });
});

describe("definitions", () => {
  it("point into their own text for syntax errors", () => {
    expect(failure({ functions: { f: "f(x) = x +" } })).toEqual({
      kind: "syntax",
      message: "expected an operand after '+', found end of input",
      source: "f(x) = x +",
      offset: 10,
      length: 0,
    });
    expect(failure({ functions: { f: "f(x y) = x" } })).toMatchObject({
      kind: "syntax",
      message: "expected ',' or ')' in the parameter list",
      offset: 4,
    });
    expect(failure({ functions: { f: "f(x) x" } })).toMatchObject({
      kind: "syntax",
      message: "expected '=' and the body after the parameters",
      offset: 5,
    });
    expect(failure({ functions: { f: "f(x) == x" } })).toMatchObject({ kind: "syntax", offset: 5 });
    expect(failure({ functions: { f: "f x = x" } })).toMatchObject({
      kind: "syntax",
      message: "expected '(' and the parameters after 'f'",
      offset: 2,
    });
    expect(failure({ functions: { f: "f(1) = 1" } })).toMatchObject({
      kind: "syntax",
      message: "expected a parameter name",
      offset: 2,
    });
    expect(failure({ functions: { f: "  = 1" } })).toMatchObject({ kind: "syntax", offset: 2 });
    expect(failure({ functions: { f: { params: ["x"], body: "x $ 1" } } })).toEqual({
      kind: "syntax",
      message: "unexpected character '$'",
      source: "x $ 1",
      offset: 2,
      length: 1,
    });
  });

  it("name the function they are given as", () => {
    expect(failure({ functions: { g: "f(x) = x" } })).toEqual({
      kind: "name",
      message: "this definition is of 'f', but it is given as function 'g'",
      source: "f(x) = x",
      offset: 0,
      length: 1,
    });
  });

  it("point at an unknown name in the body", () => {
    const formatted = (() => {
      try {
        createEnvironment({ functions: { lerp: "lerp(a, b, t) = a + (b - a) * tt" } });
      } catch (error) {
        return (error as ExprError).format();
      }
      return "";
    })();
    expect(formatted).toBe(
      [
        "error: unknown name 'tt' in the body of 'lerp' (its parameters: a, b, t)",
        "  1 | lerp(a, b, t) = a + (b - a) * tt",
        "    |                               ^^",
      ].join("\n"),
    );
    expect(failure({ functions: { f: "f(x) = sinn(x)" } })).toMatchObject({
      kind: "name",
      message: "unknown function 'sinn'; did you mean 'sin'?",
      offset: 7,
      length: 4,
    });
    expect(failure({ functions: { f: "f(x) = sin(x, x)" } })).toMatchObject({
      kind: "arity",
      offset: 7,
      length: 9,
    });
  });

  it("refuse recursion, mutual recursion, and calls of later definitions", () => {
    expect(failure({ functions: { f: "f(x) = 1 + f(x - 1)" } })).toEqual({
      kind: "name",
      message: "'f' calls itself; an expression function cannot be recursive",
      source: "f(x) = 1 + f(x - 1)",
      offset: 11,
      length: 1,
    });
    expect(
      failure({ functions: { f: "f(x) = g(x) + 1", g: "g(x) = h(x)", h: "h(x) = f(x)" } }),
    ).toEqual({
      kind: "name",
      message:
        "'f' and 'g' call each other (f → g → h → f); expression functions cannot be recursive",
      source: "f(x) = g(x) + 1",
      offset: 7,
      length: 1,
    });
    expect(failure({ functions: { f: "f(x) = g(x)", g: "g(x) = x" } })).toMatchObject({
      kind: "name",
      message: "'g' is defined after 'f'; a function may call only functions defined before it",
      offset: 7,
    });
  });

  it("have parameters no one else has", () => {
    expect(failure({ functions: { f: "f(x, e) = x" } })).toEqual({
      kind: "name",
      message: "parameter 'e' of 'f' is a builtin name",
      source: "f(x, e) = x",
      offset: 5,
      length: 1,
    });
    expect(failure({ constants: { k: 1 }, functions: { f: "f(k) = k" } }).message).toBe(
      "parameter 'k' of 'f' is the name of a constant",
    );
    expect(failure({ functions: { f: "f(g) = 1", g: id } }).message).toBe(
      "parameter 'g' of 'f' is the name of a function",
    );
    expect(failure({ functions: { f: "f(x, x) = x" } })).toMatchObject({
      message: "parameter 'x' of 'f' is given twice",
      offset: 5,
    });
    expect(failure({ functions: { f: { params: ["x", "1"], body: "x" } } })).toMatchObject({
      kind: "name",
      message: "parameter \"1\" of 'f' is not a name",
    });
  });

  it("keep to the limits given", () => {
    expect(
      failure({ functions: { f: `f(x) = ${"(".repeat(5)}x${")".repeat(5)}` }, maxDepth: 3 }),
    ).toMatchObject({ kind: "limit", source: "f(x) = (((((x)))))" });
  });
});

describe("resolving with user names", () => {
  const env = createEnvironment({
    constants: { g: 9.81 },
    functions: { lerp: "lerp(a, b, t) = a + (b - a) * t", rnd: { fn: () => 4, arity: 0 } },
  });

  it("suggests user names for a typo", () => {
    expect(() => env.compile("lerpp(1, 2, 3)")).toThrow(
      "unknown function 'lerpp'; did you mean 'lerp'?",
    );
    expect(() => env.compile("rnnd()")).toThrow("did you mean 'rnd'?");
  });

  it("checks arity and the use of names as it does for builtins", () => {
    expect(() => env.compile("lerp(1, 2)")).toThrow("'lerp' takes 3 arguments, but was given 2");
    expect(() => env.compile("g(1)")).toThrow("'g' is a constant, not a function");
    expect(() => env.compile("lerp + 1")).toThrow("'lerp' is a function; call it, as in lerp(x)");
  });

  it("never lists user names as variables, and folds constants", () => {
    expect(env.compile("g * t + lerp(x, g, 0.5) + rnd()").variables).toEqual(["t", "x"]);
    const program = env.resolveProgram("g * 2");
    expect(firstResult(program)).toMatchObject({ kind: "number", value: 9.81 * 2 });
    expect(program.userNames).toEqual(["g"]);
    expect(firstResult(resolveProgram("lerp(1, 2, 0.5)", { environment: env }))).toMatchObject({
      kind: "number",
      value: 1.5,
    });
  });

  it("takes names as options, or an environment, not both", () => {
    expect(compile("k + 1", { constants: { k: 2 } }).evaluate()).toBe(3);
    expect(() => compile("1", { environment: env, constants: { k: 2 } })).toThrow(
      "give user names either as an environment or as constants and functions, not both",
    );
    expect(() => compile("1", { environment: { names: [] } })).toThrow(
      "the environment option takes an environment made by createEnvironment",
    );
    expect(Object.isFrozen(env)).toBe(true);
  });
});
