/**
 * The `closure` back-end on its own: the closure tree each program gets
 * (exact dump text), the specialisation of each operand shape, host calls
 * (order, once, result checked, re-entry), deep trees at the depth limit,
 * and the batch kernels (exact listing, rows equal to `fn`).
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { closure } from "../../../src/backends/closure/index.js";
import { treewalk } from "../../../src/backends/treewalk/index.js";
import { compile, createEnvironment, ExprInputError, resolveProgram } from "../../../src/index.js";
import type { Binding } from "../../../src/semantics/program.js";

function dump(source: string): string {
  return closure.compile(toProgram(source), {}).dump();
}

/** The first line of the tree (after the variables line): the root's closure. */
function rootLine(source: string): string {
  return dump(source).split("\n")[1] as string;
}

describe("closure tree", () => {
  it("shows each node's specialisation, operands folded into their parent's line", () => {
    expect(dump("x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)")).toBe(
      [
        "variables: x=v0, y=v1; one frame, reused",
        "conditional ?: ccc (·, ·, ·)",
        "├─ binary < vv (x=v0, y=v1)",
        "├─ binary * vv (x=v0, y=v1)",
        "└─ conditional ?: ccc (·, ·, ·)",
        "   ├─ logical && cc (·, ·, right is 0 or 1)",
        "   │  ├─ binary > vn (x=v0, 2)",
        "   │  └─ binary > vn (y=v1, 2)",
        "   ├─ binary - vv (x=v0, y=v1)",
        "   └─ binary + vv (x=v0, y=v1)",
      ].join("\n"),
    );
  });

  it("lists each expression function's body once, after the program", () => {
    const env = createEnvironment({ functions: { lerp: "lerp(a, b, t) = a + (b - a) * t" } });
    const program = env.compile("lerp(x, 2, y) * 3 + hypot(x, y, 1, 2)", {
      backend: "closure",
    });
    expect(program.dump()).toBe(
      [
        "variables: x=v0, y=v1; one frame, reused",
        "binary + cc (·, ·)",
        "├─ binary * cn (·, 3)",
        "│  └─ apply lerp #0 ccc (·, ·, ·) into its frame of 3, reused",
        "│     ├─ variable x=v0",
        "│     ├─ number 2",
        "│     └─ variable y=v1",
        "└─ call hypot array (·, ·, ·, ·)",
        "   ├─ variable x=v0",
        "   ├─ variable y=v1",
        "   ├─ number 1",
        "   └─ number 2",
        "definition lerp(a, b, t) = a + (b - a) * t",
        "binary + vc (a=v0, ·)",
        "└─ binary * cv (·, t=v2)",
        "   └─ binary - vv (b=v1, a=v0)",
      ].join("\n"),
    );
  });

  it("says a program with host calls takes fresh frames", () => {
    const env = createEnvironment({
      functions: { h: { fn: (v: number) => v, arity: 1 }, twice: "twice(v) = 2 * h(v)" },
    });
    expect(env.compile("h(x) + twice(x + 1)", { backend: "closure" }).dump()).toBe(
      [
        "variables: x=v0; a fresh frame per evaluation and per call (the program calls host functions)",
        "binary + cc (·, ·)",
        "├─ host h (checked) v (x=v0)",
        "└─ apply twice #0 c (·) into a fresh frame per call",
        "   └─ binary + vn (x=v0, 1)",
        "definition twice(v) = 2 * h(v)",
        "binary * nc (2, ·)",
        "└─ host h (checked) v (v=v0)",
      ].join("\n"),
    );
  });

  it.each([
    ["x + 2", "binary + vn (x=v0, 2)"],
    ["2 - x", "binary - nv (2, x=v0)"],
    ["x * (y + 1)", "binary * vc (x=v0, ·)"],
    ["(x + 1) / y", "binary / cv (·, y=v1)"],
    ["2 ^ (x + 1)", "binary ^ nc (2, ·)"],
    ["(x + 1) % 3", "binary % cn (·, 3)"],
    ["(x + 1) == (y + 1)", "binary == cc (·, ·)"],
    ["x != y", "binary != vv (x=v0, y=v1)"],
    ["-x", "unary - v (x=v0)"],
    ["!(x + 1)", "unary ! c (·)"],
    ["sin(x)", "call sin v (x=v0)"],
    ["sin(2 * x)", "call sin c (·)"],
    ["atan2(x, y)", "call atan2 cc (·, ·)"],
    ["max(x, y, 1)", "call max ccc (·, ·, ·)"],
    ["x || (y + 1)", "logical || cc (·, ·)"],
    ["x", "variable x=v0"],
  ])("gives %s the closure %s", (source, line) => {
    expect(rootLine(source)).toBe(line);
  });

  it("gives a number alone a closure returning it", () => {
    expect(dump("1+1.2-5")).toBe("variables: (none); one frame, reused\nnumber -2.8");
    expect(compile("1+1.2-5", { backend: "closure" }).fn()).toBe(-2.8);
  });
});

