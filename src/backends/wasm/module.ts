/**
 * Assembles the module bytes from codegen's output: the type table (one
 * function type per parameter count), the import of the function table
 * (when anything is called) and of the argument memory (when a call is
 * wide, wide.ts), `main` and its export, then one function per
 * expression function, and the encoded bodies. The WAT printer reads the
 * same layout ({@link layout}), so text and bytes name the same indices.
 */

import type { WasmProgram } from "./codegen.js";
import {
  ByteWriter,
  codeSection,
  exportSection,
  functionSection,
  importSection,
  preamble,
  typeSection,
} from "./encoding.js";
import { EMPTY_BLOCK, type Instr, type OpInfo, VALTYPE, WASM_OPCODES } from "./opcodes.js";

/** The module the table is imported from. */
export const IMPORT_MODULE = "js";
/** The field the function table is imported as. */
export const TABLE_FIELD = "functions";
/** The field the argument memory of wide calls is imported as (wide.ts). */
export const MEMORY_FIELD = "memory";
/** The name `main` is exported under. */
export const EXPORT_NAME = "main";

/**
 * The module's function types. Every type is `(f64 × n) → f64`, but for a
 * `main` with several results, whose type `(f64 × n) → (f64 × k)` comes
 * last (index `arities.length`).
 */
export interface Layout {
  /** The parameter count of each type, in type-index order. */
  readonly arities: readonly number[];
  /** The type index of `main` (function 0). */
  readonly mainType: number;
  /** How many results `main` returns (1, or k for several results: multi-value). */
  readonly mainResults: number;
  /** The type index of each expression function (function 1 + i). */
  readonly definitionTypes: readonly number[];
}

/** The type table: types in order of first use, callees first, then `main`, then the definitions. */
export function layout(program: WasmProgram): Layout {
  const arities: number[] = [];
  const typeOf = (arity: number): number => {
    if (!arities.includes(arity)) arities.push(arity);
    return arities.indexOf(arity);
  };
  for (const callee of program.callees) typeOf(callee.arity);
  const mainResults = program.results.length;
  const single = mainResults === 1 ? typeOf(program.params.length) : -1;
  const definitionTypes = program.definitions.map((d) => typeOf(d.params.length));
  const mainType = single === -1 ? arities.length : single;
  return { arities, mainType, mainResults, definitionTypes };
}

/** The module's bytes. */
export function encodeModule(program: WasmProgram): Uint8Array {
  const types = layout(program);
  const out = new ByteWriter();
  preamble(out);
  const f64 = VALTYPE.f64;
  const signatures: { params: number[]; results: number[] }[] = types.arities.map((arity) => ({
    params: new Array<number>(arity).fill(f64),
    results: [f64],
  }));
  if (types.mainResults > 1) {
    signatures.push({
      params: new Array<number>(program.params.length).fill(f64),
      results: new Array<number>(types.mainResults).fill(f64),
    });
  }
  typeSection(out, signatures);
  if (program.callees.length > 0) {
    const table = {
      module: IMPORT_MODULE,
      field: TABLE_FIELD,
      kind: "table",
      min: program.callees.length,
    } as const;
    const memory = { module: IMPORT_MODULE, field: MEMORY_FIELD, kind: "memory", min: 1 } as const;
    importSection(out, program.memory ? [table, memory] : [table]);
  }
  functionSection(out, [types.mainType, ...types.definitionTypes]);
  exportSection(out, [{ name: EXPORT_NAME, func: 0 }]);
  const functions = [program, ...program.definitions];
  codeSection(
    out,
    functions.map((f) => ({ f64Locals: f.locals, expr: encodeBody(f.body, types) })),
  );
  return out.finish();
}

/** The body's instructions, then the `end` that closes every function body. */
function encodeBody(body: readonly Instr[], types: Layout): ByteWriter {
  const out = new ByteWriter();
  for (const instr of body) encodeInstr(out, instr, types);
  return out.byte(WASM_OPCODES.end.code);
}

/**
 * One instruction: its opcode byte (and sub-opcode, for the prefixed
 * ones), then its immediate as the table says.
 */
export function encodeInstr(out: ByteWriter, instr: Instr, types: Layout): void {
  const info: OpInfo = WASM_OPCODES[instr.op];
  const { code, imm } = info;
  out.byte(code);
  if (info.sub !== undefined) out.u32(info.sub);
  const arg = instr.arg ?? 0;
  switch (imm) {
    case "none":
      return;
    case "blocktype": {
      const result = instr.result ?? "f64";
      out.byte(result === "none" ? EMPTY_BLOCK : VALTYPE[result]);
      return;
    }
    case "label":
      out.u32(arg);
      return;
    case "memarg":
      out.u32(info.align ?? 0).u32(arg);
      return;
    case "local":
    case "func":
      out.u32(arg);
      return;
    case "type":
      // call_indirect: the callee's type, then table 0.
      out.u32(types.arities.indexOf(arg)).byte(0x00);
      return;
    case "i32":
      out.s32(arg);
      return;
    case "f64":
      out.f64(arg);
      return;
  }
}
