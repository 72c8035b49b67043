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
 *
 * The binary opcodes are derived from THE operator table: each operator
 * that evaluates both operands has a stem (`+` is `ADD`) and gets the three
 * forms `ADD`, `ADD_M`, `ADD_MM`. An opcode's number is its position in
 * {@link OPCODE_NAMES}, worked out by the type checker too, so the VM's
 * `case 4 satisfies Code<"ADD">` labels are checked, and an operator added
 * to the table is a type error here until it has a stem, then in the VM
 * until it has cases.
 */

import type { BinaryOp, BinaryOpOf } from "../../syntax/operators.js";

/** What an operand unit means, which is how the disassembler shows it. */
export type OperandKind =
  /**
   * Index into the VM's memory, which holds the variables (slots
   * 0..v-1) and then the constant pool; shown by name or by value.
   */
  | "slot"
  /** Index into FUNCTION_LIST; shown by name. */
  | "fn"
  /** Index into the chunk's table of user functions; shown by name. */
  | "user"
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
  /** The number stored in the code: its index in {@link OPCODE_NAMES}. */
  readonly code: number;
  /** Operand units following the opcode, in order. */
  readonly operands: readonly OperandKind[];
  /** Values taken from the stack; `"argc"`: as many as the `argc` operand says. */
  readonly pop: number | "argc";
  /** Values pushed on the stack. */
  readonly push: number;
  /** The language operator this opcode implements, if it is a binary one. */
  readonly binary?: EagerOp;
  /** With `binary`: where its operands come from. */
  readonly source?: OperandSource;
}

/** The operators with opcodes: every binary one but `&&` and `||`, which compile to jumps. */
export type EagerOp = Exclude<BinaryOp, BinaryOpOf<"logical">>;

/** Each eager operator's opcode stem, in opcode order. */
const STEMS = [
  ["+", "ADD"],
  ["-", "SUB"],
  ["*", "MUL"],
  ["/", "DIV"],
  ["%", "MOD"],
  ["^", "POW"],
  ["<", "LT"],
  ["<=", "LE"],
  [">", "GT"],
  [">=", "GE"],
  ["==", "EQ"],
  ["!=", "NE"],
] as const satisfies readonly (readonly [EagerOp, string])[];

/** An eager operator without a stem: `never` when {@link STEMS} is complete. */
type Unstemmed = Exclude<EagerOp, (typeof STEMS)[number][0]>;
/** A type error here names the operator of THE table that has no opcodes yet. */
const EVERY_OPERATOR_HAS_OPCODES: [Unstemmed] extends [never] ? true : Unstemmed = true;
void EVERY_OPERATOR_HAS_OPCODES;

/** The instructions before the binary ones, and after them, by name. */
const LEADING = ["LOAD", "NEG", "NOT", "BOOL"] as const;
const TRAILING = [
  "CALL1",
  "CALL2",
  "CALLN",
  "CALL_USER",
  "JUMP",
  "JUMP_FALSE",
  "JUMP_TRUE",
  "RETURN",
  "STORE",
] as const;

/** What the instructions that are not binary operators do. */
const FIXED = {
  /** Push a slot: a variable or a constant. */
  LOAD: { operands: ["slot"], pop: 0, push: 1 },
  /** Negate the top. */
  NEG: { operands: [], pop: 1, push: 1 },
  /** Logical not of the top: 1 if it is ±0, else 0. */
  NOT: { operands: [], pop: 1, push: 1 },
  /** Truth of the top as 1 or 0 (NaN is true): the tail of `&&` and `||`. */
  BOOL: { operands: [], pop: 1, push: 1 },
  /** Call a one-argument builtin on the top. */
  CALL1: { operands: ["fn"], pop: 1, push: 1 },
  /** Call a two-argument builtin on the top two. */
  CALL2: { operands: ["fn"], pop: 2, push: 1 },
  /** Call a builtin on the top `argc` values (variadic `min`, `max`, `hypot`). */
  CALLN: { operands: ["fn", "argc"], pop: "argc", push: 1 },
  /**
   * Call entry `user` of the chunk's function table (a host function, or
   * an expression function's own chunk) on the top `argc` values (none
   * for `f()`); its result must be a number.
   */
  CALL_USER: { operands: ["user", "argc"], pop: "argc", push: 1 },
  /** Continue at the target. */
  JUMP: { operands: ["target"], pop: 0, push: 0 },
  /** Pop; continue at the target if the value was false (±0). */
  JUMP_FALSE: { operands: ["target"], pop: 1, push: 0 },
  /** Pop; continue at the target if the value was true (not ±0; NaN is true). */
  JUMP_TRUE: { operands: ["target"], pop: 1, push: 0 },
  /** Pop the result and stop. */
  RETURN: { operands: [], pop: 1, push: 0 },
  /** Pop into a local slot: a binding's value (v3), or one of several results. */
  STORE: { operands: ["slot"], pop: 1, push: 0 },
} as const satisfies Record<
  (typeof LEADING)[number] | (typeof TRAILING)[number],
  Omit<OpcodeSpec, "code">
