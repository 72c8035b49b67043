/**
 * Loading generated JavaScript into the running engine, two ways, from the
 * one generated `Main`:
 *
 * - in memory: `new Function(sin, cos, …, v0, v1, body)` is `Main` itself,
 *   the builtins its leading parameters, bound once to the captured table
 *   implementations (`Function.prototype.bind`), so replacing `Math.sin`
 *   later changes nothing. One function for V8 to compile, the same text a
 *   bare `new Function` of the body would be: a factory returning an inner
 *   `Main` cost V8 a quarter more. A program with expression functions is
 *   the exception: their declarations must sit outside `Main` (or each call
 *   would make them afresh), so it gets a factory `new Function(sin, …,
 *   body)` returning `Main`, called once with the captured implementations;
 * - as an ES module (loaded like a plugin): the module's text is here, and
 *   so is turning its namespace into a factory; how it is imported depends
 *   on the platform, so that lives in module.ts (Node: a private temporary
 *   file) and module.browser.ts (a Blob URL), reached only by a dynamic
 *   import when a caller asks for `load: "module"`, so neither `node:fs` nor
 *   a file is touched otherwise, and a browser bundle holds no Node module.
 *
 * Either way the function handed back is the generated `Main` (bound to
 * its builtins where it takes them as parameters).
 *
 * Host functions are bound the same way as builtins, as parameters `h0`,
 * `k0`, … of `Main`, of the factory or of `bind`, never by name in the
 * text. What was compiled can be bound again to other host functions, so
 * the compile cache keeps it and binds each compile's own functions.
 */

import { hostResultChecker } from "../../semantics/host.js";
import type { EvalFn } from "../backend.js";
import type { GeneratedCode } from "./codegen.js";

/**
 * Compiled generated code, waiting for its free names: a factory returning
 * a fresh `Main` per call, or (see {@link loadsFlat}) `Main` taking them as
 * its leading parameters.
 */
export type Factory = (...bound: unknown[]) => unknown;

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
 * Whether `new Function` makes `Main` itself for `code` (its bound names,
 * then its variables, as parameters), rather than a factory: whenever there
 * are no expression functions to declare outside it.
 */
export function loadsFlat(code: GeneratedCode): boolean {
  return code.prelude === "";
}

/**
 * The body given to `new Function`: `Main`'s own body, or for a factory
 * the expression functions and `return (Main);`. The parentheses around
 * `Main` make V8 compile it at once rather than pre-parse it now and parse
 * it again on the first call.
 */
export function functionBody(code: GeneratedCode): string {
  return loadsFlat(code)
    ? `"use strict";\n${code.body}`
    : `"use strict";\n${code.prelude}return (${code.main});`;
}

/** The parameters given to `new Function`: the bound names, then for a flat `Main` its variables. */
function functionParams(code: GeneratedCode): string[] {
  const names = boundNames(code);
  if (loadsFlat(code)) for (const param of code.params) names.push(param);
  return names;
}

/** The factory's parameters: the builtins' names, then `h{i}, k{i}` for each host function. */
export function boundNames(code: GeneratedCode): string[] {
  const names: string[] = code.builtins.map((b) => b.name);
  code.hosts.forEach((_, i) => {
    names.push(`h${i}`, `k${i}`);
  });
  return names;
}

/** The values of {@link boundNames}: each builtin's captured function, each host function and its checker. */
export function boundValues(code: GeneratedCode): unknown[] {
  const values: unknown[] = code.builtins.map((b) => b.js);
  for (const host of code.hosts) values.push(host.fn, hostResultChecker(host.name));
  return values;
}

/** What the engine compiles for `new Function(names…, body)`, written out for `dump()`. */
export function functionText(code: GeneratedCode): string {
  return `function anonymous(${functionParams(code).join(", ")}) {\n${functionBody(code)}\n}`;
}

/** `Main` from `factory`, bound to `code`'s builtins and host functions, checked. */
export function bindMain(factory: Factory, code: GeneratedCode): EvalFn {
  return checkedMain(factory(...boundValues(code)), code);
}

/**
 * `Main` from what {@link loadFactory} compiled for `code`, bound to its
 * builtins and host functions, checked. A flat `Main` that takes none is
 * handed back as it is.
 */
export function bindLoaded(compiled: Factory, code: GeneratedCode): EvalFn {
  if (!loadsFlat(code)) return bindMain(compiled, code);
  const values = boundValues(code);
  return checkedMain(values.length === 0 ? compiled : compiled.bind(undefined, ...values), code);
}

/**
 * Loads `code` with `new Function`. Throws {@link CodeGenerationForbidden}
 * when the engine does not allow it. `Construct` exists for tests.
 */
export function loadWithFunction(
  code: GeneratedCode,
  Construct: FunctionConstructorLike = NativeFunction,
): EvalFn {
  return bindLoaded(loadFactory(code, Construct), code);
}

/**
 * Compiles `code` with `new Function`: `Main` taking its bound names first,
 * or its factory (see {@link loadsFlat}); {@link bindLoaded} binds either.
 * Throws {@link CodeGenerationForbidden}.
 */
export function loadFactory(
  code: GeneratedCode,
  Construct: FunctionConstructorLike = NativeFunction,
): Factory {
  try {
    // No closure is made here: in a process busy compiling, each costs microseconds.
    return new Construct(...functionParams(code), functionBody(code)) as Factory;
  } catch (error) {
    // V8 throws EvalError when a context may not generate code from strings.
    if (error instanceof EvalError) throw new CodeGenerationForbidden(error.message);
    throw error;
  }
}

/**
 * The ES module: `bind` takes the builtins as parameters, as the
 * `new Function` factory does (closure parameters are what V8 inlines best),
 * and sets the exported `Main`.
 */
export function moduleText(code: GeneratedCode): string {
  const names = boundNames(code).join(", ");
  const main = code.main.replaceAll("\n", "\n  ");
  const prelude = code.prelude.replaceAll(/^(?=.)/gm, "  ");
  return `export let Main;\nexport function bind(${names}) {\n${prelude}  Main = (${main});\n}\n`;
}

/**
 * The factory of an imported {@link moduleText} module: each call runs its
 * `bind` with the values given, then reads `Main`. Throws if the namespace
 * has no `bind`.
 */
export function moduleFactory(namespace: unknown): Factory {
  const exports = namespace as { Main?: unknown; bind?: unknown };
  const bind = exports.bind;
  if (typeof bind !== "function") throw new Error("the generated module exports no bind");
  return (...bound: unknown[]) => {
    bind(...bound);
    // Read after bind: `Main` is a live binding of the module, and each bind makes a new one.
    return exports.Main;
  };
}

/** `Main` as the loader requires it: a function taking one parameter per variable. */
function checkedMain(main: unknown, code: GeneratedCode): EvalFn {
  if (typeof main !== "function") throw new Error("the generated code has no function Main");
  if (main.length !== code.params.length) {
    throw new Error(`Main takes ${main.length} parameters, expected ${code.params.length}`);
  }
  return main as EvalFn;
}
