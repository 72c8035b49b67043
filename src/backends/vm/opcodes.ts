/**
 * THE opcode table of the `vm` back-end: every instruction's number, its
 * operands and its stack effect, written once. The compiler picks opcodes
 * from it, the stack-depth check and the disassembler read it, and the VM's
 * switch is the one place with per-opcode code (a missing case there is a
 * type error).
 *
 * Encoding: the code is an `Int32Array`; an instruction is its opcode in
 * one unit followed by one unit (32 bits) per operand, so an instruction's
 * width is `1 + operands.length` and every operand width is one unit.
 * Jump targets are absolute offsets into the code.
 *
 * Operands name memory slots: the VM keeps the variables, the constant
 * pool and the operand stack in one `Float64Array` (variables first), so a
 * single load and a single fused form serve variables and constants alike.
 *
 * The stack effect is the conceptual one (`pop` values, then `push`); the
 * VM keeps the top of the stack in a local, which does not change it.
 * Opcodes with a `binary` field implement that operator of the language;
 * `source` says where its operands come from: the stack, the right one from
 * a slot (`_M`, a load fused into the operator) or both from slots (`_MM`).
 * These fused forms are the superinstructions.
 */

import type { BinaryOp } from "../../syntax/operators.js";

/** What an operand unit means, which is how the disassembler shows it. */
export type OperandKind =
  /**
   * Index into the VM's memory, which holds the variables (slots
   * 0..v-1) and then the constant pool; shown by name or by value.
   */
  | "slot"
  /** Index into FUNCTION_LIST; shown by name. */
  | "fn"
  /** Number of arguments of a variadic call. */
  | "argc"
  /** Absolute code offset to jump to; shown as an offset. */
  | "target";

/**
 * Where a binary opcode takes its operands from: both from the stack, the
 * right one from a memory slot (`_M`), or both from slots (`_MM`, which
 * pushes its result).
 */
export type OperandSource = "stack" | "slot" | "slots";

/** One instruction's description. */
export interface OpcodeSpec {
  /** The number stored in the code. Codes are 0..n-1 in table order. */
  readonly code: number;
  /** Operand units following the opcode, in order. */
  readonly operands: readonly OperandKind[];
  /** Values taken from the stack; `"argc"`: as many as the `argc` operand says. */
  readonly pop: number | "argc";
  /** Values pushed on the stack. */
  readonly push: number;
  /** The language operator this opcode implements, if it is a binary one. */
  readonly binary?: BinaryOp;
  /** With `binary`: where its operands come from. */
  readonly source?: OperandSource;
}

const unary = <C extends number>(code: C) => ({ code, operands: [], pop: 1, push: 1 }) as const;
const onStack = <C extends number, B extends BinaryOp>(code: C, binary: B) =>
  ({ code, operands: [], pop: 2, push: 1, binary, source: "stack" }) as const;
const withSlot = <C extends number, B extends BinaryOp>(code: C, binary: B) =>
  ({ code, operands: ["slot"], pop: 1, push: 1, binary, source: "slot" }) as const;
const withSlots = <C extends number, B extends BinaryOp>(code: C, binary: B) =>
  ({ code, operands: ["slot", "slot"], pop: 0, push: 1, binary, source: "slots" }) as const;
const jump = <C extends number, P extends number>(code: C, pop: P) =>
  ({ code, operands: ["target"], pop, push: 0 }) as const;

