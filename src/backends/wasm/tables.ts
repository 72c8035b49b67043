/**
 * Function tables: each module that calls JavaScript functions imports a
 * small funcref table of its own, whose slots hold wasm trampolines, each
 * calling one of the builtin table's captured functions. The trampolines
 * are made once per process, when a function (at an arity) is first needed,
 * and shared by every table.
 *
 * Why not import the functions: V8 compiles a wasm-to-JS wrapper for each
 * imported signature of each new module, a cost larger than the rest of
 * compiling a small expression. The trampolines pay it once per process. Why not one table for all modules: a table keeps
 * every instance that imports it alive, so compiled expressions would never
 * be collected.
 */

import type { Callee } from "./codegen.js";
import {
  ByteWriter,
  codeSection,
  exportSection,
  functionSection,
  importSection,
  preamble,
  typeSection,
} from "./encoding.js";
import { type HostTable, host, type WebAssemblyHost } from "./host.js";
import { VALTYPE, WASM_OPCODES } from "./opcodes.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { create: createObject } = Object;

/** Trampolines made so far, by callee label (`sin`, `hypot_3`, `%`). */
const trampolines = new Map<string, unknown>();

/** A fresh table whose slot i calls `callees[i]`. */
export function functionTable(callees: readonly Callee[]): HostTable {
  const wasm = requireHost();
  const missing = callees.filter((callee) => !trampolines.has(callee.label));
  if (missing.length > 0) makeTrampolines(wasm, missing);
  const table = new wasm.Table({ element: "anyfunc", initial: callees.length });
  callees.forEach((callee, slot) => {
    table.set(slot, trampolines.get(callee.label));
  });
  return table;
}

/** Builds one module of trampolines for `callees` and remembers each. */
function makeTrampolines(wasm: WebAssemblyHost, callees: readonly Callee[]): void {
  const fields: Record<string, unknown> = createObject(null);
  for (const callee of callees) fields[callee.label] = callee.js;
  const module = new wasm.Module(encodeTrampolines(callees));
  const { exports } = new wasm.Instance(module, { js: fields });
  for (const callee of callees) trampolines.set(callee.label, exports[callee.label]);
}

/**
 * A module that imports each callee's function as `js.<label>` and exports,
 * under the same name, a wasm function passing its parameters on to it.
 * Function i is import i; trampoline i is function n + i.
 */
export function encodeTrampolines(callees: readonly Callee[]): Uint8Array {
  const arities = [...new Set(callees.map((callee) => callee.arity))];
  const typeOf = (callee: Callee): number => arities.indexOf(callee.arity);
  const n = callees.length;
  const out = new ByteWriter();
  preamble(out);
  typeSection(
    out,
    arities.map((arity) => ({
      params: new Array<number>(arity).fill(VALTYPE.f64),
      results: [VALTYPE.f64],
    })),
  );
  importSection(
    out,
    callees.map((callee) => ({
      module: "js",
      field: callee.label,
      kind: "func",
      type: typeOf(callee),
    })),
  );
  functionSection(out, callees.map(typeOf));
  exportSection(
    out,
    callees.map((callee, i) => ({ name: callee.label, func: n + i })),
  );
  codeSection(
    out,
    callees.map((callee, i) => {
      const body = new ByteWriter();
      for (let p = 0; p < callee.arity; p++) body.byte(WASM_OPCODES["local.get"].code).u32(p);
      return {
        f64Locals: 0,
        expr: body.byte(WASM_OPCODES.call.code).u32(i).byte(WASM_OPCODES.end.code),
      };
    }),
  );
  return out.finish();
}

function requireHost(): WebAssemblyHost {
  if (host === undefined) throw new Error("WebAssembly is not available in this process");
  return host;
}
