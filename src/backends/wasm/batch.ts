/**
 * The wasm back-end's batch path: a second module, built on the first
 * batch, whose functions loop over columns in its own linear memory.
 *
 * Layout: memory holds, when the program makes wide calls, their argument
 * area (wide.ts), then one chunk of {@link chunkRows} rows per variable
 * (column `k` at byte `area + k * chunkRows * 8`), then the output chunk. The
 * loader copies each chunk of every column in, calls the loop once, and
 * copies the results out, so memory stays bounded whatever the row count.
 *
 * Functions (both `(start, end)` in bytes of a column, no result):
 * - `rows`: the scalar formula of `main` (codegen.ts's own instruction
 *   list, its locals renumbered) inlined in a loop, one row per iteration;
 * - `pairs`, only for programs made of `+ - * /`, negation, `abs`, `sqrt`,
 *   variables and numbers: two rows per iteration with `f64x2`
 *   instructions, each lane bit-identical to its scalar instruction. It is
 *   kept only where the engine validates 128-bit SIMD; elsewhere the module
 *   is built without it and `rows` does every row.
 */

import type { Node, Program } from "../../semantics/program.js";
import { unreachable } from "../../unreachable.js";
import type { BatchIntoFn } from "../backend.js";
import { type Callee, generateWasm, type WasmFunction } from "./codegen.js";
import {
  ByteWriter,
  codeSection,
  exportSection,
  functionSection,
  importSection,
  memorySection,
  preamble,
  typeSection,
} from "./encoding.js";
import { host } from "./host.js";
import { encodeInstr, IMPORT_MODULE, type Layout, TABLE_FIELD } from "./module.js";
import { type Instr, VALTYPE, WASM_OPCODES, type WasmOpName } from "./opcodes.js";
import { functionTable } from "./tables.js";
import { renderInstr } from "./wat.js";
import { ARGUMENT_BYTES, withArgumentsIn } from "./wide.js";

/** Rows per chunk: 32 KiB per column. */
export const WASM_CHUNK_ROWS = 4096;

/** Bytes in a wasm page. */
const PAGE = 65_536;

/** The batch module of one program, before encoding. */
export interface BatchModule {
  /** JavaScript functions the scalar loop calls, as in `main`. */
  readonly callees: readonly Callee[];
  /**
   * The expression functions, as codegen made them for `main`: function
   * `1 + i` here too (the scalar loop is function 0), so `main`'s calls
   * keep their indices.
   */
  readonly definitions: readonly WasmFunction[];
  /** f64 locals of the scalar loop after the variables (`main`'s own extra locals). */
  readonly extraLocals: number;
  /** Variable names, for the WAT. */
  readonly variables: readonly string[];
  /** How many results each row has: one output chunk each, after the columns. */
  readonly results: number;
  /** Rows per chunk. */
  readonly chunkRows: number;
  /** Bytes before the first column: the wide calls' argument area, or 0 without wide calls. */
  readonly argumentBytes: number;
  /** The scalar loop's body. */
  readonly rows: readonly Instr[];
  /** The SIMD loop's body, if the program has one. */
  readonly pairs: readonly Instr[] | undefined;
}

/**
 * Whether `program` has a batch module: not when it calls host functions
 * (their calls run row by row through `fn`, by the API).
 */
export function batchable(program: Program): boolean {
  return program.hosts.length === 0;
}

