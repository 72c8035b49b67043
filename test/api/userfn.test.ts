/**
 * User constants and functions on every back-end: the contract of
 * LANGUAGE.md ("User constants and functions") for host functions (left to
 * right, exactly once, never in an untaken branch, results checked on every
 * entry, exceptions unchanged, folded only when pure) and for expression
 * functions (each argument evaluated once), and native's refusal.
 */

import { describe, expect, it } from "vitest";
import {
  type Compiled,
  compile,
  compileAsync,
  createEnvironment,
  ExprBackendError,
  type ExprError,
  ExprInputError,
  evaluate,
  resolveProgram,
} from "../../src/index.js";
import { firstResult } from "../../src/semantics/program.js";
import { BACKENDS } from "../support/backends.js";

/** The back-ends that can call JavaScript: all but native. */
const CALLERS = BACKENDS.filter((b) => b.name !== "native");

/** An environment whose host functions log their calls into `calls`. */
function logging(calls: string[]) {
  const logged =
    (name: string, result: (...xs: number[]) => unknown) =>
    (...xs: number[]): unknown => {
      calls.push(`${name}(${xs.join(",")})`);
      return result(...xs);
    };
  return createEnvironment({
    constants: { k: 10 },
    functions: {
      h: { fn: logged("h", (x) => x * 2), arity: 1 },
      two: { fn: logged("two", (a, b) => a - b), arity: 2 },
      none: { fn: logged("none", () => 7), arity: 0 },
      many: { fn: logged("many", (...xs) => xs.length), arity: [1, Number.POSITIVE_INFINITY] },
      double: "double(v) = v + v",
      pair: "pair(a, b) = a * 100 + b",
      swap: "swap(a, b) = b - a",
    },
  });
}

