/**
 * Bindings (LANGUAGE.md v3, "Bindings") beyond the conformance tables:
 * each binding evaluated exactly once per evaluation, in order, even when
 * unused (host calls, on every back-end that can call them, row and batch);
 * bound names are not variables; the depth limit applies to each part on
 * its own; lowering writes constant and alias bindings into their readers
 * and keeps every binding that calls a host function; the dumps and the
 * printer show bindings.
 */

import { describe, expect, it } from "vitest";
import { toProgram, toResolvedProgram } from "../../src/api/frontend.js";
import {
  compile,
  createEnvironment,
  ExprLimitError,
  ExprSyntaxError,
  parse,
  parseProgram,
  printProgram,
  resolveProgram,
} from "../../src/index.js";
import { dumpProgram } from "../../src/semantics/dump.js";
import { dumpAst } from "../../src/syntax/dump.js";
import { BACKENDS } from "../support/backends.js";

/** The back-ends that can call JavaScript: all but native. */
const CALLERS = BACKENDS.filter((b) => b.name !== "native");

function logging(calls: string[]) {
  return createEnvironment({
    functions: {
      h: {
        fn: (x: number) => {
          calls.push(`h(${x})`);
          return x * 2;
        },
        arity: 1,
      },
      twiceOf: "twiceOf(v) = t = h(v); t + t",
    },
  });
}

describe.each(CALLERS.map((b) => [b.name] as const))("bindings on %s", (backend) => {
  it("evaluates each binding once per evaluation, in order, even when unused", () => {
    const calls: string[] = [];
    const f = logging(calls).compile("a = h(x); b = h(a + 1); unused = h(100); a + a + b", {
      backend,
    });
    expect(f.evaluate({ x: 3 })).toBe(6 + 6 + 14);
    expect(calls).toEqual(["h(3)", "h(7)", "h(100)"]);
    calls.length = 0;
    expect([...f.evaluateBatch({ x: [1, 2] })]).toEqual([2 + 2 + 6, 4 + 4 + 10]);
    expect(calls).toEqual(["h(1)", "h(3)", "h(100)", "h(2)", "h(5)", "h(100)"]);
  });

  it("evaluates a body's bindings once per call of the expression function", () => {
    const calls: string[] = [];
    const f = logging(calls).compile("twiceOf(x) + twiceOf(1)", { backend });
    expect(f.fn(5)).toBe(20 + 4);
    expect(calls).toEqual(["h(5)", "h(1)"]);
  });

  it("keeps a binding that calls a host function even when nothing reads it and it is never taken", () => {
    const calls: string[] = [];
    const f = logging(calls).compile("u = 0 && h(1); v = h(2) * 0; x", { backend });
    expect(f.fn(9)).toBe(9);
    expect(calls).toEqual(["h(2)"]);
  });
});

describe.each(BACKENDS.map((b) => [b.name] as const))("bindings in batches on %s", (backend) => {
  it("gives, row by row, what the scalar entry gives", () => {
    const f = compile("s = sqrt(x); t = s * y; u = t > 1 ? s : -t; u + s * t", { backend });
    const x = [4, 0, -0, 2.25, Number.NaN, Number.POSITIVE_INFINITY];
    const y = [1, -1, 2, 0.5, 3, -0];
    const out = f.evaluateBatch({ x, y });
    x.forEach((xi, i) => {
      expect(Object.is(out[i], f.fn(xi, y[i] as number))).toBe(true);
    });
  });
});

describe("bound names", () => {
  it("are not variables", () => {
    expect(compile("t = x; t").variables).toEqual(["x"]);
    expect(compile("a = y * x; b = a + z; b - a + y").variables).toEqual(["y", "x", "z"]);
    expect(compile("k = 1; k + 1").variables).toEqual([]);
  });

  it("cannot be a name already read as a variable", () => {
    expect(() => compile("a = x; x = 2; a + x")).toThrow(
      expect.objectContaining({
        kind: "name",
        message: "'x' is used before its binding at 1:8",
        offset: 4,
        length: 1,
      }),
    );
  });
});