/** Every instruction of the VM, by name. */
export const OPCODES = {
  /** Push a slot: a variable or a constant. */
  LOAD: { code: 0, operands: ["slot"], pop: 0, push: 1 },
  /** Negate the top. */
  NEG: unary(1),
  /** Logical not of the top: 1 if it is ±0, else 0. */
  NOT: unary(2),
  /** Truth of the top as 1 or 0 (NaN is true): the tail of `&&` and `||`. */
  BOOL: unary(3),
  ADD: onStack(4, "+"),
  SUB: onStack(5, "-"),
  MUL: onStack(6, "*"),
  DIV: onStack(7, "/"),
  MOD: onStack(8, "%"),
  POW: onStack(9, "^"),
  LT: onStack(10, "<"),
  LE: onStack(11, "<="),
  GT: onStack(12, ">"),
  GE: onStack(13, ">="),
  EQ: onStack(14, "=="),
  NE: onStack(15, "!="),
  ADD_M: withSlot(16, "+"),
  SUB_M: withSlot(17, "-"),
  MUL_M: withSlot(18, "*"),
  DIV_M: withSlot(19, "/"),
  MOD_M: withSlot(20, "%"),
  POW_M: withSlot(21, "^"),
  LT_M: withSlot(22, "<"),
  LE_M: withSlot(23, "<="),
  GT_M: withSlot(24, ">"),
  GE_M: withSlot(25, ">="),
  EQ_M: withSlot(26, "=="),
  NE_M: withSlot(27, "!="),
  ADD_MM: withSlots(28, "+"),
  SUB_MM: withSlots(29, "-"),
  MUL_MM: withSlots(30, "*"),
  DIV_MM: withSlots(31, "/"),
  MOD_MM: withSlots(32, "%"),
  POW_MM: withSlots(33, "^"),
  LT_MM: withSlots(34, "<"),
  LE_MM: withSlots(35, "<="),
  GT_MM: withSlots(36, ">"),
  GE_MM: withSlots(37, ">="),
  EQ_MM: withSlots(38, "=="),
  NE_MM: withSlots(39, "!="),
  /** Call a one-argument builtin on the top. */
  CALL1: { code: 40, operands: ["fn"], pop: 1, push: 1 },
  /** Call a two-argument builtin on the top two. */
  CALL2: { code: 41, operands: ["fn"], pop: 2, push: 1 },
  /** Call a builtin on the top `argc` values (variadic `min`, `max`, `hypot`). */
  CALLN: { code: 42, operands: ["fn", "argc"], pop: "argc", push: 1 },
  /** Continue at the target. */
  JUMP: jump(43, 0),
  /** Pop; continue at the target if the value was false (±0). */
  JUMP_FALSE: jump(44, 1),
  /** Pop; continue at the target if the value was true (not ±0; NaN is true). */
  JUMP_TRUE: jump(45, 1),
  /** Pop the result and stop. */
  RETURN: { code: 46, operands: [], pop: 1, push: 0 },
} as const satisfies Record<string, OpcodeSpec>;

/** An opcode's name. */
export type OpName = keyof typeof OPCODES;

/** The number of the opcode called `N` (a literal type, for the VM's switch). */
export type Code<N extends OpName> = (typeof OPCODES)[N]["code"];

/** Any opcode number. */
export type Opcode = Code<OpName>;

/** Opcode names indexed by number (the inverse of {@link OPCODES}). */
export const OPCODE_NAMES: readonly OpName[] = namesByCode();

/** Opcode descriptions indexed by number. */
export const OPCODE_SPECS: readonly OpcodeSpec[] = OPCODE_NAMES.map((name) => OPCODES[name]);

/** The binary opcodes by operator and operand source. */
export const BINARY_OPCODES: Readonly<
  Partial<Record<BinaryOp, Partial<Record<OperandSource, Opcode>>>>
> = binaryIndex();

/** Units an instruction with opcode `code` occupies. */
export function width(code: number): number {
  return 1 + (OPCODE_SPECS[code]?.operands.length ?? 0);
}

function namesByCode(): OpName[] {
  const names: OpName[] = [];
  for (const name of Object.keys(OPCODES) as OpName[]) names[OPCODES[name].code] = name;
  return names;
}

function binaryIndex(): Partial<Record<BinaryOp, Partial<Record<OperandSource, Opcode>>>> {
  const index: Record<string, Partial<Record<OperandSource, Opcode>>> = {};
  for (const spec of Object.values(OPCODES) as OpcodeSpec[]) {
    if (spec.binary === undefined || spec.source === undefined) continue;
    index[spec.binary] ??= {};
    (index[spec.binary] as Partial<Record<OperandSource, Opcode>>)[spec.source] =
      spec.code as Opcode;
  }
  return index;
}