/** The batch module for `program`; `simd: false` leaves the SIMD loop out. */
export function generateBatchModule(program: Program, simd: boolean): BatchModule {
  const scalar = generateWasm(program);
  const count = program.variables.length;
  const chunkRows = WASM_CHUNK_ROWS;
  const argumentBytes = scalar.memory ? ARGUMENT_BYTES : 0;
  const column = (slot: number): number => argumentBytes + slot * chunkRows * 8;
  const outBase = column(count);
  // Locals: 0 = start (the row's byte offset, advanced by the loop), 1 = end, 2.. = the
  // variables, then main's own extra locals: every local index of main moves up by two.
  const renumber = (instrs: readonly Instr[]): Instr[] =>
    instrs.map((instr) =>
      WASM_OPCODES[instr.op].imm === "local" ? { ...instr, arg: (instr.arg ?? 0) + 2 } : instr,
    );
  // The bindings once per row, then each result stored to its own output chunk.
  const stores: Instr[] = renumber(scalar.prologue);
  scalar.results.forEach((result, r) => {
    stores.push(get(0), ...renumber(result), { op: "f64.store", arg: column(count + r) });
  });
  const rows = loop(8, [
    ...program.variables.flatMap((_, slot): Instr[] => [
      get(0),
      { op: "f64.load", arg: column(slot) },
      { op: "local.set", arg: slot + 2 },
    ]),
    ...stores,
  ]);
  const only = program.results.length === 1 ? program.results[0] : undefined;
  const vector =
    simd && only !== undefined && program.bindings.length === 0 ? simdBody(only.value) : undefined;
  const pairs =
    vector === undefined
      ? undefined
      : loop(16, [
          ...program.variables.flatMap((_, slot): Instr[] => [
            get(0),
            { op: "v128.load", arg: column(slot) },
            { op: "local.set", arg: slot + 2 },
          ]),
          get(0),
          ...vector,
          { op: "v128.store", arg: outBase },
        ]);
  return {
    callees: scalar.callees,
    definitions: scalar.definitions,
    extraLocals: scalar.locals,
    variables: program.variables,
    results: program.results.length,
    chunkRows,
    argumentBytes,
    rows,
    pairs,
  };
}

const get = (local: number): Instr => ({ op: "local.get", arg: local });
const op = (name: WasmOpName): Instr => ({ op: name });

/** `while (start < end) { body; start += step }`, as block/loop/br_if. */
function loop(step: number, body: readonly Instr[]): Instr[] {
  return [
    { op: "block", result: "none" },
    { op: "loop", result: "none" },
    get(0),
    get(1),
    op("i32.ge_u"),
    { op: "br_if", arg: 1 },
    ...body,
    get(0),
    { op: "i32.const", arg: step },
    op("i32.add"),
    { op: "local.set", arg: 0 },
    { op: "br", arg: 0 },
    op("end"),
    op("end"),
  ];
}

/** Lane-wise instructions bit-identical to the scalar ones. */
const SIMD_BINARY: Partial<Record<string, WasmOpName>> = {
  "+": "f64x2.add",
  "-": "f64x2.sub",
  "*": "f64x2.mul",
  "/": "f64x2.div",
};
const SIMD_CALL: Partial<Record<string, WasmOpName>> = { abs: "f64x2.abs", sqrt: "f64x2.sqrt" };

/** `root` as `f64x2` instructions on two rows, or undefined if some node has no exact lane form. */
function simdBody(root: Node): Instr[] | undefined {
  const out: Instr[] = [];
  const work: (Node | Instr)[] = [root];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (!("kind" in item)) {
      out.push(item);
      continue;
    }
    const node = item;
    switch (node.kind) {
      case "number":
        out.push({ op: "f64.const", arg: node.value }, op("f64x2.splat"));
        break;
      case "variable":
        out.push(get(node.slot + 2));
        break;
      case "unary":
        if (node.op !== "-") return undefined;
        work.push(op("f64x2.neg"), node.operand);
        break;
      case "binary": {
        const name = SIMD_BINARY[node.op];
        if (name === undefined) return undefined;
        work.push(op(name), node.right, node.left);
        break;
      }
      case "call": {
        const name = SIMD_CALL[node.fn.name];
        if (name === undefined || node.args.length !== 1) return undefined;
        work.push(op(name), node.args[0] as Node);
        break;
      }
      case "conditional":
      case "host":
      case "apply":
      case "local":
        return undefined;
      default:
        return unreachable(node, "node");
    }
  }
  return out;
}

/**
 * The types of the module: `(f64 × n) → f64` for the callees, then for the
 * definitions, then the loops' `(i32, i32) → ()`.
 */
