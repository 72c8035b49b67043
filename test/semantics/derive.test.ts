/**
 * Derivatives (LANGUAGE.md, "Derivatives"): every row of the table as text
 * and as a value computed by JavaScript itself, the conventions at kinks,
 * user functions (expression functions through their bodies, host
 * functions through the partials the application gives), the errors, the
 * limits, and the gradient entries (positional, evaluate, batch, parallel).
 */

import { afterAll, describe, expect, it } from "vitest";
import {
  closeBatchWorkers,
  compile,
  compileGradient,
  derivative,
  ExprError,
  type ExtensionOptions,
} from "../../src/index.js";

const { cos, sin, sqrt, cbrt, exp, log, sinh, cosh, hypot, sign, trunc, pow } = Math;

/** The value of `d/dx source` at (x, y), through the gradient entry. */
function slope(source: string, x: number, y: number, options: ExtensionOptions = {}): number {
  const gradient = compileGradient(source, { backend: "treewalk", wrt: ["x"], ...options });
  const vars: Record<string, number> = {};
  for (const name of gradient.variables) vars[name] = name === "x" ? x : y;
  return gradient.evaluate(vars)[1] as number;
}

/** [source, derivative by x as text, the same by JavaScript at (x, y)] */
type Row = readonly [string, string, (x: number, y: number) => number];

// Each rule of the table once, at x = 0.7, y = 1.3 (acosh at x = 1.7).
const ROWS: readonly Row[] = [
  ["2", "0", () => 0],
  ["pi", "0", () => 0],
  ["y", "0", () => 0],
  ["x", "1", () => 1],
  ["x + y", "1", () => 1],
  ["x - y", "1", () => 1],
  ["y - x", "-1", () => -1],
  ["-x", "-1", () => -1],
  ["+x", "1", () => 1],
  ["x * y", "y", (_, y) => y],
  ["x * y * x", "y * x + x * y", (x, y) => y * x + x * y],
  ["x / y", "1 / y", (_, y) => 1 / y],
  ["y / x", "-(y / (x * x))", (x, y) => -(y / (x * x))],
  ["x % y", "1", () => 1],
  ["y % x", "-trunc(y / x)", (x, y) => -trunc(y / x)],
  ["x ^ 3", "3 * x^2", (x) => 3 * pow(x, 2)],
  ["x ** 0.5", "0.5 * x^-0.5", (x) => 0.5 * pow(x, -0.5)],
  ["2 ^ x", "2^x * log(2)", (x) => pow(2, x) * log(2)],
  ["e ^ x", "e^x", (x) => pow(Math.E, x)],
  ["x ^ x", "x^x * (log(x) + x / x)", (x) => pow(x, x) * (log(x) + x / x)],
  ["pow(x, y)", "y * x^(y - 1)", (x, y) => y * pow(x, y - 1)],
  ["pow(y, x)", "pow(y, x) * log(y)", (x, y) => pow(y, x) * log(y)],
  ["sqrt(x)", "1 / (2 * sqrt(x))", (x) => 1 / (2 * sqrt(x))],
  ["cbrt(x)", "1 / (3 * cbrt(x)^2)", (x) => 1 / (3 * pow(cbrt(x), 2))],
  ["exp(x)", "exp(x)", (x) => exp(x)],
  ["expm1(x)", "exp(x)", (x) => exp(x)],
  ["log(x)", "1 / x", (x) => 1 / x],
  ["log2(x)", "1 / (x * log(2))", (x) => 1 / (x * log(2))],
  ["log10(x)", "1 / (x * log(10))", (x) => 1 / (x * log(10))],
  ["log1p(x)", "1 / (1 + x)", (x) => 1 / (1 + x)],
  ["sin(x)", "cos(x)", (x) => cos(x)],
  ["cos(x)", "-sin(x)", (x) => -sin(x)],
  ["tan(x)", "1 / cos(x)^2", (x) => 1 / pow(cos(x), 2)],
  ["asin(x)", "1 / sqrt(1 - x^2)", (x) => 1 / sqrt(1 - x * x)],
  ["acos(x)", "-1 / sqrt(1 - x^2)", (x) => -1 / sqrt(1 - x * x)],
  ["atan(x)", "1 / (1 + x^2)", (x) => 1 / (1 + x * x)],
  ["sinh(x)", "cosh(x)", (x) => cosh(x)],
  ["cosh(x)", "sinh(x)", (x) => sinh(x)],
  ["tanh(x)", "1 / cosh(x)^2", (x) => 1 / pow(cosh(x), 2)],
  ["asinh(x)", "1 / sqrt(x^2 + 1)", (x) => 1 / sqrt(x * x + 1)],
  ["acosh(x)", "1 / sqrt(x^2 - 1)", (x) => 1 / sqrt(x * x - 1)],
  ["atanh(x)", "1 / (1 - x^2)", (x) => 1 / (1 - x * x)],
  ["atan2(x, y)", "y / (y^2 + x^2)", (x, y) => y / (y * y + x * x)],
  ["atan2(y, x)", "-y / (x^2 + y^2)", (x, y) => -y / (x * x + y * y)],
  ["hypot(x, y)", "x / hypot(x, y)", (x, y) => x / hypot(x, y)],
  ["hypot(x, y, x)", "(x + x) / hypot(x, y, x)", (x, y) => (x + x) / hypot(x, y, x)],
  ["abs(x)", "sign(x)", (x) => sign(x)],
  ["sign(x)", "0", () => 0],
  ["floor(x)", "0", () => 0],
  ["ceil(x)", "0", () => 0],
  ["trunc(x)", "0", () => 0],
  ["round(x)", "0", () => 0],
  ["x < y", "0", () => 0],
  ["x == y", "0", () => 0],
  ["!x", "0", () => 0],
  ["x && y", "0", () => 0],
  ["x || y", "0", () => 0],
  ["x > 0 ? x * x : -x", "x > 0 ? x + x : -1", (x) => (x > 0 ? x + x : -1)],
  [
    "min(x, y)",
    "min(x, y) == x && 1 / min(x, y) == 1 / x ? 1 : min(x, y) == y ? 0 : nan",
    (x, y) => (x <= y ? 1 : 0),
  ],
  [
    "max(x, 1)",
    "max(x, 1) == x && 1 / max(x, 1) == 1 / x ? 1 : max(x, 1) == 1 ? 0 : nan",
    (x) => (x >= 1 ? 1 : 0),
  ],
  ["min(1, x)", "min(1, x) == 1 ? 0 : min(1, x) == x ? 1 : nan", (x) => (x < 1 ? 1 : 0)],
  ["sin(x^2)", "cos(x^2) * (2 * x)", (x) => cos(x * x) * (2 * x)],
  ["2 * x - -3 * x", "5", () => 5],
];