describe("closure evaluation", () => {
  const cases: readonly (readonly [string, readonly number[]])[] = [
    ["x + 2", [1.5]],
    ["x - y * 3 / (x % y) ^ 0.5", [7, 3]],
    ["-x + !y", [-0, 0]],
    ["x == y || x != x", [Number.NaN, Number.NaN]],
    ["x && y", [Number.NaN, 2]],
    ["x ? y : -y", [-0, 5]],
    ["hypot(x, y, x, y) + min(x) + max(y, x)", [3, 4]],
    ["x / 0 - y", [-0, Number.POSITIVE_INFINITY]],
  ];

  it.each(cases)("%s on %j is exactly what treewalk gives", (source, values) => {
    const program = toProgram(source);
    const got = closure.compile(program, {}).fn(...values);
    const want = treewalk.compile(program, {}).fn(...values);
    expect(Object.is(got, want)).toBe(true);
  });

  it("evaluates trees at the default depth limit without overflowing the stack", () => {
    const depth = 1_990;
    const sum = `x${"+1".repeat(depth)}`;
    const nested = `${"(".repeat(depth / 2)}x${"*1)".repeat(depth / 2)}`;
    const calls = `${"abs(".repeat(1_999)}x${")".repeat(1_999)}`;
    for (const source of [sum, nested, calls]) {
      const f = compile(source, { backend: "closure" });
      const want = compile(source, { backend: "treewalk" }).fn(0.5);
      expect(Object.is(f.fn(0.5), want)).toBe(true);
      expect(f.dump().split("\n").length).toBeGreaterThan(source === calls ? 1_999 : 995);
      expect(f.evaluateBatch({ x: new Float64Array([0.5, 2]) })).toEqual(
        new Float64Array([want, compile(source, { backend: "treewalk" }).fn(2)]),
      );
    }
  });

  it("evaluates calls through nested expression functions", () => {
    const env = createEnvironment({
      functions: {
        sq: "sq(v) = v * v",
        f5: "f5(a, b, c, d, q) = sq(a) + b - c * d / q",
        g: "g(v) = f5(v, sq(v), 1, 2, sq(sq(v)))",
      },
    });
    const src = "g(x) + f5(x, y, x, y, g(y)) + sq(sq(x))";
    const f = env.compile(src, { backend: "closure" });
    const t = env.compile(src, { backend: "treewalk" });
    for (const [x, y] of [
      [2, 3],
      [-0, 0.5],
      [Number.NaN, 1],
    ] as const) {
      expect(Object.is(f.fn(x, y), t.fn(x, y))).toBe(true);
    }
  });
});

describe("closure host calls", () => {
  it("calls each host function in order, once per call evaluated, never in an untaken branch", () => {
    const calls: string[] = [];
    const log = (name: string) => ({
      fn: (...xs: number[]) => {
        calls.push(`${name}(${xs.join(",")})`);
        return xs.length === 0 ? 1 : (xs[0] as number);
      },
      arity: [0, 5] as [number, number],
    });
    const env = createEnvironment({ functions: { a: log("a"), b: log("b"), c: log("c") } });
    const f = env.compile("a(x, b(y), c()) + (x > 1 ? b(x) : c(y)) + (y && a(1, 2, 3, 4, 5))", {
      backend: "closure",
    });
    expect(f.fn(2, 0)).toBe(2 + 2 + 0);
    expect(calls).toEqual(["b(0)", "c()", "a(2,0,1)", "b(2)"]);
    calls.length = 0;
    expect(f.fn(0, 3)).toBe(0 + 3 + 1);
    expect(calls).toEqual(["b(3)", "c()", "a(0,3,1)", "c(3)", "a(1,2,3,4,5)"]);
  });

  it("checks every result, naming the function", () => {
    const f = compile("1 + bad(x)", {
      backend: "closure",
      functions: { bad: { fn: () => "3", arity: 1 } },
    });
    expect(() => f.fn(1)).toThrow(ExprInputError);
    expect(() => f.fn(1)).toThrow(`host function 'bad' returned the string "3", not a number`);
  });

  it("lets a host function re-enter the same compiled code: each evaluation has its own frame", () => {
    let inner: ((v: number) => number) | undefined;
    const f = compile("x + again(x - 1) * 10 + x", {
      backend: "closure",
      functions: {
        again: { fn: (v: number) => (v > 0 ? (inner as (v: number) => number)(v) : 0), arity: 1 },
      },
    });
    inner = f.fn;
    // f(2) = 2 + f(1) * 10 + 2; f(1) = 1 + 0 + 1 = 2.
    expect(f.fn(2)).toBe(24);
  });
});