describe.each(CALLERS.map((b) => [b.name] as const))("host functions on %s", (backend) => {
  it("are called left to right, exactly once per evaluation of each call", () => {
    const calls: string[] = [];
    const env = logging(calls);
    const f = env.compile("two(h(x), h(y)) + none() + many(h(1), 2, 3, 4, 5)", { backend });
    expect(f.evaluate({ x: 3, y: 4 })).toBe(6 - 8 + 7 + 5);
    expect(calls).toEqual(["h(3)", "h(4)", "two(6,8)", "none()", "h(1)", "many(2,2,3,4,5)"]);
  });

  it("are never called in the branch not taken", () => {
    const calls: string[] = [];
    const f = logging(calls).compile("x ? h(1) : h(2) + (x && h(3)) + (x || h(4))", { backend });
    expect(f.evaluate({ x: 0 })).toBe(4 + 0 + 1);
    expect(calls).toEqual(["h(2)", "h(4)"]);
    calls.length = 0;
    expect(f.evaluate({ x: Number.NaN })).toBe(2);
    expect(calls).toEqual(["h(1)"]);
  });

  it("see each argument of an expression function evaluated once, before the body", () => {
    const calls: string[] = [];
    const f = logging(calls).compile("double(h(x)) + pair(none(), h(k)) + swap(h(5), x * h(6))", {
      backend,
    });
    expect(f.evaluate({ x: 1 })).toBe(4 + 700 + 20 + (12 - 10));
    expect(calls).toEqual(["h(1)", "none()", "h(10)", "h(5)", "h(6)"]);
  });

  it("are called with `this` undefined", () => {
    let seen: unknown = "not called";
    const f = compile("who(1)", {
      backend,
      functions: {
        who: {
          fn(this: unknown, x: number) {
            seen = this;
            return x;
          },
          arity: 1,
        },
      },
    });
    expect(f.evaluate()).toBe(1);
    expect(seen).toBeUndefined();
  });

  it("must return a number, on every entry", () => {
    for (const [value, shown] of [
      ["3", 'the string "3"'],
      [undefined, "undefined"],
      [null, "null"],
      [3n, "bigint"],
      [{}, "object"],
      [true, "boolean"],
    ] as const) {
      const f = compile("1 + bad(x)", {
        backend,
        functions: { bad: { fn: () => value, arity: 1 } },
      });
      const entries = [() => f.evaluate({ x: 1 }), () => f.evaluate([1]), () => f.fn(1)];
      for (const entry of entries) {
        let caught: unknown;
        try {
          entry();
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ExprInputError);
        expect((caught as ExprError).message).toBe(
          `host function 'bad' returned ${shown}, not a number`,
        );
      }
    }
    // -0, NaN and the infinities are numbers, and pass exactly.
    const f = compile("id(x)", { backend, functions: { id: (x: number) => x } });
    expect(Object.is(f.fn(-0), -0)).toBe(true);
    expect(f.fn(Number.NaN)).toBeNaN();
  });

  it("throw to the caller unchanged", () => {
    const thrown = new RangeError("mine");
    const f = compile("2 * boom(x)", {
      backend,
      functions: {
        boom: (x: number) => {
          if (x > 0) throw thrown;
          return x;
        },
      },
    });
    expect(f.fn(-1)).toBe(-2);
    let caught: unknown;
    try {
      f.fn(1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    // And the compiled expression still works afterwards.
    expect(f.evaluate({ x: -3 })).toBe(-6);
  });

  it("may call the expression they are part of again", () => {
    let inner: Compiled | undefined;
    const f = compile("x + (x > 0 ? again(x - 1) : 0)", {
      backend,
      functions: { again: (x: number) => (inner as Compiled).fn(x) * 10 },
    });
    inner = f;
    // f(3) = 3 + 10 f(2), f(2) = 2 + 10 f(1), f(1) = 1 + 10 f(0), f(0) = 0.
    expect(f.fn(3)).toBe(3 + 10 * (2 + 10 * (1 + 10 * 0)));
  });

  it("of another environment never share compiled code with this one's", () => {
    const a = compile("f(x) + 1", { backend, functions: { f: (x: number) => x * 2 } });
    const b = compile("f(x) + 1", { backend, functions: { f: (x: number) => x * 3 } });
    expect([a.fn(5), b.fn(5), a.fn(1)]).toEqual([11, 16, 3]);
  });
});

describe("folding", () => {
  it("folds user constants, and pure host functions, but never an impure one", () => {
    let calls = 0;
    const counted = (x: number) => {
      calls++;
      return x + 1;
    };
    const options = {
      constants: { k: 2 },
      functions: { pure: { fn: counted, arity: 1, pure: true }, impure: { fn: counted, arity: 1 } },
    };
    expect(firstResult(resolveProgram("k * 3 + pure(k)", options))).toMatchObject({
      kind: "number",
      value: 9,
    });
    expect(calls).toBe(1);
    const impure = firstResult(resolveProgram("impure(k) * 0 + 1", options));
    expect(impure).toMatchObject({ kind: "binary", op: "+" });
    expect(calls).toBe(1);
    // An expression function folds only when nothing it calls is impure.
    const env = createEnvironment({
      functions: { ...options.functions, p: "p(a) = pure(a) * 2", q: "q(a) = impure(a) * 2" },
    });
    expect(firstResult(env.resolveProgram("p(1)"))).toMatchObject({ kind: "number", value: 4 });
    expect(firstResult(env.resolveProgram("q(1)"))).toMatchObject({ kind: "apply" });
  });

  it("leaves a pure call that throws for run time, where only a taken branch raises it", () => {
    const f = compile("x ? 1 : picky(-1)", {
      functions: {
        picky: {
          fn: (v: number) => {
            if (v < 0) throw new Error("negative");
            return v;
          },
          arity: 1,
          pure: true,
        },
      },
    });
    expect(f.evaluate({ x: 1 })).toBe(1);
    expect(() => f.evaluate({ x: 0 })).toThrow("negative");
  });
});

describe("expression functions", () => {
  it("give the inlined formula's result exactly on every back-end", () => {
    const env = createEnvironment({
      functions: {
        lerp: "lerp(a, b, t) = a + (b - a) * t",
        smooth: "smooth(t) = lerp(0, 1, t * t * (3 - 2 * t))",
        sgn: "sgn(v) = v < 0 ? -1 : v > 0 ? 1 : v",
      },
    });
    const inline = (x: number, y: number) => 0 + (1 - 0) * (x * x * (3 - 2 * x)) + y;
    for (const { name } of BACKENDS) {
      const f = env.compile("smooth(x) + y + sgn(-0 * y)", { backend: name });
      try {
        for (const [x, y] of [
          [0.1, 0.2],
          [-0, -0],
          [1e308, 3],
          [Number.NaN, 1],
        ] as const) {
          expect(Object.is(f.fn(x, y), inline(x, y) + Math.sign(-0 * y)), `${name} ${x} ${y}`).toBe(
            true,
          );
        }
      } finally {
        f.dispose();
      }
    }
  });

  it("are evaluated through evaluate() and compileAsync, as every entry", async () => {
    const functions = { cube: "cube(v) = v * v * v" };
    expect(evaluate("cube(x)", { x: 3 }, { functions })).toBe(27);
    const f = await compileAsync("cube(x) + id(1)", {
      backend: "js",
      load: "module",
      functions: { ...functions, id: (v: number) => v },
    });
    expect(f.fn(2)).toBe(9);
    expect(f.dump()).toContain("function d0(v0)");
  });
});

describe("native", () => {
  it("refuses a program that calls a host function, and the default never picks it", () => {
    const functions = { h: (x: number) => x, sq: "sq(v) = v * v" };
    const native = BACKENDS.find((b) => b.name === "native");
    if (native !== undefined) {
      let caught: unknown;
      try {
        compile("sq(h(x))", { backend: "native", functions });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ExprBackendError);
      expect((caught as ExprError).message).toBe(
        "the native back-end cannot call host function 'h' (a JavaScript function); use the treewalk, vm, js or wasm back-end",
      );
      expect(compile("sq(x) + 1", { backend: "native", functions }).fn(3)).toBe(10);
    }
    const chosen = compile("sq(h(x))", { functions });
    expect(chosen.backend).not.toBe("native");
    expect(chosen.fn(3)).toBe(9);
  });
});

describe("user functions at the edges (found by review)", () => {
  it("nest as deep as builtins do: 1,999 calls of an expression or host function, every back-end", () => {
    const nest = (name: string) => `${`${name}(`.repeat(1999)}x${")".repeat(1999)}`;
    const env = createEnvironment({
      functions: { f: "f(x) = x * 2 + 1", h: { fn: (x: number) => x / 2 + 1, arity: 1 } },
    });
    for (const backend of BACKENDS) {
      expect(env.compile(nest("f"), { backend: backend.name }).evaluate({ x: 0 })).toBe(
        2 ** 1999 - 1,
      );
    }
    for (const backend of CALLERS) {
      expect(env.compile(nest("h"), { backend: backend.name }).evaluate({ x: 0 })).toBe(2);
    }
  });

  it("compile fast even when folding them would take exponential time", () => {
    // f_i calls f_(i-1) twice: written out, f60(1) is 2^60 additions.
    const functions: Record<string, string> = { f0: "f0(x) = x + 1" };
    for (let i = 1; i <= 60; i++) functions[`f${i}`] = `f${i}(x) = f${i - 1}(x) + f${i - 1}(x)`;
    const env = createEnvironment({ functions });
    const started = performance.now();
    const compiled = env.compile("x ? f60(1) : f3(1)", { backend: "js" });
    expect(performance.now() - started).toBeLessThan(5_000); // "no hang", not a benchmark
    expect(compiled.evaluate({ x: 0 })).toBe(16);
    // A small enough chain still folds to a number.
    expect(firstResult(env.resolveProgram("f3(1)"))).toMatchObject({ kind: "number", value: 16 });
  });

  it("never call a pure host function while folding an untaken side of && or ||", () => {
    const calls: number[] = [];
    const env = createEnvironment({
      functions: {
        p: {
          fn: (x: number) => {
            calls.push(x);
            return x;
          },
          arity: 1,
          pure: true,
        },
      },
    });
    for (const backend of CALLERS) {
      expect(env.compile("0 && p(1)", { backend: backend.name }).fn()).toBe(0);
      expect(env.compile("2 || p(2)", { backend: backend.name }).fn()).toBe(1);
      expect(env.compile("x || 0 && p(3)", { backend: backend.name }).fn(0)).toBe(0);
    }
    expect(calls).toEqual([]);
    // The taken side is still folded.
    expect(firstResult(env.resolveProgram("1 && p(4)"))).toMatchObject({
      kind: "number",
      value: 1,
    });
    expect(calls).toEqual([4]);
  });
});

describe("an environment's entry points check their options", () => {
  const kindAndMessage = (work: () => unknown): [string, string] | "no error" => {
    try {
      work();
    } catch (error) {
      return [(error as ExprError).kind, (error as ExprError).message];
    }
    return "no error";
  };
  const env = createEnvironment({ constants: { k: 2 } });

  it("refuses options that are not an object instead of ignoring them", () => {
    expect(kindAndMessage(() => env.compile("k", "vm" as never))).toEqual([
      "options",
      'options must be an object such as { backend: "vm" }, not the string "vm"',
    ]);
    expect(kindAndMessage(() => env.compile("k", ["vm"] as never))).toEqual([
      "options",
      'options must be an object such as { backend: "vm" }, not an array',
    ]);
    expect(kindAndMessage(() => env.evaluate("k", {}, "vm" as never))[0]).toBe("options");
    expect(kindAndMessage(() => env.resolveProgram("k", 5 as never))[0]).toBe("options");
    expect(env.compile("k", { backend: "vm" }).backend).toBe("vm");
  });

  it("reports a wrongly typed limit as an options error, with or without definitions", () => {
    const limit = 'maxDepth must be a whole number of at least 1, not the string "5"';
    expect(kindAndMessage(() => createEnvironment("x" as never))[0]).toBe("options");
    expect(kindAndMessage(() => createEnvironment({ maxDepth: "5" } as never))).toEqual([
      "options",
      limit,
    ]);
    const withDefinition = { maxDepth: "5", functions: { f: "f(x) = x" } } as never;
    expect(kindAndMessage(() => createEnvironment(withDefinition))).toEqual(["options", limit]);
  });
});
