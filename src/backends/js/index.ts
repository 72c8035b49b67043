/**
 * The `js` back-end: a JIT that writes the program as JavaScript source and
 * hands it to the engine it runs in (a plugin-style JIT, with the JS
 * engine as the compiler). Generation is codegen.ts, loading is load.ts
 * (`new Function` by default, an ES module with `load: "module"`), and a
 * bounded LRU cache (cache.ts) makes compiling the same formula again free.
 */

import { ExprBackendError, ExprError, ExprOptionsError } from "../../errors.js";
import type { Program } from "../../semantics/program.js";
import { plural } from "../../text/plural.js";
import type {
  Backend,
  BackendOptions,
  BatchFn,
  BatchIntoFn,
  CompiledCode,
  EvalFn,
  IntoFn,
} from "../backend.js";
import { LruCache } from "./cache.js";
import { type GeneratedCode, generateJs, generateJsBatch, unsupported } from "./codegen.js";
import {
  bindLoaded,
  bindMain,
  CodeGenerationForbidden,
  type Factory,
  functionCodegenAllowed,
  functionText,
  loadFactory,
  loadWithFunction,
  moduleText,
} from "./load.js";

/** How generated source is loaded. */
type LoadMode = "function" | "module";

/** A loaded program, as the cache keeps it. */
interface Loaded {
  readonly fn: EvalFn;
  readonly mode: LoadMode;
  readonly code: GeneratedCode;
  /**
   * What was compiled (`Main` taking its bound names first, or a factory):
   * binds `Main` again to other host functions (the same text, other bindings).
   */
  readonly factory: Factory;
  readonly program: Program;
  /** The batch loop, once built (kept with the cached entry): it writes every result. */
  batch?: { readonly fn: BatchIntoFn; readonly code: GeneratedCode | undefined };
  /** For a module, how the platform imported it (module.ts or module.browser.ts). */
  readonly via?: string;
}

/**
 * Compiled code by load mode and generated source. Shared by every caller in
 * the process; at most 256 programs and 8 million characters of source.
 */
export const jsCompileCache = new LruCache<Loaded>({ maxEntries: 256, maxKeyChars: 8_000_000 });

/** Why `js` cannot run where code generation from strings is forbidden. */
const FORBIDDEN =
  "this JavaScript engine forbids generating code from strings (new Function), as under a " +
  "Content-Security-Policy without 'unsafe-eval' or node --disallow-code-generation-from-strings";

/** The JIT to JavaScript. */
export const js: Backend = {
  name: "js",
  summary:
    "JIT to JavaScript: generates JS source and lets the engine compile it (new Function or ES module)",
  options: ["load"],
  cache: {
    info: () => ({
      location: "memory",
      entries: jsCompileCache.size,
      // Source text is kept as UTF-16 strings: two bytes a character.
      bytes: jsCompileCache.chars * 2,
    }),
    clear: () => {
      const removed = jsCompileCache.size;
      jsCompileCache.clear();
      return removed;
    },
  },
  artefact: "js",
  exact: true,
  // Where the engine forbids `new Function`, the API's default choice must skip js, and asking
  // for it by name must say why and list what still works; the registry does both from this.
  availability: () =>
    functionCodegenAllowed() ? { available: true } : { available: false, reason: FORBIDDEN },
  compile(program: Program, options: BackendOptions): CompiledCode {
    const mode = loadMode(program, options);
    if (mode === "module") {
      throw new ExprBackendError(
        `the js back-end loads { load: "module" } asynchronously: use compileAsync instead of compile`,
        program.source,
      );
    }
    const code = prepare(program);
    return fromCache(mode, code) ?? store(bound(loadNow(program, code), mode, code, program));
  },
  async compileAsync(program: Program, options: BackendOptions): Promise<CompiledCode> {
    const mode = loadMode(program, options);
    if (mode === "function") return js.compile(program, options);
    const code = prepare(program);
    const cached = fromCache(mode, code);
    if (cached !== undefined) return cached;
    const { factory, via } = await loadModuleNow(program, code);
    return store(bound(factory, mode, code, program, via));
  },
};

/** A loaded factory and the `Main` it makes for `code`'s own bindings. */
function bound(
  factory: Factory,
  mode: LoadMode,
  code: GeneratedCode,
  program: Program,
  via?: string,
): Loaded {
  const fn = mode === "function" ? bindLoaded(factory, code) : bindMain(factory, code);
  return via === undefined
    ? { fn, mode, code, factory, program }
    : { fn, mode, code, factory, program, via };
}

function loadNow(program: Program, code: GeneratedCode): Factory {
  try {
    return loadFactory(code);
  } catch (error) {
    throw explain(program, error);
  }
}

async function loadModuleNow(
  program: Program,
  code: GeneratedCode,
): Promise<{ factory: Factory; via: string }> {
  try {
    // Only now: the loader is Node's file system or a browser's Blob URL (package.json `browser`).
    const { loadModuleFactory, MODULE_HOW } = await import("./module.js");
    return { factory: await loadModuleFactory(code), via: MODULE_HOW };
  } catch (error) {
    throw explain(program, error);
  }
}

