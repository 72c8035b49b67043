/**
 * The `wasm` back-end: encodes a WebAssembly module byte by byte from the
 * resolved program and lets the engine compile it to machine code. Its
 * artefact is the module as WAT, printed from the same instruction list.
 */

import { ExprBackendError } from "../../errors.js";
import type { Program } from "../../semantics/program.js";
import { plural } from "../../text/plural.js";
import type { Availability, Backend, BatchFn, CompiledCode, EvalFn, IntoFn } from "../backend.js";
import { batchable, type LoadedBatch, loadWasmBatch, renderBatchWat } from "./batch.js";
import { generateWasm, type WasmProgram } from "./codegen.js";
import { host } from "./host.js";
import { compileModule, instantiate } from "./load.js";
import { encodeModule } from "./module.js";
import { renderWat } from "./wat.js";

/** The WebAssembly JIT: one exported `main(f64…) → f64`, compiled synchronously. */
export const wasm: Backend = {
  name: "wasm",
  summary:
    "WebAssembly JIT: encodes a wasm module byte by byte; the engine compiles it to machine code",
  options: [],
  artefact: "wat",
  exact: true,
  availability,
  compile: compileWasm,
};

/** The smallest valid module: the magic number and version 1. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let probed: Availability | undefined;

/**
 * Whether this engine compiles WebAssembly, probed once by compiling the
 * empty module: an engine may have the `WebAssembly` object and still
 * refuse to compile (a Content-Security-Policy without 'wasm-unsafe-eval').
 */
function availability(): Availability {
  probed ??= probe();
  return probed;
}

function probe(): Availability {
  if (host === undefined) {
    return {
      available: false,
      reason: "this JavaScript engine has no WebAssembly (e.g. --jitless)",
    };
  }
  try {
    new host.Module(EMPTY_MODULE);
    return { available: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      available: false,
      reason: `this JavaScript engine refuses to compile WebAssembly, as under a Content-Security-Policy without 'wasm-unsafe-eval' (${message})`,
    };
  }
}

/** The most parameters a wasm function may take in V8 (and in the JS API's limits). */
const MAX_PARAMS = 1000;

function compileWasm(program: Program): CompiledCode {
  const code = generateWasm(program);
  checkLimits(code, program);
  const bytes = encodeModule(code);
  let fn: CompiledCode["fn"];
  try {
    fn = instantiate(compileModule(bytes), code);
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExprBackendError(`the wasm engine rejected the module: ${reason}`, program.source, {
      cause: error,
    });
  }
  const calls = code.callees.length;
  const via = calls === 0 ? "" : `, calling ${plural(calls, "JS function")} via its table`;
  // The batch module is built on the first batch, never for scalar use.
  let batch: LoadedBatch | undefined;
  const toBatch = () => {
    batch ??= loadWasmBatch(program);
    return batch;
  };
  const entries = entriesOf(fn, program.results.length);
  const compiled: CompiledCode = {
    ...entries,
    dump: () => renderWat(code),
    dispose: () => {},
    how: `encoded a ${bytes.length}-byte wasm module${via}; compiled and instantiated synchronously`,
  };
  if (!batchable(program)) return compiled;
  return {
    ...compiled,
    batch: (): BatchFn => {
      const into = toBatch().fn;
      const results = program.results.length;
      if (results === 1) return (columns, out) => into(columns, [out]);
      return (columns, out) => {
        const outs = [out];
        for (let r = 1; r < results; r++) outs.push(new Float64Array(out.length));
        into(columns, outs);
      };
    },
    batchInto: () => toBatch().fn,
    dumpBatch: () => renderBatchWat(toBatch().module),
  };
}

/**
 * `fn` and `fnInto` from the exported `main`: with several results it
 * returns them all (multi-value), which JavaScript receives as an array.
 */
function entriesOf(main: EvalFn, results: number): { fn: EvalFn; fnInto: IntoFn } {
  if (results === 1) {
    return {
      fn: main,
      fnInto: (out, ...values) => {
        out[0] = main(...values);
      },
    };
  }
  const all = main as unknown as (...values: number[]) => readonly number[];
  return {
    fn: (...values) => all(...values)[0] as number,
    fnInto: (out, ...values) => {
      const row = all(...values);
      for (let r = 0; r < results; r++) out[r] = row[r] as number;
    },
  };
}

/**
 * Says plainly which limit an expression exceeds, before the engine says it
 * in its own words. Only `main` can be that wide: a call with many
 * arguments passes them through memory (wide.ts).
 */
function checkLimits(code: WasmProgram, program: Program): void {
  const count = code.params.length;
  if (count > MAX_PARAMS) {
    throw new ExprBackendError(
      `the wasm back-end cannot compile ${count} variables: WebAssembly functions take at most ${MAX_PARAMS} parameters; use another back-end`,
      program.source,
    );
  }
}
