/**
 * The js batch loop: exactly the text the engine compiles, the formula
 * inlined in one loop over typed arrays, and deep programs (inner
 * functions) reading the row's values.
 */

import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";

describe("the js batch loop", () => {
  it("is one loop with the formula inlined, reading columns by index", () => {
    expect(compile("a +\n b * sin(a)", { backend: "js" }).dumpBatch()).toBe(
      [
        "function anonymous(sin, c0, c1, out, n) {",
        '"use strict";',
        "  let v0, v1;",
        "  for (let i = 0; i < n; i++) {",
        "    v0 = c0[i];",
        "    v1 = c1[i];",
        "    out[i] = (v0 + (v1 * sin(v0)));",
        "  }",
        "}",
      ].join("\n"),
    );
  });

  it("has no variable loads for an expression without variables", () => {
    expect(compile("2", { backend: "js" }).dumpBatch()).toBe(
      'function anonymous(out, n) {\n"use strict";\n  for (let i = 0; i < n; i++) {\n    out[i] = 2;\n  }\n}',
    );
  });

  it("runs deep programs, whose inner functions read the row's values", () => {
    const source = `${"(x + ".repeat(200)}y${")".repeat(200)}`;
    const c = compile(source, { backend: "js" });
    expect(c.dumpBatch()).toContain("function f0() {");
    const out = c.evaluateBatch({ x: [1, 2, -0], y: [0.5, 0, -0] });
    expect(Array.from(out)).toEqual([200.5, 400, -0]);
    expect(Object.is(out[2], -0)).toBe(true);
  });
});