>;

/** The name suffix of each operand source's form. */
const SUFFIX = { stack: "", slot: "_M", slots: "_MM" } as const satisfies Record<
  OperandSource,
  string
>;

/** Stack effect and operands of each form. */
const FORM = {
  stack: { operands: [], pop: 2, push: 1 },
  slot: { operands: ["slot"], pop: 1, push: 1 },
  slots: { operands: ["slot", "slot"], pop: 0, push: 1 },
} as const satisfies Record<OperandSource, Omit<OpcodeSpec, "code">>;

type StemsOf<T extends readonly (readonly [string, string])[]> = {
  readonly [I in keyof T]: T[I] extends readonly [string, infer S extends string] ? S : never;
};
type Suffixed<T extends readonly string[], S extends string> = {
  readonly [I in keyof T]: `${T[I]}${S}`;
};
type Stems = StemsOf<typeof STEMS>;

/** The stem of a binary opcode (`ADD`, `LT`, …): the name of its stack form. */
export type Stem = Stems[number];

/** Every opcode name in code order, as a type: the index of a name is its number. */
type Names = readonly [
  ...typeof LEADING,
  ...Stems,
  ...Suffixed<Stems, "_M">,
  ...Suffixed<Stems, "_MM">,
  ...typeof TRAILING,
];

/** The position of `X` in tuple `T`. */
type IndexOf<T extends readonly unknown[], X, Seen extends unknown[] = []> = T extends readonly [
  infer Head,
  ...infer Rest,
]
  ? [Head] extends [X]
    ? Seen["length"]
    : IndexOf<Rest, X, [...Seen, Head]>
  : never;

/** An opcode's name. */
export type OpName = Names[number];

/** The number of the opcode called `N` (a literal type, for the VM's switch). */
export type Code<N extends OpName> = IndexOf<Names, N>;

/** Any opcode number. */
export type Opcode = { [N in OpName]: Code<N> }[OpName];

/** Opcode names indexed by number. */
export const OPCODE_NAMES: Names = [
  ...LEADING,
  ...(["stack", "slot", "slots"] as const).flatMap((source) =>
    STEMS.map(([, stem]) => `${stem}${SUFFIX[source]}`),
  ),
  ...TRAILING,
] as readonly string[] as unknown as Names;

/** Opcode descriptions indexed by number. */
export const OPCODE_SPECS: readonly OpcodeSpec[] = OPCODE_NAMES.map(describe);

/** Every instruction of the VM, by name, with its literal number. */
export const OPCODES = Object.fromEntries(
  OPCODE_SPECS.map((spec) => [OPCODE_NAMES[spec.code], spec]),
) as { readonly [N in OpName]: OpcodeSpec & { readonly code: Code<N> } };

/** The binary opcodes by operator and operand source (a full table, derived). */
export const BINARY_OPCODES: Readonly<Record<EagerOp, Readonly<Record<OperandSource, Opcode>>>> =
  Object.fromEntries(
    STEMS.map(([op, stem]) => [
      op,
      {
        stack: OPCODES[stem].code,
        slot: OPCODES[`${stem}_M`].code,
        slots: OPCODES[`${stem}_MM`].code,
      },
    ]),
  ) as unknown as Record<EagerOp, Record<OperandSource, Opcode>>;

/** Units an instruction with opcode `code` occupies. */
export function width(code: number): number {
  return 1 + (OPCODE_SPECS[code]?.operands.length ?? 0);
}

/** The description of the opcode called `name`, numbered `code`. */
function describe(name: string, code: number): OpcodeSpec {
  const fixed = (FIXED as Record<string, Omit<OpcodeSpec, "code">>)[name];
  if (fixed !== undefined) return { code, ...fixed };
  for (const source of ["stack", "slot", "slots"] as const) {
    const stem = STEMS.find(([, s]) => `${s}${SUFFIX[source]}` === name);
    if (stem !== undefined) return { code, ...FORM[source], binary: stem[0], source };
  }
  throw new Error(`vm: no description for opcode ${name}`);
}
