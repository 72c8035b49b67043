/**
 * THE wasm opcode table for this back-end: every instruction codegen may
 * emit, with its byte and the kind of immediate that follows it. The byte
 * encoder (module.ts) and the WAT printer (wat.ts) both read it, so an
 * instruction is spelled in exactly one place.
 *
 * Spec: https://webassembly.github.io/spec/core/binary/instructions.html
 */

/** What follows the opcode byte. */
export type Immediate =
  /** Nothing. */
  | "none"
  /** A block type: one value-type byte (`if (result f64)`). */
  | "blocktype"
  /** A local index, unsigned LEB128. */
  | "local"
  /** A function index, unsigned LEB128. */
  | "func"
  /** A type index (unsigned LEB128), then table index 0. */
  | "type"
  /** A signed 32-bit integer, signed LEB128. */
  | "i32"
  /** A 64-bit float, 8 bytes little-endian. */
  | "f64";

/** One opcode: its byte and its immediate. */
export interface OpInfo {
  readonly code: number;
  readonly imm: Immediate;
}

/** Every instruction we emit, by its WAT name. */
export const WASM_OPCODES = {
  // https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions
  if: { code: 0x04, imm: "blocktype" },
  else: { code: 0x05, imm: "none" },
  end: { code: 0x0b, imm: "none" },
  call: { code: 0x10, imm: "func" },
  call_indirect: { code: 0x11, imm: "type" },
  // https://webassembly.github.io/spec/core/binary/instructions.html#variable-instructions
  "local.get": { code: 0x20, imm: "local" },
  "local.set": { code: 0x21, imm: "local" },
  "local.tee": { code: 0x22, imm: "local" },
  // https://webassembly.github.io/spec/core/binary/instructions.html#numeric-instructions
  "i32.const": { code: 0x41, imm: "i32" },
  "f64.const": { code: 0x44, imm: "f64" },
  "i32.eqz": { code: 0x45, imm: "none" },
  "f64.eq": { code: 0x61, imm: "none" },
  "f64.ne": { code: 0x62, imm: "none" },
  "f64.lt": { code: 0x63, imm: "none" },
  "f64.gt": { code: 0x64, imm: "none" },
  "f64.le": { code: 0x65, imm: "none" },
  "f64.ge": { code: 0x66, imm: "none" },
  "f64.abs": { code: 0x99, imm: "none" },
  "f64.neg": { code: 0x9a, imm: "none" },
  "f64.ceil": { code: 0x9b, imm: "none" },
  "f64.floor": { code: 0x9c, imm: "none" },
  "f64.trunc": { code: 0x9d, imm: "none" },
  "f64.sqrt": { code: 0x9f, imm: "none" },
  "f64.add": { code: 0xa0, imm: "none" },
  "f64.sub": { code: 0xa1, imm: "none" },
  "f64.mul": { code: 0xa2, imm: "none" },
  "f64.div": { code: 0xa3, imm: "none" },
  "f64.min": { code: 0xa4, imm: "none" },
  "f64.max": { code: 0xa5, imm: "none" },
  "f64.convert_i32_u": { code: 0xb8, imm: "none" },
} as const satisfies Record<string, OpInfo>;

/** The name of an instruction. */
export type WasmOpName = keyof typeof WASM_OPCODES;

/** Value types: https://webassembly.github.io/spec/core/binary/types.html#number-types */
export const VALTYPE = { i32: 0x7f, f64: 0x7c } as const;

/** A value type's name. */
export type ValType = keyof typeof VALTYPE;

/**
 * One instruction. `arg` is the immediate: the number for `f64.const` and
 * `i32.const`, the index for `local.get` and `call`, and for
 * `call_indirect` the callee's parameter count (the module's layout turns
 * it into a type index); `result` is the block type of `if`. `note` is a
 * WAT comment (which function a table slot holds); the bytes ignore it.
 */
export interface Instr {
  readonly op: WasmOpName;
  readonly arg?: number;
  readonly result?: ValType;
  readonly note?: string;
}
