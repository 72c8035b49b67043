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
 *
 * A host function's trampolines are kept per host function (in a WeakMap,
 * so they go when it goes) and per arity: an environment compiled against
 * many times pays for them once.
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

/** Trampolines made so far, by callee label (`sin`, `hypot_3`, `hypot_wide`, `%`). */
const trampolines = new Map<string, unknown>();

/** Host functions' trampolines, by host function and then by label (which holds the arity). */
const hostTrampolines = new WeakMap<object, Map<string, unknown>>();

function trampolineOf(callee: Callee): unknown {
  return callee.host === undefined
    ? trampolines.get(callee.label)
    : hostTrampolines.get(callee.host)?.get(callee.label);
}

function remember(callee: Callee, trampoline: unknown): void {
  if (callee.host === undefined) {
    trampolines.set(callee.label, trampoline);
    return;
  }
  let byLabel = hostTrampolines.get(callee.host);
  if (byLabel === undefined) hostTrampolines.set(callee.host, (byLabel = new Map()));
  byLabel.set(callee.label, trampoline);
}

/** A fresh table whose slot i calls `callees[i]`. */
export function functionTable(callees: readonly Callee[]): HostTable {
  const wasm = requireHost();
  const missing = callees.filter((callee) => trampolineOf(callee) === undefined);
  if (missing.length > 0) makeTrampolines(wasm, missing);
  const table = new wasm.Table({ element: "anyfunc", initial: callees.length });
  callees.forEach((callee, slot) => {
    table.set(slot, trampolineOf(callee));
  });
  return table;
}

/**
 * Builds one module of trampolines for `callees` and remembers each. The
 * import and export names are the slot numbers, so no label (a user's
 * name among them) is ever an object key.
 */
function makeTrampolines(wasm: WebAssemblyHost, callees: readonly Callee[]): void {
  const fields: Record<string, unknown> = createObject(null);
  callees.forEach((callee, i) => {
    fields[fieldName(i)] = callee.js;
  });
  const module = new wasm.Module(encodeTrampolines(callees));
  const { exports } = new wasm.Instance(module, { js: fields });
  callees.forEach((callee, i) => {
    remember(callee, exports[fieldName(i)]);
  });
}

/** The import and export name of trampoline `i`. */
function fieldName(i: number): string {
  return `t${i}`;
}

/**
 * A module that imports each callee's function as `js.t<i>` and exports,
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
    callees.map((callee, i) => ({
      module: "js",
      field: fieldName(i),
      kind: "func",
      type: typeOf(callee),
    })),
  );
  functionSection(out, callees.map(typeOf));
  exportSection(
    out,
    callees.map((_, i) => ({ name: fieldName(i), func: n + i })),
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