describe("derivative(): each row of LANGUAGE.md's table", () => {
  it.each(ROWS)("d/dx %s is %s", (source, text, js) => {
    expect(derivative(source, "x")).toBe(text);
    const x = source.startsWith("acosh") ? 1.7 : 0.7;
    const y = 1.3;
    expect(slope(source, x, y)).toBe(js(x, y));
    // The text compiles to exactly what the gradient entry gives.
    expect(compile(text).evaluate({ x, y })).toBe(js(x, y));
  });

  it("drops terms that do not depend on the variable even where their factor is infinite", () => {
    // x * y by x is y, not 1 * y + x * 0 (which is NaN at x = inf).
    expect(slope("x * y", Number.POSITIVE_INFINITY, 2)).toBe(2);
    expect(slope("inf * y + x", 1, 2)).toBe(1);
    // (x + y) + (x - y) by y is 1 - 1: known to be 0, so its term is dropped too.
    expect(derivative("x / ((x + y) + (x - y)) / y", "y")).toBe(
      "-(x / (x + y + (x - y)) / (y * y))",
    );
  });

  it("is 0 for a name the program does not use", () => {
    expect(derivative("x * 2", "z")).toBe("0");
    expect(compileGradient("x * 2", { wrt: ["z", "x"] }).evaluate({ x: 5 })).toEqual(
      new Float64Array([10, 0, 2]),
    );
  });

  it("prints numbers that read back exactly, negative ones and constants included", () => {
    expect(derivative("x * -2.5", "x")).toBe("-2.5");
    expect(derivative("x * y * 1e-300", "x")).toBe("y * 1e-300");
    expect(derivative("x * 1e-300 * nan", "x")).toBe("nan");
    expect(derivative("(-2)^x", "x")).toBe("(-2)^x * log(-2)");
    expect(derivative("x * pi", "x")).toBe("pi");
    expect(derivative("x^-0.5", "x")).toBe("-0.5 * x^-1.5");
  });
});