function batchLayout(module: BatchModule): Layout & { readonly loopType: number } {
  const arities: number[] = [];
  const typeOf = (arity: number): number => {
    if (!arities.includes(arity)) arities.push(arity);
    return arities.indexOf(arity);
  };
  for (const callee of module.callees) typeOf(callee.arity);
  const definitionTypes = module.definitions.map((d) => typeOf(d.params.length));
  return { arities, mainType: -1, mainResults: 1, definitionTypes, loopType: arities.length };
}

/** Pages of memory the module needs: the argument area, the columns' chunks and the output chunk. */
function pages(module: BatchModule): number {
  const chunks = module.variables.length + module.results;
  const bytes = module.argumentBytes + chunks * module.chunkRows * 8;
  return Math.max(1, Math.ceil(bytes / PAGE));
}

/** The module's bytes. */
export function encodeBatchModule(module: BatchModule): Uint8Array {
  const types = batchLayout(module);
  const out = new ByteWriter();
  preamble(out);
  const f64 = VALTYPE.f64;
  const i32 = VALTYPE.i32;
  typeSection(out, [
    ...types.arities.map((arity) => ({
      params: new Array<number>(arity).fill(f64),
      results: [f64],
    })),
    { params: [i32, i32], results: [] },
  ]);
  if (module.callees.length > 0) {
    importSection(out, [
      { module: IMPORT_MODULE, field: TABLE_FIELD, kind: "table", min: module.callees.length },
    ]);
  }
  // Function 0: the row loop; 1 + i: definition i (as in main's module); then the pair loop.
  const pairsIndex = 1 + module.definitions.length;
  functionSection(out, [
    types.loopType,
    ...types.definitionTypes,
    ...(module.pairs === undefined ? [] : [types.loopType]),
  ]);
  memorySection(out, pages(module));
  exportSection(out, [
    { name: "memory", func: 0, memory: true },
    { name: "rows", func: 0 },
    ...(module.pairs === undefined ? [] : [{ name: "pairs", func: pairsIndex }]),
  ]);
  const count = module.variables.length;
  const encode = (body: readonly Instr[]) => {
    const expr = new ByteWriter();
    for (const instr of body) encodeInstr(expr, instr, types);
    return expr.byte(WASM_OPCODES.end.code);
  };
  const f64s = count + module.extraLocals;
  codeSection(out, [
    { f64Locals: 0, locals: f64s === 0 ? [] : [[f64s, f64] as const], expr: encode(module.rows) },
    ...module.definitions.map((d) => ({ f64Locals: d.locals, expr: encode(d.body) })),
    ...(module.pairs === undefined
      ? []
      : [
          {
            f64Locals: 0,
            locals: count === 0 ? [] : [[count, VALTYPE.v128] as const],
            expr: encode(module.pairs),
          },
        ]),
  ]);
  return out.finish();
}