describe("closure batch", () => {
  it("lists its kernels: registers reused, numbers folded, both sides of a conditional", () => {
    const code = closure.compile(toProgram("x < y ? x * y : (x > 2 && y > 2 ? x - y : x + 1)"), {});
    expect(code.dumpBatch?.()).toBe(
      [
        "block kernels: 7 registers of 1024 rows; views of columns: r0=x, r1=y",
        "0000  r2 = r0 < r1  [rr]",
        "0001  r3 = r0 * r1  [rr]",
        "0002  r4 = r0 > 2  [rn]",
        "0003  r5 = r1 > 2  [rn]",
        "0004  r5 = r4 && r5  [both sides]",
        "0005  r4 = r0 - r1  [rr]",
        "0006  r6 = r0 + 1  [rn]",
        "0007  r6 = r5 ? r4 : r6  [both sides, selected per row]",
        "0008  r6 = r2 ? r3 : r6  [both sides, selected per row]",
      ].join("\n"),
    );
  });

  it("gives every row exactly what fn gives, across blocks, with out being a column", () => {
    const source = "x < y ? sin(x) * y : (x > 2 && y > 2 ? x - y : -x % 3) + hypot(x, y, 1)";
    const code = closure.compile(toProgram(source), {});
    const rows = 2_500;
    const xs = new Float64Array(rows);
    const ys = new Float64Array(rows);
    const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, -1.5, 2.5, 3];
    for (let i = 0; i < rows; i++) {
      xs[i] = specials[i % specials.length] as number;
      ys[i] = specials[(i * 3 + 1) % specials.length] as number;
    }
    const want = Array.from(xs, (x, i) => code.fn(x, ys[i] as number));
    const out = new Float64Array(rows);
    code.batch?.()([xs, ys], out);
    expect(Array.from(out).every((v, i) => Object.is(v, want[i]))).toBe(true);
    code.batch?.()([xs, ys], xs);
    expect(Array.from(xs).every((v, i) => Object.is(v, want[i]))).toBe(true);
  });

  it("is not offered to a program with host calls (the API runs those row by row)", () => {
    const program = resolveProgram("h(x)", {
      functions: { h: { fn: (v: number) => v, arity: 1 } },
    });
    expect(closure.compile(program, {}).batch).toBeUndefined();
  });
});

describe("closure bindings and several results", () => {
  const base = toProgram("a = x * 2; b = a + y; a - b");
  // A second result reading the bindings, as a formula set's Program has.
  const program = {
    ...base,
    results: [...base.results, { name: "b2", value: (base.bindings[1] as Binding).value }],
  };

  it("writes each binding to its frame slot once, before the results, and shows it", () => {
    const code = closure.compile(program, {});
    expect(code.dump()).toBe(
      [
        "variables: x=v0, y=v1; one frame, reused",
        "binding a → v2",
        "binary * vn (x=v0, 2)",
        "binding b → v3",
        "binary + vv (a=v2, y=v1)",
        "result 0",
        "binary - vv (a=v2, b=v3)",
        "result 1 b2",
        "binary + vv (a=v2, y=v1)",
      ].join("\n"),
    );
    const out = new Float64Array(3).fill(7);
    code.fnInto(out, 3, 4);
    expect([...out]).toEqual([-4, 10, 7]);
    expect(code.fn(3, 4)).toBe(-4);
  });

  it("computes every result of a block in one pass", () => {
    const code = closure.compile(program, {});
    expect(code.dumpBatch?.()).toBe(
      [
        "block kernels: 6 registers of 1024 rows; views of columns: r0=x, r1=y",
        "0000  r2 = r0 * 2  [rn]",
        "0001  r3 = r2 + r1  [rr]",
        "0002  r4 = r2 - r3  [rr]",
        "0003  r5 = r2 + r1  [rr]",
      ].join("\n"),
    );
    const outs = [new Float64Array(3), new Float64Array(3)];
    code.batchInto?.()([new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])], outs);
    expect(outs.map((o) => [...o])).toEqual([
      [-4, -5, -6],
      [6, 9, 12],
    ]);
  });

  it("gives a definition's own bindings slots after its parameters", () => {
    const env = createEnvironment({ functions: { twiceOf: "twiceOf(v) = t = v * 3; t + t" } });
    const f = env.compile("twiceOf(x) + 1", { backend: "closure" });
    expect(f.dump()).toBe(
      [
        "variables: x=v0; one frame, reused",
        "binary + cn (·, 1)",
        "└─ apply twiceOf #0 c (·) into its frame of 2, reused",
        "   └─ variable x=v0",
        "definition twiceOf(v) = t = v * 3; t + t",
        "binding t → v1",
        "binary * vn (v=v0, 3)",
        "result 0",
        "binary + vv (t=v1, t=v1)",
      ].join("\n"),
    );
    expect(f.fn(2)).toBe(13);
    expect([...f.evaluateBatch({ x: [1, 2] })]).toEqual([7, 13]);
  });
});