describe("the depth limit", () => {
  it("applies to each binding and to the result on its own", () => {
    const deep = "((((1))))";
    const limits = { maxDepth: 5 };
    expect(compile(`a = ${deep}; b = ${deep}; ${deep}`, limits).fn()).toBe(1);
    const error = (() => {
      try {
        compile(`a = 1; b = ((((((2)))))); b`, limits);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ExprLimitError);
    expect(error).toMatchObject({
      message: "expression is nested too deeply (the limit is 5 levels)",
      offset: 16,
      length: 1,
    });
  });

  it("counts a long chain of bindings only per binding: no stage recurses per binding", () => {
    const parts: string[] = ["b0 = x;"];
    for (let i = 1; i < 20_000; i++) parts.push(`b${i} = b${i - 1} + 1;`);
    const source = `${parts.join(" ")} b19999`;
    for (const backend of ["treewalk", "vm", "js"] as const) {
      expect(compile(source, { backend }).fn(1)).toBe(20_000);
    }
  });
});

describe("lowering", () => {
  it("writes constant, variable and binding-read bindings into their readers", () => {
    const program = toProgram("k = 2 * 3; t = x; u = t; u * k");
    expect(program.bindings).toEqual([]);
    expect(program.results[0]?.value).toMatchObject({
      kind: "binary",
      op: "*",
      left: { kind: "variable", name: "x" },
      right: { kind: "number", value: 6 },
    });
  });

  it("keeps a binding whose value is computed, at its new index", () => {
    const program = toProgram("k = 1; s = sin(x); s * s + k");
    expect(program.bindings.map((b) => b.name)).toEqual(["s"]);
    expect(program.results[0]?.value).toMatchObject({
      kind: "binary",
      op: "+",
      left: {
        kind: "binary",
        op: "*",
        left: { kind: "local", index: 0 },
        right: { kind: "local", index: 0 },
      },
      right: { kind: "number", value: 1 },
    });
  });

  it("squares a binding's read as it squares a variable", () => {
    const program = toProgram("s = sin(x); s ^ 2");
    expect(program.results[0]?.value).toMatchObject({
      kind: "binary",
      op: "*",
      left: { kind: "local", index: 0 },
    });
  });
});

describe("dumps and the printer", () => {
  it("lists each binding before the result in the resolved program", () => {
    expect(dumpProgram(toResolvedProgram("d = x * x; d + 1"))).toBe(
      [
        "variables: x=v0",
        "binding d = #0",
        "Binary *",
        "├─ Variable x (v0)",
        "└─ Variable x (v0)",
        "result",
        "Binary +",
        "├─ Local d (#0)",
        "└─ Number 1",
      ].join("\n"),
    );
  });

  it("lists each binding with its span in the syntax tree", () => {
    expect(dumpAst(parseProgram("d = x; d"))).toBe(
      ["Binding d  @0..6", "Identifier x  @4..5", "Result", "Identifier d  @7..8"].join("\n"),
    );
  });

  it("prints a program back to text that parses to the same program", () => {
    const text = "d = b ^ 2 - 4*a*c;  q = -0.5 * (b + sign(b) * sqrt(d));  q / a";
    const printed = printProgram(parseProgram(text));
    expect(printed).toBe("d = b^2 - 4 * a * c; q = -0.5 * (b + sign(b) * sqrt(d)); q / a");
    expect(printProgram(parseProgram(printed))).toBe(printed);
  });

  it("refuses bindings where one expression is asked for", () => {
    expect(() => parse("d = 1; d")).toThrow(ExprSyntaxError);
    expect(() => parse("d = 1; d")).toThrow(
      "expected one expression, without bindings (parseProgram reads bindings)",
    );
  });

  it("shows bindings in explain's program and in every artefact", () => {
    const program = resolveProgram("d = sin(x); d * d");
    expect(program.bindings).toHaveLength(1);
    expect(compile("d = sin(x); d * d", { backend: "js" }).dump()).toContain("const b0 = sin(v0);");
    expect(compile("d = sin(x); d * d", { backend: "vm" }).dump()).toContain("STORE      #d");
  });
});
