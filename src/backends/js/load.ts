/**
 * Loading generated JavaScript into the running engine, two ways, from the
 * one generated `Main`:
 *
 * - in memory: `new Function(sin, cos, …, body)` is a factory whose
 *   parameters are the builtins; calling it once with the captured table
 *   implementations binds them, so replacing `Math.sin` later changes nothing;
 * - as an ES module (loaded like a plugin, from a file): the module is written to a
 *   private temporary directory and `import()`ed, the file and directory
 *   removed, the builtins bound through its exported `bind`, and its
 *   exported `Main` looked up and checked.
 *
 * Either way the function handed back is the generated `Main` itself.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { EvalFn } from "../backend.js";
import type { GeneratedCode } from "./codegen.js";

/** A constructor like `Function`: parameter names, then the body. */
export type FunctionConstructorLike = new (...paramsThenBody: string[]) => unknown;

/** `Function`, captured when this module loads, so later tampering with the global is ignored. */
const NativeFunction: FunctionConstructorLike = Function;

/** The engine refused to compile source text (CSP without 'unsafe-eval', `--disallow-code-generation-from-strings`). */
export class CodeGenerationForbidden extends Error {
  override readonly name = "CodeGenerationForbidden";
}

/**
 * Whether this engine lets code be generated from strings: probed once with
 * an empty `new Function`. False under a Content-Security-Policy without
 * 'unsafe-eval' or `node --disallow-code-generation-from-strings`.
 */
export function functionCodegenAllowed(): boolean {
  if (allowed === undefined) {
    try {
      new NativeFunction("");
      allowed = true;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

let allowed: boolean | undefined;

/**
 * The body given to `new Function`: a factory taking the builtins, returning
 * `Main`. The parentheses around `Main` make V8 compile it at once rather
 * than pre-parse it now and parse it again on the first call.
 */
export function functionBody(code: GeneratedCode): string {
  return `"use strict";\nreturn (${code.main});`;
}

/** What the engine compiles for `new Function(names…, body)`, written out for `dump()`. */
export function functionText(code: GeneratedCode): string {
  const names = code.builtins.map((b) => b.name).join(", ");
  return `function anonymous(${names}) {\n${functionBody(code)}\n}`;
}

/**
 * Loads `code` with `new Function`. Throws {@link CodeGenerationForbidden}
 * when the engine does not allow it. `Construct` exists for tests.
 */
export function loadWithFunction(
  code: GeneratedCode,
  Construct: FunctionConstructorLike = NativeFunction,
): EvalFn {
  const names: string[] = [];
  const builtins: unknown[] = [];
  for (const builtin of code.builtins) {
    names.push(builtin.name);
    builtins.push(builtin.js);
  }
  let factory: unknown;
  try {
    factory = new Construct(...names, functionBody(code));
  } catch (error) {
    // V8 throws EvalError when a context may not generate code from strings.
    if (error instanceof EvalError) throw new CodeGenerationForbidden(error.message);
    throw error;
  }
  // No closure is made here: in a process busy compiling, each costs microseconds.
  return checkedMain((factory as (...builtins: unknown[]) => unknown)(...builtins), code);
}

/**
 * The ES module: `bind` takes the builtins as parameters, as the
 * `new Function` factory does (closure parameters are what V8 inlines best),
 * and sets the exported `Main`.
 */
export function moduleText(code: GeneratedCode): string {
  const names = code.builtins.map((b) => b.name).join(", ");
  const main = code.main.replaceAll("\n", "\n  ");
  return `export let Main;\nexport function bind(${names}) {\n  Main = (${main});\n}\n`;
}

/**
 * Loads `code` as an ES module from a private temporary directory (mode
 * 0700, from `mkdtemp`; the file 0600, created exclusively), removed as soon
 * as the module is loaded, whatever happens. The module record itself stays
 * in the engine's module map for the life of the process: ES modules cannot
 * be unloaded.
 */
export async function loadAsModule(code: GeneratedCode): Promise<EvalFn> {
  const file = writePrivateModule(moduleText(code));
  let namespace: unknown;
  try {
    namespace = await import(pathToFileURL(file.path).href);
  } finally {
    file.remove();
  }
  const exports = namespace as { Main?: unknown; bind?: unknown };
  if (typeof exports.bind !== "function") throw new Error("the generated module exports no bind");
  exports.bind(...code.builtins.map((b) => b.js));
  // Looked up after bind: `Main` is a live binding of the module.
  return checkedMain(exports.Main, code);
}

/** A module file in a fresh private directory, and how to remove both. */
export interface PrivateFile {
  readonly directory: string;
  readonly path: string;
  remove(): void;
}

/** Writes `text` to `main.mjs` in a new directory under the OS temp dir that only this user can enter. */
export function writePrivateModule(text: string): PrivateFile {
  const directory = mkdtempSync(join(tmpdir(), "exprjit-js-"));
  const path = join(directory, "main.mjs");
  const remove = () => rmSync(directory, { recursive: true, force: true });
  try {
    writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  } catch (error) {
    remove();
    throw error;
  }
  return { directory, path, remove };
}

/** `Main` as the loader requires it: a function taking one parameter per variable. */
function checkedMain(main: unknown, code: GeneratedCode): EvalFn {
  if (typeof main !== "function") throw new Error("the generated code has no function Main");
  if (main.length !== code.params.length) {
    throw new Error(`Main takes ${main.length} parameters, expected ${code.params.length}`);
  }
  return main as EvalFn;
}
