/**
 * Loading: module bytes → the exported `main`, synchronously
 * (`new WebAssembly.Module`, then `new WebAssembly.Instance` with its
 * function table when the module calls anything, and the argument
 * memory when a call is wide).
 */

import type { EvalFn } from "../backend.js";
import type { WasmProgram } from "./codegen.js";
import { type HostImports, type HostModule, host } from "./host.js";
import { EXPORT_NAME, IMPORT_MODULE, MEMORY_FIELD, TABLE_FIELD } from "./module.js";
import { functionTable } from "./tables.js";
import { argumentMemory } from "./wide.js";

/** Compiles the bytes (V8 validates them here). Throws what the engine throws. */
export function compileModule(bytes: Uint8Array): HostModule {
  if (host === undefined) throw new Error("WebAssembly is not available in this process");
  return new host.Module(bytes);
}

/** Instantiates `module` (compiled from `program`) and returns its `main`. */
export function instantiate(module: HostModule, program: WasmProgram): EvalFn {
  if (host === undefined) throw new Error("WebAssembly is not available in this process");
  const imports: HostImports = {};
  if (program.callees.length > 0) {
    const table = functionTable(program.callees);
    imports[IMPORT_MODULE] = program.memory
      ? { [TABLE_FIELD]: table, [MEMORY_FIELD]: argumentMemory() }
      : { [TABLE_FIELD]: table };
  }
  const instance = new host.Instance(module, imports);
  return instance.exports[EXPORT_NAME] as EvalFn;
}