describe("conventions at kinks", () => {
  it("abs at 0 is 0 (sign(0)), and -0 at -0", () => {
    expect(slope("abs(x)", 0, 0)).toBe(0);
    expect(Object.is(slope("abs(x)", -0, 0), -0)).toBe(true);
  });

  it("min and max follow the first argument that is the result (Object.is); NaN for NaN", () => {
    expect(slope("min(x, y)", 1, 1)).toBe(1);
    expect(slope("min(y, x)", 1, 1)).toBe(0);
    // min(0, -0) is -0: the second argument.
    expect(slope("min(x, y)", 0, -0)).toBe(0);
    expect(slope("min(x, y)", -0, 0)).toBe(1);
    // max(-0, 0) is 0: the second argument.
    expect(slope("max(x, y)", -0, 0)).toBe(0);
    expect(slope("max(x, y)", 0, -0)).toBe(1);
    expect(slope("min(x, y)", Number.NaN, 1)).toBeNaN();
    expect(slope("max(y, x)", 1, Number.NaN)).toBeNaN();
    expect(slope("min(x, y, x)", 3, 2)).toBe(0);
    expect(slope("min(y, 2, x)", 1, 5)).toBe(1);
  });

  it("?: differentiates the branch its test takes", () => {
    expect(slope("x > 0 ? x * x : 3", 0, 0)).toBe(0);
    expect(slope("x > 0 ? x * x : 3", 2, 0)).toBe(4);
    expect(slope("nan ? x : 0", 2, 0)).toBe(1);
  });

  it("x^y at x = 0", () => {
    expect(slope("x^y", 0, 2)).toBe(0);
    expect(slope("x^y", 0, 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(slope("x^2", 0, 0)).toBe(0);
    // By y: 0^2 * log(0) is 0 * -inf.
    expect(slope("y^x", 2, 0)).toBeNaN();
  });

  it("sqrt' and log' at 0 are what IEEE gives", () => {
    expect(slope("sqrt(x)", 0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(slope("log(x)", 0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(slope("log(x)", -0, 0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("user functions", () => {
  const functions = {
    lerp: "lerp(a, b, t) = a + (b - a) * t",
    sq: "sq(a) = a * a",
    quad: "quad(a) = sq(a) + sq(a)",
    f: { fn: (a: number, b: number) => a * b, derivatives: ["fa", "fb"] },
    fa: (_a: number, b: number) => b,
    fb: "fb(a, b) = a",
    g: (a: number) => a + 1,
  };

  it("expression functions differentiate through their bodies", () => {
    expect(derivative("lerp(x, y, x)", "x", { functions })).toBe("1 - x + (y - x)");
    expect(derivative("quad(x^2)", "x", { functions })).toBe("(x^2 + x^2 + (x^2 + x^2)) * (2 * x)");
    // quad(x^2) is 2 * x^4: 8 * x^3.
    expect(slope("quad(x^2)", 3, 0, { functions })).toBe(216);
    expect(slope("lerp(x, y, x)", 2, 5, { functions })).toBe(2);
  });

  it("host functions use the partials the application gave, by name", () => {
    const text = derivative("f(x, y) * x", "x", { functions });
    expect(text).toBe("fa(x, y) * x + f(x, y)");
    // f(x, y) * x is x^2 * y: 2 * x * y.
    expect(slope("f(x, y) * x", 2, 5, { functions })).toBe(20);
    expect(compile(text, { functions }).evaluate({ x: 2, y: 5 })).toBe(20);
    expect(derivative("f(y, x)", "x", { functions })).toBe("fb(y, x)");
  });

  it("a host function without partials is an error naming it and the variable", () => {
    let error: unknown;
    try {
      derivative("x + 2 * g(x * y)", "y", { functions });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExprError);
    const { kind, message, offset, length } = error as ExprError;
    expect({ kind, message, offset, length }).toEqual({
      kind: "name",
      message:
        "cannot differentiate with respect to 'y': host function 'g' has no derivatives (give them as the derivatives option of its spec)",
      offset: 8,
      length: 8,
    });
    // Where its arguments do not depend on the variable, it needs none.
    expect(derivative("x + g(y)", "x", { functions })).toBe("1");
  });

  it("checks the derivatives option", () => {
    const bad = (functions: Record<string, unknown>) => {
      try {
        derivative("h(x)", "x", { functions } as ExtensionOptions);
        return "no error";
      } catch (e) {
        return `${(e as ExprError).kind}: ${(e as ExprError).message}`;
      }
    };
    expect(bad({ h: { fn: (a: number) => a, derivatives: ["k", "k"] }, k: () => 1 })).toBe(
      "input: the derivatives of 'h' must be the names of 1 functions, one per parameter; got an array",
    );
    expect(bad({ h: { fn: (a: number) => a, derivatives: ["k"] } })).toBe(
      "name: derivative 'k' of 'h' is not a function of the same table",
    );
    expect(bad({ h: { fn: (a: number) => a, derivatives: ["k"] }, k: "k(a, b) = a" })).toBe(
      "name: derivative 'k' of 'h' cannot take its 1 argument",
    );
  });
});

describe("bindings", () => {
  const source = "d = x^2 - 4*y; q = sqrt(d) * x; q / y + d";

  it("each binding gets a companion where its derivative is not 0", () => {
    expect(derivative(source, "x")).toBe(
      "d = x^2 - 4 * y; q = sqrt(d) * x; d_dx = 2 * x; q_dx = d_dx / (2 * sqrt(d)) * x + sqrt(d); q_dx / y + d_dx",
    );
    expect(derivative("t = y * 2; x * t", "x")).toBe("t = y * 2; t");
    // A companion's name is never one the program already uses.
    expect(derivative("t = x * x; t_dx = 2; t + t_dx", "x")).toBe(
      "t = x * x; t_dx = 2; t_dx_ = x + x; t_dx_",
    );
  });

  it("the gradient is one program: value and partials, exactly the texts' values", () => {
    const gradient = compileGradient(source, { backend: "js" });
    const got = gradient.evaluate({ x: 3, y: 0.5 });
    expect(got[0]).toBe(compile(source).evaluate({ x: 3, y: 0.5 }));
    gradient.derivatives.forEach((text, i) => {
      expect(got[1 + i]).toBe(compile(text).evaluate({ x: 3, y: 0.5 }));
    });
    expect(gradient.dump()).toMatch(/^; results: the value, then d\/dx, d\/dy\n/);
  });
});

describe("limits", () => {
  it("a derivative deeper than maxDepth is a limit error", () => {
    const source = Array.from({ length: 12 }, () => "x").join(" * ");
    let error: unknown;
    try {
      derivative(source, "x", { maxDepth: 20 });
    } catch (e) {
      error = e;
    }
    expect((error as ExprError).kind).toBe("limit");
    expect((error as ExprError).message).toMatch(
      /^the derivative with respect to 'x' is nested \d+ levels deep; the limit is 20 \(maxDepth\)$/,
    );
  });

  it("a derivative larger than the length limit allows is a limit error, never a hang", () => {
    // Each level doubles the written-out size of the derivative's tree.
    let source = "x";
    for (let i = 0; i < 40; i++) source = `sin(${source}) * x`;
    let error: unknown;
    try {
      derivative(source, "x", { maxLength: 10_000 });
    } catch (e) {
      error = e;
    }
    expect((error as ExprError).kind).toBe("limit");
  });
});

describe("compileGradient", () => {
  afterAll(() => closeBatchWorkers());

  it("gives the value and each partial: positional, evaluate, batch", () => {
    const gradient = compileGradient("x^2 * y + sin(y)", { backend: "js" });
    expect(gradient.variables).toEqual(["x", "y"]);
    expect(gradient.wrt).toEqual(["x", "y"]);
    expect(gradient.derivatives).toEqual(["2 * x * y", "x^2 + cos(y)"]);
    const out = new Float64Array(3);
    expect(gradient.fnInto(out, 3, 0.5)).toBe(out);
    expect([...out]).toEqual([9 * 0.5 + sin(0.5), 2 * 3 * 0.5, 9 + cos(0.5)]);
    expect([...gradient.evaluate({ x: 3, y: 0.5 })]).toEqual([...out]);
    const columns = gradient.evaluateBatch({ x: new Float64Array([3, 1]), y: [0.5, 2] });
    expect(columns.map((c) => [...c])).toEqual([
      [out[0], 2 + sin(2)],
      [out[1], 4],
      [out[2], 1 + cos(2)],
    ]);
    expect(() => gradient.evaluate({ x: 3 })).toThrow(ExprError);
  });

  it("writes into the caller's columns, and checks them", () => {
    const gradient = compileGradient("x * y", { backend: "vm", wrt: ["y"] });
    const outs = [new Float64Array(2), new Float64Array(2)];
    const got = gradient.evaluateBatch({ x: [1, 2], y: 3 }, { out: outs });
    expect(got[0]).toBe(outs[0]);
    expect(outs.map((c) => [...c])).toEqual([
      [3, 6],
      [1, 2],
    ]);
    expect(() =>
      gradient.evaluateBatch({ x: [1, 2], y: 3 }, { out: [outs[0] as Float64Array] }),
    ).toThrow("out must be 2 Float64Arrays of 2 rows: the value, then one per partial (y)");
  });

  it("calls host functions row by row in a batch", () => {
    const calls: number[] = [];
    const functions = {
      h: {
        fn: (a: number) => {
          calls.push(a);
          return a * a;
        },
        derivatives: ["dh"],
      },
      dh: (a: number) => 2 * a,
    };
    const gradient = compileGradient("h(x)", { backend: "js", functions });
    const columns = gradient.evaluateBatch({ x: [1, 2] });
    expect(columns.map((c) => [...c])).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(calls).toEqual([1, 2]);
  });

  it("runs a parallel batch exactly as the sequential one", async () => {
    const n = 70_000;
    const x = Float64Array.from({ length: n }, (_, i) => 0.5 + i / n);
    const gradient = compileGradient("sin(x) * y^3", { backend: "js" });
    const sequential = gradient.evaluateBatch({ x, y: 1.5 });
    const parallel = await gradient.evaluateBatchParallel({ x, y: 1.5 }, { workers: 2 });
    expect(parallel).toEqual(sequential);
    gradient.dispose();
  });
});
