/**
 * Both ways of loading generated JavaScript: `new Function` (and what
 * happens when the engine forbids it) and the ES module written to a
 * private temporary directory.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { generateJs } from "../../../src/backends/js/codegen.js";
import { js } from "../../../src/backends/js/index.js";
import {
  CodeGenerationForbidden,
  type FunctionConstructorLike,
  functionText,
  loadWithFunction,
  moduleText,
} from "../../../src/backends/js/load.js";
import { loadAsModule, writePrivateModule } from "../../../src/backends/js/module.js";
import { ExprError, ExprOptionsError } from "../../../src/errors.js";
import { compile, compileAsync } from "../../../src/index.js";

const code = generateJs(toProgram("sin(x) * y + pi"));

describe("new Function", () => {
  it("hands back Main, its builtins bound, with one parameter per variable", () => {
    const fn = loadWithFunction(code);
    expect(fn.name).toBe("bound anonymous");
    expect(fn.length).toBe(2);
    expect(fn(1, 2)).toBe(Math.sin(1) * 2 + Math.PI);
  });

  it("hands back the compiled function itself when it calls no builtin", () => {
    const fn = loadWithFunction(generateJs(toProgram("x * y - 1")));
    expect(fn.name).toBe("anonymous");
    expect(fn.length).toBe(2);
    expect(fn(3, 2)).toBe(5);
  });

  it("dumps exactly what the engine compiles: one function, the builtins its first parameters", () => {
    expect(functionText(code)).toBe(
      [
        "function anonymous(sin, v0, v1) {",
        '"use strict";',
        "  return ((sin(v0) * v1) + 3.141592653589793);",
        "}",
      ].join("\n"),
    );
  });

  it("compiles a factory returning Main when expression functions must sit outside it", () => {
    const compiled = compile("f(x) + sin(y)", {
      backend: "js",
      functions: { f: "f(a) = a * 2" },
    });
    expect(compiled.dump()).toBe(
      [
        "function anonymous(sin) {",
        '"use strict";',
        "function d0(v0) {",
        "  return (v0 * 2);",
        "}",
        "return (function Main(v0, v1) {",
        "  return (d0(v0) + sin(v1));",
        "});",
        "}",
      ].join("\n"),
    );
    expect(compiled.fn.name).toBe("Main");
    expect(compiled.fn(3, 2)).toBe(6 + Math.sin(2));
  });

  it("turns the engine's EvalError into CodeGenerationForbidden", () => {
    const Forbidding = function Forbidding() {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructorLike;
    expect(() => loadWithFunction(code, Forbidding)).toThrow(CodeGenerationForbidden);
  });

  it("says which back-ends still work when run under --disallow-code-generation-from-strings", () => {
    const child = fileURLToPath(new URL("./forbidden-child.ts", import.meta.url));
    const result = spawnSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--import", "tsx", child],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(result.stderr).not.toMatch(/Error/);
    const report = JSON.parse(result.stdout) as Record<string, string>;
    expect(report.available).toMatch(
      /^not available: this JavaScript engine forbids generating code/,
    );
    // Asked for by name: the API's error gives the reason and lists what still works.
    expect(report.byName).toMatch(
      /^ExprBackendError: back-end 'js' is not available here: this JavaScript engine forbids .*\(available: treewalk, /,
    );
    expect(report.byName).not.toMatch(/available: [^)]*\bjs\b/);
    // Called directly, the back-end says the same and names the alternatives itself.
    expect(report.direct).toMatch(
      /^ExprBackendError: this JavaScript engine forbids generating code from strings .*; use the closure, treewalk, vm or wasm back-end$/,
    );
    // The default's compiled tier is closure, with no js after it; the module path does not need new Function.
    expect(report.byDefault).toMatch(/^2 with auto, on closure$/);
    expect(report.module).toBe("2");
  });
});

describe("ES module", () => {
  it("exports Main, which bind sets with the builtins as closure parameters", () => {
    expect(moduleText(code)).toBe(
      [
        "export let Main;",
        "export function bind(sin) {",
        "  Main = (function Main(v0, v1) {",
        "    return ((sin(v0) * v1) + 3.141592653589793);",
        "  });",
        "}",
        "",
      ].join("\n"),
    );
    expect(moduleText(generateJs(toProgram("1")))).toBe(
      "export let Main;\nexport function bind() {\n  Main = (function Main() {\n    return 1;\n  });\n}\n",
    );
  });

  it("writes to a fresh directory only its owner can enter, and removes it", () => {
    const file = writePrivateModule("export const a = 1;\n");
    try {
      expect(statSync(file.directory).mode & 0o777).toBe(0o700);
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(readFileSync(file.path, "utf8")).toBe("export const a = 1;\n");
    } finally {
      file.remove();
    }
    expect(existsSync(file.directory)).toBe(false);
    file.remove(); // twice is harmless
  });

  it("loads Main, checks it and leaves no file behind", async () => {
    const fn = await loadAsModule(code);
    expect(fn.name).toBe("Main");
    expect(fn.length).toBe(2);
    expect(fn(1, 2)).toBe(Math.sin(1) * 2 + Math.PI);
  });

  it("is reached through compileAsync, and compile refuses it with a pointer there", async () => {
    const compiled = await compileAsync("x^2 + y", { backend: "js", load: "module" });
    expect(compiled.evaluate({ x: 3, y: 1 })).toBe(10);
    expect(compiled.dump()).toContain("Main = (function Main(v0, v1) {");
    let caught: unknown;
    try {
      compile("x^2 + y", { backend: "js", load: "module" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExprError);
    expect((caught as ExprError).kind).toBe("backend");
    expect((caught as ExprError).message).toMatch(/use compileAsync/);
  });

  it("rejects an unknown load mode", () => {
    const options = { load: "eval" } as unknown as { load: "function" };
    expect(() => js.compile(toProgram("1"), options)).toThrow(ExprOptionsError);
  });

  it("dumps what it loaded and names the load mode for explain", async () => {
    const program = toProgram("x + 0.25");
    const inMemory = js.compile(program, {});
    const asModule = await js.compileAsync?.(program, { load: "module" });
    expect(inMemory.dump()).toBe(functionText(generateJs(program)));
    expect(asModule?.dump()).toBe(moduleText(generateJs(program)));
    expect(inMemory.how).toMatch(/^generated JavaScript compiled in memory by new Function/);
    expect(asModule?.how).toMatch(
      /^generated ES module written to a private temp dir, import\(\)ed, file removed, Main checked \(1 parameter\)$/,
    );
  });
});