/** The module as WAT, printed from the same instruction lists and layout. */
export function renderBatchWat(module: BatchModule): string {
  const types = batchLayout(module);
  const lines = ["(module"];
  for (const arity of types.arities) {
    const params = arity === 0 ? "" : ` (param${" f64".repeat(arity)})`;
    lines.push(`  (type $f${arity} (func${params} (result f64)))`);
  }
  if (module.callees.length > 0) {
    const table = `(table $${TABLE_FIELD} ${module.callees.length} funcref)`;
    lines.push(`  (import "${IMPORT_MODULE}" "${TABLE_FIELD}" ${table})`);
  }
  lines.push(`  (memory (export "memory") ${pages(module)})`);
  const body = (names: readonly string[], instrs: readonly Instr[]) => {
    let depth = 0;
    for (const instr of instrs) {
      if (instr.op === "end" || instr.op === "else") depth--;
      const note = instr.note === undefined ? "" : ` ;; ${instr.note}`;
      lines.push(`${"  ".repeat(2 + Math.min(depth, 32))}${renderInstr(names, instr)}${note}`);
      if (instr.op === "if" || instr.op === "else" || instr.op === "block" || instr.op === "loop") {
        depth++;
      }
    }
    lines.push("  )");
  };
  // `.start` and `.end` cannot be variable names, which are identifiers.
  const loopNames = [".start", ".end", ...module.variables];
  const loopHead = (name: string, valtype: string, extra: number) => {
    let locals = module.variables.map((v) => ` (local $${v} ${valtype})`).join("");
    for (let i = 0; i < extra; i++) locals += ` (local $local.${i} f64)`;
    return `  (func $${name} (export "${name}") (param $.start i32) (param $.end i32)${locals}`;
  };
  lines.push(loopHead("rows", "f64", module.extraLocals));
  body(loopNames, module.rows);
  module.definitions.forEach((definition, i) => {
    const params = definition.params.map((name) => ` (param $${name} f64)`).join("");
    let locals = "";
    for (let k = 0; k < definition.locals; k++) locals += ` (local $local.${k} f64)`;
    const type = `$f${types.arities[types.definitionTypes[i] as number]}`;
    lines.push(`  (func $def.${definition.name} (type ${type})${params} (result f64)${locals}`);
    body(definition.params, definition.body);
  });
  if (module.pairs !== undefined) {
    lines.push(loopHead("pairs", "v128", 0));
    body(loopNames, module.pairs);
  }
  lines.push(")");
  return `${lines.join("\n")}\n`;
}

/** What the loader built: the batch entry, and the module it runs (for the dump). */
export interface LoadedBatch {
  readonly fn: BatchIntoFn;
  readonly module: BatchModule;
}

/**
 * Builds, compiles and instantiates the batch module of `program`, with the
 * SIMD loop where the engine validates it, and returns its entry.
 */
export function loadWasmBatch(program: Program): LoadedBatch {
  if (host === undefined) throw new Error("WebAssembly is not available in this process");
  let module = generateBatchModule(program, true);
  let bytes = encodeBatchModule(module);
  if (module.pairs !== undefined && !host.validate(bytes)) {
    // No 128-bit SIMD here: the same module without the paired loop.
    module = generateBatchModule(program, false);
    bytes = encodeBatchModule(module);
  }
  const imports: Record<string, Record<string, unknown>> = {};
  if (module.callees.length > 0) {
    imports[IMPORT_MODULE] = { [TABLE_FIELD]: functionTable(module.callees) };
  }
  const instance = new host.Instance(new host.Module(bytes), imports);
  const exports = instance.exports as {
    readonly memory: { readonly buffer: ArrayBuffer };
    readonly rows: (start: number, end: number) => void;
    readonly pairs?: (start: number, end: number) => void;
  };
  const memory = new Float64Array(exports.memory.buffer);
  const { rows, pairs } = exports;
  const { chunkRows } = module;
  const count = module.variables.length;
  const first = module.argumentBytes / 8;
  const outBase = first + count * chunkRows;
  const results = module.results;
  const run: BatchIntoFn = (columns, outs) => {
    const total = (outs[0] as Float64Array).length;
    for (let start = 0; start < total; start += chunkRows) {
      const n = Math.min(chunkRows, total - start);
      for (let k = 0; k < count; k++) {
        memory.set((columns[k] as Float64Array).subarray(start, start + n), first + k * chunkRows);
      }
      const even = pairs === undefined ? 0 : n - (n % 2);
      if (even > 0) (pairs as NonNullable<typeof pairs>)(0, even * 8);
      if (even < n) rows(even * 8, n * 8);
      for (let r = 0; r < results; r++) {
        const at = outBase + r * chunkRows;
        (outs[r] as Float64Array).set(memory.subarray(at, at + n), start);
      }
    }
  };
  // Wide calls read their arguments from this module's memory while its loops run.
  const fn: BatchIntoFn =
    module.argumentBytes === 0
      ? run
      : (columns, outs) => withArgumentsIn(exports.memory, () => run(columns, outs));
  return { fn, module };
}