/** A load failure as the ExprError a user should see; a stack overflow is left for the API to report. */
function explain(program: Program, error: unknown): unknown {
  if (error instanceof ExprError || error instanceof RangeError) return error;
  if (error instanceof CodeGenerationForbidden) {
    return new ExprBackendError(
      `${FORBIDDEN}; use the closure, treewalk, vm or wasm back-end`,
      program.source,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExprBackendError(
    `the js back-end could not load its code: ${message}`,
    program.source,
    { cause: error },
  );
}

/** Generated code for `program`, or an ExprError if V8 could not take it. */
function prepare(program: Program): GeneratedCode {
  const reason = unsupported(program);
  if (reason !== undefined) {
    throw new ExprBackendError(`${reason}; use the vm or treewalk back-end`, program.source);
  }
  return generateJs(program);
}

function loadMode(program: Program, options: BackendOptions): LoadMode {
  const mode = options.load ?? "function";
  if (mode !== "function" && mode !== "module") {
    throw new ExprOptionsError(
      `unknown load mode '${String(mode)}' (use "function" or "module")`,
      program.source,
    );
  }
  return mode;
}

/**
 * The generated source is the canonical form of a program; the load mode
 * completes the key. A function-mode key is the text itself (no new string
 * to build): generated text starts with `function`, never with `module\n`.
 */
function cacheKey(mode: LoadMode, code: GeneratedCode): string {
  const text = `${code.prelude}${code.main}`;
  return mode === "function" ? text : `module\n${text}`;
}

/**
 * The cached code for `code`, if any. Host functions are not part of the
 * text, so a program that calls any gets a `Main` bound to its own.
 */
function fromCache(mode: LoadMode, code: GeneratedCode): CompiledCode | undefined {
  const loaded = jsCompileCache.get(cacheKey(mode, code));
  if (loaded === undefined) return undefined;
  return new JsCode(
    code.hosts.length === 0
      ? loaded
      : bound(loaded.factory, mode, code, loaded.program, loaded.via),
    true,
  );
}

function store(loaded: Loaded): CompiledCode {
  jsCompileCache.set(cacheKey(loaded.mode, loaded.code), loaded);
  return new JsCode(loaded, false);
}

/**
 * What `compile` hands back. A class rather than an object of arrow
 * functions: in a process busy compiling, every closure made costs
 * microseconds, as much as a tenth of the whole compile.
 */
class JsCode implements CompiledCode {
  readonly fn: EvalFn;
  readonly fnInto: IntoFn;

  constructor(
    private readonly loaded: Loaded,
    private readonly reused: boolean,
  ) {
    const main = loaded.fn;
    if (loaded.code.results === 1) {
      this.fn = main;
      this.fnInto = (out, ...values) => {
        out[0] = main(...values);
      };
    } else {
      // With several results the generated `Main` is `Main(out, v0, …)`.
      const into = main as unknown as IntoFn;
      const scratch = new Float64Array(loaded.code.results);
      this.fnInto = into;
      this.fn = (...values) => {
        into(scratch, ...values);
        return scratch[0] as number;
      };
    }
  }

  /** Written when asked for: most compiles never read it. */
  get how(): string {
    const how = describe(this.loaded);
    return this.reused ? `${how}; reused from the compile cache` : how;
  }

  /** Exactly the text the engine compiled. */
  dump(): string {
    const { mode, code } = this.loaded;
    return mode === "function" ? functionText(code) : moduleText(code);
  }

  /** Nothing to free: the function is ordinary garbage, the module file is already gone. */
  dispose(): void {}

  batch(): BatchFn {
    const into = loadBatch(this.loaded).fn;
    const results = this.loaded.code.results;
    if (results === 1) return (columns, out) => into(columns, [out]);
    // Result 0 only: the others go to scratch columns of the batch's length.
    return (columns, out) => {
      const outs = [out];
      for (let r = 1; r < results; r++) outs.push(new Float64Array(out.length));
      into(columns, outs);
    };
  }

  batchInto(): BatchIntoFn {
    return loadBatch(this.loaded).fn;
  }

  /** The text the engine compiled for the batch loop (through `new Function`). */
  dumpBatch(): string {
    const { code } = loadBatch(this.loaded);
    return code === undefined ? this.dump() : functionText(code);
  }
}

/**
 * The batch loop of `loaded`, generated and loaded with `new Function` on
 * first use (whatever the load mode: it is built synchronously) and kept
 * with the cached entry. Where the engine forbids `new Function`, batches
 * loop over the module's `Main`. (A program calling host functions never
 * gets here: the API runs it row by row through `fn`.)
 */
function loadBatch(loaded: Loaded): NonNullable<Loaded["batch"]> {
  if (loaded.batch !== undefined) return loaded.batch;
  const code = generateJsBatch(loaded.program);
  let batch: NonNullable<Loaded["batch"]>;
  try {
    const generated = loadWithFunction(code) as (...args: unknown[]) => void;
    const fn: BatchIntoFn = (columns, outs) =>
      generated(...columns, ...outs, (outs[0] as Float64Array).length);
    batch = { fn, code };
  } catch (error) {
    if (!(error instanceof CodeGenerationForbidden)) throw explain(loaded.program, error);
    const into = new JsCode(loaded, true).fnInto;
    const results = loaded.code.results;
    const fn: BatchIntoFn = (columns, outs) => {
      const values = new Array<number>(columns.length);
      const row = new Float64Array(results);
      const n = (outs[0] as Float64Array).length;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < columns.length; k++) {
          values[k] = (columns[k] as Float64Array)[i] as number;
        }
        into(row, ...values);
        for (let r = 0; r < results; r++) (outs[r] as Float64Array)[i] = row[r] as number;
      }
    };
    batch = { fn, code: undefined };
  }
  loaded.batch = batch;
  return batch;
}

function describe({ mode, code, via }: Loaded): string {
  return mode === "function"
    ? `generated JavaScript compiled in memory by new Function; builtins${code.hosts.length === 0 ? "" : " and host functions"} bound once, at load`
    : `${via}, Main checked (${plural(code.params.length, "parameter")})`;
}
