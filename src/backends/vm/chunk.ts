/**
 * A chunk: what the bytecode compiler produces and the VM runs. The code is
 * an `Int32Array` (see opcodes.ts for the encoding), the constant pool a
 * `Float64Array`, and a side table maps each instruction's offset to the
 * source span it came from (for the disassembler).
 *
 * Operands address slots of the VM's memory: slots `0..variableCount-1`
 * are the variables, then come the locals (the bindings' values, v3, and
 * with several results a slot for each result), the constant pool
 * follows, then the operand stack.
 * A chunk carries that memory, so it is ready to run: the constant pool is
 * a view of its constant region.
 *
 * {@link ChunkBuilder} grows plain arrays while compiling and packs them
 * once, at the end, into ONE `ArrayBuffer` (code, then memory): a typed
 * array beyond 64 bytes costs the engine a separate off-heap allocation of
 * about a microsecond, the largest part of a compile.
 */

import type { UserFunction } from "../../semantics/program.js";
import type { SourceRange } from "../../text/range.js";
import { OPCODE_SPECS, type Opcode } from "./opcodes.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isNaN: isNan } = Number;
const { is: sameValue } = Object;
const { ceil, max: maxOf } = Math;

/** Compiled bytecode. */
export interface Chunk {
  /** Opcodes and their operands. */
  readonly code: Int32Array;
  /** Constant pool; constant `k` lives in slot `variableCount + locals.length + k`. */
  readonly constants: Float64Array;
  /** How many variables there are (slots `0..variableCount-1`, filled by the entry). */
  readonly variableCount: number;
  /** The names of the local slots after the variables (bindings, then results). */
  readonly locals: readonly string[];
  /** With several results, the local slot of each (the entry reads them there); else `[]`. */
  readonly resultSlots: readonly number[];
  /** Side table, one triple per instruction in code order: offset, span start, span end. */
  readonly spans: readonly number[];
  /** Deepest the stack gets (the VM's stack size), from the stack-depth check. */
  readonly maxStack: number;
  /**
   * The VM's memory: variables, constants, then `max(1, maxStack)` stack
   * slots. Allocated once with the chunk; the VM writes variables and stack.
   */
  readonly memory: Float64Array;
  /** The user functions `CALL_USER` calls, by its `user` operand. */
  readonly callees: readonly UserFunction[];
}

/** Accumulates instructions, constants and spans for one chunk. */
export class ChunkBuilder {
  private readonly code: number[] = [];
  private readonly spans: number[] = [];
  private readonly constants: number[] = [];
  /** Pool index by value; `-0` is kept apart because a Map key treats it as `0`. */
  private readonly constantIndex = new Map<number, number>();
  private negativeZero = -1;

  /** The slot names of the locals, after the variables. */
  private readonly localNames: string[] = [];
  /** The result slots, once reserved. */
  resultSlots: readonly number[] = [];

  /** A builder for a program with `variableCount` variables and `locals` local slots. */
  constructor(
    private readonly variableCount: number,
    locals: readonly string[] = [],
  ) {
    this.localNames.push(...locals);
  }

  /** The memory slot of local `index` (a binding's value, or a result's). */
  local(index: number): number {
    return this.variableCount + index;
  }

  /** The first memory slot after the locals: where the constant pool starts. */
  private get constantBase(): number {
    return this.variableCount + this.localNames.length;
  }

  /** Offset the next instruction will get. */
  get offset(): number {
    return this.code.length;
  }

  /**
   * Appends an instruction with its operands (exactly as many as the opcode
   * table says) and returns its offset.
   */
  emit(op: Opcode, span: SourceRange, first = Number.NaN, second = Number.NaN): number {
    const count = OPCODE_SPECS[op]?.operands.length;
    const given = isNan(first) ? 0 : isNan(second) ? 1 : 2;
    if (count !== given) throw new Error(`bytecode: opcode ${op} takes ${count} operands`);
    const at = this.code.length;
    this.spans.push(at, span.start, span.end);
    this.code.push(op);
    if (given > 0) this.code.push(first);
    if (given > 1) this.code.push(second);
    return at;
  }

  /** Overwrites the code unit at `at` (a jump target once it is known). */
  patch(at: number, value: number): void {
    this.code[at] = value;
  }

  /** The memory slot of constant `value`, pooled once (bit-exact: `-0` and `0` differ). */
  constant(value: number): number {
    if (sameValue(value, -0)) {
      if (this.negativeZero < 0) this.negativeZero = this.add(value);
      return this.constantBase + this.negativeZero;
    }
    let index = this.constantIndex.get(value);
    if (index === undefined) {
      index = this.add(value);
      this.constantIndex.set(value, index);
    }
    return this.constantBase + index;
  }

  /** The code emitted so far, as plain numbers (for the stack-depth check). */
  get units(): readonly number[] {
    return this.code;
  }

  /** User functions called, in table order. */
  private readonly users: UserFunction[] = [];

  /** The table index of user function `fn`, given one at its first call. */
  user(fn: UserFunction): number {
    let index = this.users.indexOf(fn);
    if (index === -1) index = this.users.push(fn) - 1;
    return index;
  }

  /** Packs code and memory (with `maxStack` stack slots) into one buffer. */
  finish(maxStack: number): Chunk {
    const { code, constants, variableCount } = this;
    const base = this.constantBase;
    const codeBytes = ceil(code.length / 2) * 8;
    const slots = base + constants.length + maxOf(1, maxStack);
    const buffer = new ArrayBuffer(codeBytes + slots * 8);
    const memory = new Float64Array(buffer, codeBytes, slots);
    const codeView = new Int32Array(buffer, 0, code.length);
    codeView.set(code);
    memory.set(constants, base);
    return {
      code: codeView,
      constants: memory.subarray(base, base + constants.length),
      variableCount,
      locals: this.localNames,
      resultSlots: this.resultSlots,
      spans: this.spans,
      maxStack,
      memory,
      callees: this.users,
    };
  }

  private add(value: number): number {
    this.constants.push(value);
    return this.constants.length - 1;
  }
}
