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
  | "f64"
  /** A branch depth, unsigned LEB128 (`br`, `br_if`). */
  | "label"
  /** A memory access: alignment exponent, then the offset (`arg`), unsigned LEB128. */
  | "memarg";

/** One opcode: its byte and its immediate. */
export interface OpInfo {
  readonly code: number;
  readonly imm: Immediate;
  /** For the 0xfd-prefixed (SIMD) instructions: the sub-opcode, unsigned LEB128 after the prefix. */
  readonly sub?: number;
  /** For memory accesses: the alignment exponent (log2 of the access width in bytes). */
  readonly align?: number;
}

/** Every instruction we emit, by its WAT name. */
export const WASM_OPCODES = {
  // https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions
  block: { code: 0x02, imm: "blocktype" },
  loop: { code: 0x03, imm: "blocktype" },
  if: { code: 0x04, imm: "blocktype" },
  else: { code: 0x05, imm: "none" },
  end: { code: 0x0b, imm: "none" },
  br: { code: 0x0c, imm: "label" },
  br_if: { code: 0x0d, imm: "label" },
  call: { code: 0x10, imm: "func" },
  call_indirect: { code: 0x11, imm: "type" },
  // https://webassembly.github.io/spec/core/binary/instructions.html#variable-instructions
  "local.get": { code: 0x20, imm: "local" },
  "local.set": { code: 0x21, imm: "local" },
  "local.tee": { code: 0x22, imm: "local" },
  // https://webassembly.github.io/spec/core/binary/instructions.html#memory-instructions
  "f64.load": { code: 0x2b, imm: "memarg", align: 3 },
  "f64.store": { code: 0x39, imm: "memarg", align: 3 },
  // https://webassembly.github.io/spec/core/binary/instructions.html#numeric-instructions
  "i32.const": { code: 0x41, imm: "i32" },
  "f64.const": { code: 0x44, imm: "f64" },
  "i32.eqz": { code: 0x45, imm: "none" },
  "i32.ge_u": { code: 0x4f, imm: "none" },
  "i32.add": { code: 0x6a, imm: "none" },
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
  // https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
  // Only those bit-identical to the scalar f64 instruction in each lane.
  "v128.load": { code: 0xfd, sub: 0x00, imm: "memarg", align: 4 },
  "v128.store": { code: 0xfd, sub: 0x0b, imm: "memarg", align: 4 },
  "f64x2.splat": { code: 0xfd, sub: 0x14, imm: "none" },
  "f64x2.abs": { code: 0xfd, sub: 0xec, imm: "none" },
  "f64x2.neg": { code: 0xfd, sub: 0xed, imm: "none" },
  "f64x2.sqrt": { code: 0xfd, sub: 0xef, imm: "none" },
  "f64x2.add": { code: 0xfd, sub: 0xf0, imm: "none" },
  "f64x2.sub": { code: 0xfd, sub: 0xf1, imm: "none" },
  "f64x2.mul": { code: 0xfd, sub: 0xf2, imm: "none" },
  "f64x2.div": { code: 0xfd, sub: 0xf3, imm: "none" },
} as const satisfies Record<string, OpInfo>;

/** The name of an instruction. */
export type WasmOpName = keyof typeof WASM_OPCODES;

/** Value types: https://webassembly.github.io/spec/core/binary/types.html#number-types */
export const VALTYPE = { i32: 0x7f, f64: 0x7c, v128: 0x7b } as const;

/** The block type of a block that yields nothing. */
export const EMPTY_BLOCK = 0x40;

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
  readonly result?: ValType | "none";
  readonly note?: string;
}
