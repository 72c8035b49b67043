/**
 * The generated checked entry behind `evaluate(vars)` (accessor.ts): the
 * text it is made of, and that an expression gives exactly the same
 * results and errors before it exists (the generic path) and after.
 */

import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { accessorText, MAX_ACCESSOR_VARIABLES } from "../../src/api/accessor.js";
import { ACCESSOR_AFTER } from "../../src/api/compile.js";
import type { BackendName } from "../../src/backends/backend.js";
import { ExprError } from "../../src/errors.js";
import { type Compiled, compile } from "../../src/index.js";
import { input } from "../differential/arbitraries.js";

/** How one call ended: the value, or the error's kind and message. */
function outcome(run: () => number): string {
  try {
    const value = run();
    return Object.is(value, -0) ? "value -0" : `value ${value}`;
  } catch (error) {
    if (error instanceof ExprError)
      return `${error.kind} error at ${error.offset}: ${error.message}`;
    return `thrown ${(error as Error).message}`;
  }
}

/** `source` compiled twice: one still on the generic path, one past ACCESSOR_AFTER calls. */
function pair(source: string, backend?: BackendName): { fresh: Compiled; warm: Compiled } {
  const options = backend === undefined ? {} : { backend };
  const fresh = compile(source, options);
  const warm = compile(source, options);
  const names = warm.variables;
  for (let i = 0; i < ACCESSOR_AFTER; i++) {
    warm.evaluate(Object.fromEntries(names.map((name, k) => [name, i + k])));
  }
  return { fresh, warm };
}

class Point {
  constructor(private readonly px: number) {}
  get x(): number {
    return this.px;
  }
  get y(): number {
    return 2;
  }
}

/** Inputs that take every branch of the entry and of the generic path. */
function trickyInputs(): unknown[] {
  const nullProto = Object.assign(Object.create(null), { x: 1, y: 2 });
  const inherited = Object.assign(Object.create({ x: 5 }), { y: 2 });
  const withGetter = Object.defineProperty({ y: 3 }, "x", { get: () => 4, enumerable: true });
  return [
    { x: 1, y: 2 },
    { y: 2, x: 1 },
    { x: -0, y: Number.NaN },
    { x: 1, y: 2, z: "ignored" },
    { x: 1 },
    { x: 1, y: "2" },
    { x: 1, y: null },
    { x: 1, y: [2] },
    { x: 1, y: 2n },
    {},
    null,
    undefined,
    5,
    "xy",
    [1, 2],
    [-0, 2],
    [1],
    [1, 2, 3],
    [1, "2"],
    new Float64Array([1, 2]),
    nullProto,
    inherited,
    withGetter,
    new Point(7),
  ];
}

describe("the generated checked entry", () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).x;
    delete (Object.prototype as Record<string, unknown>).y;
  });

  it("is this text for x and y", () => {
    expect(accessorText(["x", "y"])).toBe(
      [
        '"use strict";',
        "return function Evaluate(o) {",
        "  let a0, a1;",
        "  try {",
        '    if (!("x" in P) && !("y" in P)) {',
        '      a0 = o["x"];',
        '      a1 = o["y"];',
        "    }",
        "  } catch (error) {",
        "    if (o === undefined || o === null) return slow(o);",
        "    throw error;",
        "  }",
        '  if (typeof a0 === "number" && typeof a1 === "number" && getPrototypeOf(o) === P) return fn(a0, a1);',
        "  if (isArray(o) && o.length === 2) {",
        "    const b0 = o[0];",
        "    const b1 = o[1];",
        '    if (typeof b0 === "number" && typeof b1 === "number") return fn(b0, b1);',
        "  }",
        "  return slow(o);",
        "};",
      ].join("\n"),
    );
  });

  it("is not made for names it cannot spell safely, or for too many variables", () => {
    expect(accessorText(["x", "a b"])).toBeUndefined();
    expect(accessorText(['x"]; evil(); ["'])).toBeUndefined();
    const many = Array.from({ length: MAX_ACCESSOR_VARIABLES + 1 }, (_, i) => `v${i}`);
    expect(accessorText(many)).toBeUndefined();
    expect(accessorText(many.slice(1))).toBeDefined();
  });

  it.each(["treewalk", "vm", "js", "wasm", undefined] as const)(
    "gives what the generic path gives, for every kind of input (%s)",
    (backend) => {
      const { fresh, warm } = pair("x * 10 + y", backend);
      for (const vars of trickyInputs()) {
        expect(outcome(() => warm.evaluate(vars as never))).toBe(
          outcome(() => fresh.evaluate(vars as never)),
        );
      }
      expect(outcome(() => warm.evaluate({ x: 1, y: 2 }))).toBe("value 12");
      expect(outcome(() => warm.evaluate({ x: 1 }))).toBe(
        "input error at 9: no value given for variable 'y'",
      );
      expect(outcome(() => warm.evaluate(new Point(7) as never))).toBe(
        "input error at 0: no value given for variable 'x'",
      );
    },
  );

  it("never takes a value from Object.prototype, nor calls a getter planted there", () => {
    const { fresh, warm } = pair("x + y");
    let calls = 0;
    Object.defineProperty(Object.prototype, "x", {
      get: () => {
        calls++;
        return 100;
      },
      configurable: true,
    });
    (Object.prototype as Record<string, unknown>).y = 5;
    for (const compiled of [fresh, warm]) {
      expect(outcome(() => compiled.evaluate({ y: 1 }))).toBe(
        "input error at 0: no value given for variable 'x'",
      );
      expect(outcome(() => compiled.evaluate({ x: 1 }))).toBe(
        "input error at 4: no value given for variable 'y'",
      );
      expect(compiled.evaluate({ x: 1, y: 2 })).toBe(3);
    }
    expect(calls).toBe(0);
  });

  it("keeps variables named like Object.prototype's own properties to the object's own", () => {
    const { fresh, warm } = pair("constructor + __proto__ * 2");
    for (const compiled of [fresh, warm]) {
      expect(outcome(() => compiled.evaluate({}))).toBe(
        "input error at 0: no value given for variable 'constructor'",
      );
      expect(outcome(() => compiled.evaluate({ constructor: 1 }))).toBe(
        "input error at 14: no value given for variable '__proto__'",
      );
      const own = JSON.parse('{"constructor": 1, "__proto__": 2}');
      expect(compiled.evaluate(own)).toBe(5);
      expect(compiled.evaluate([1, 2])).toBe(5);
    }
  });

  it("agrees with the generic path on random records", () => {
    const { fresh, warm } = pair("x / y - x");
    const value = fc.oneof(input, fc.constant(undefined), fc.string(), fc.constant(null));
    const record = fc.record({ x: value, y: value, z: input }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(record, fc.array(input, { maxLength: 3 })), (vars) => {
        expect(outcome(() => warm.evaluate(vars as never))).toBe(
          outcome(() => fresh.evaluate(vars as never)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("runs an expression without variables with nothing or an empty object", () => {
    const { fresh, warm } = pair("2 * pi");
    for (const compiled of [fresh, warm]) {
      expect(compiled.evaluate()).toBe(2 * Math.PI);
      expect(compiled.evaluate({})).toBe(2 * Math.PI);
      expect(compiled.evaluate([])).toBe(2 * Math.PI);
      expect(outcome(() => compiled.evaluate([1]))).toBe(
        "input error at 0: expected 0 values (), got 1",
      );
    }
  });
});
