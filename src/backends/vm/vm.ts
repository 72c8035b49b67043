/**
 * The virtual machine: runs a chunk. One loop, one switch, no recursion and
 * no allocation per evaluation.
 *
 * Memory is one `Float64Array` per compiled expression, allocated once
 * with its chunk: the variables, then the constant pool, then the operand
 * stack (sized by the stack-depth check). The loop thus touches two typed
 * arrays, code and memory, and one load or fused operand form serves
 * variables and constants alike.
 *
 * The top of the operand stack lives in the local `acc`. The first stack
 * slot receives the meaningless `acc` of the empty stack on the first push,
 * so a push is always `mem[sp++] = acc` and a pop `acc = mem[--sp]`.
 *
 * Variables are stored by an entry function specialised for 0 to 4
 * parameters, so calls through `fn` allocate nothing.
 *
 * User functions are called through the chunk's function table
 * (`CALL_USER`): a host function as given, an expression function as the
 * entry of its own chunk. A host function may call back into the same
 * compiled expression; the entry then runs that call on a copy of its
 * memory, so the outer evaluation's stack is left as it was.
 */

import { FUNCTION_LIST } from "../../semantics/builtins.js";
import { hostResultError } from "../../semantics/host.js";
import type { Definition, UserFunction } from "../../semantics/program.js";
import type { EvalFn } from "../backend.js";
import type { Chunk } from "./chunk.js";
import { type Code, OPCODES, type Opcode, width } from "./opcodes.js";

/** The builtins by table index (their captured `Math` functions). */
const FUNCTIONS: readonly ((...args: number[]) => number)[] = FUNCTION_LIST.map((f) => f.js);

/** Captured at load time, like the builtins, so later patching cannot change a result. */
const pow = Math.pow;
const apply = Reflect.apply;

/** Argument arrays for variadic calls, one per argument count, reused by every call. */
const ARGUMENTS: number[][] = [];

/** Creates, at compile time, the argument arrays the variadic calls in `code` need. */
function reserveVariadic(code: Int32Array): void {
  for (let pc = 0; pc < code.length; pc += width(code[pc]!)) {
    if (code[pc] === OPCODES.CALLN.code || code[pc] === OPCODES.CALL_USER.code) {
      const argc = code[pc + 2]!;
      ARGUMENTS[argc] ??= new Array<number>(argc).fill(0);
    }
  }
}

/** What a function table holds: host functions as given, expression functions as entries. */
export type TableEntry = (...args: number[]) => unknown;

/** An empty function table, for chunks that call no user function. */
const NO_TABLE: readonly TableEntry[] = [];

/**
 * The entry of `chunk`, its `CALL_USER`s going to `entries` (the entry of
 * each expression function it may call, compiled before it).
 */
export function createProgramEntry(
  chunk: Chunk,
  entries: ReadonlyMap<Definition, EvalFn> = new Map(),
): EvalFn {
  if (chunk.callees.length === 0) return createEntry(chunk);
  const table = chunk.callees.map(
    (fn): TableEntry => (fn.kind === "host" ? fn.fn : (entries.get(fn) as EvalFn)),
  );
  const reentrant = chunk.callees.some((fn) => fn.kind === "host" || fn.hosts.length > 0);
  if (!reentrant) return createEntry(chunk, table);
  // A host function may call this very expression again: the inner call
  // runs on a fresh copy of the memory, never on the outer call's stack.
  const fast = createEntry(chunk, table);
  let busy = false;
  return (...values: number[]): number => {
    if (busy) return createEntry({ ...chunk, memory: chunk.memory.slice() }, table)(...values);
    busy = true;
    try {
      return fast(...values);
    } finally {
      busy = false;
    }
  };
}

/** The positional entry for `chunk`: fills the variable slots, then runs. */
export function createEntry(chunk: Chunk, table: readonly TableEntry[] = NO_TABLE): EvalFn {
  const { code, constants, variableCount, memory: mem, callees } = chunk;
  reserveVariadic(code);
  const base = variableCount + chunk.locals.length + constants.length;
  const run = (): void => execute(code, mem, base, table, callees);
  if (table.length > 0) return entryWith(variableCount, mem, base, run);
  switch (variableCount) {
    case 0:
      return () => {
        execute(code, mem, base);
        return mem[base]!;
      };
    case 1:
      return (a: number) => {
        mem[0] = a;
        execute(code, mem, base);
        return mem[base]!;
      };
    case 2:
      return (a: number, b: number) => {
        mem[0] = a;
        mem[1] = b;
        execute(code, mem, base);
        return mem[base]!;
      };
    case 3:
      return (a: number, b: number, c: number) => {
        mem[0] = a;
        mem[1] = b;
        mem[2] = c;
        execute(code, mem, base);
        return mem[base]!;
      };
    case 4:
      return (a: number, b: number, c: number, d: number) => {
        mem[0] = a;
        mem[1] = b;
        mem[2] = c;
        mem[3] = d;
        execute(code, mem, base);
        return mem[base]!;
      };
    default:
      return function (this: unknown): number {
        // `arguments` rather than a rest parameter: a rest array is allocated per call.
        // biome-ignore lint/complexity/noArguments: avoids allocating per evaluation
        const values = arguments;
        for (let i = 0; i < variableCount; i++) mem[i] = values[i];
        execute(code, mem, base);
        return mem[base]!;
      };
  }
}

/** The entry of a chunk that calls user functions: the same work, `run` doing the execution. */
function entryWith(count: number, mem: Float64Array, base: number, run: () => void): EvalFn {
  return function (this: unknown): number {
    // biome-ignore lint/complexity/noArguments: avoids allocating per evaluation
    const values = arguments;
    for (let i = 0; i < count; i++) mem[i] = values[i];
    run();
    return mem[base]!;
  };
}

/**
 * Runs `code` to its `RETURN`, which leaves the result in `mem[stackBase]`:
 * the entry reads it back as a raw double, where returning it from here
 * would box it in a fresh heap number on every call.
 *
 * The one long function of the back-end: a case per opcode, each written
 * `case N satisfies Code<"NAME">` so a wrong number is a type error, and a
 * missing case leaves `op` not `never` at the default. Literal case labels
 * let the engine dispatch through a jump table.
 */
export function execute(
  code: Int32Array,
  mem: Float64Array,
  stackBase: number,
  table: readonly TableEntry[] = NO_TABLE,
  callees: readonly UserFunction[] = [],
): void {
  let pc = 0;
  let sp = stackBase;
  let acc = 0;
  for (;;) {
    const op = code[pc] as Opcode;
    switch (op) {
      case 0 satisfies Code<"LOAD">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]!;
        pc += 2;
        break;
      case 1 satisfies Code<"NEG">:
        acc = -acc;
        pc += 1;
        break;
      case 2 satisfies Code<"NOT">:
        acc = acc === 0 ? 1 : 0;
        pc += 1;
        break;
      case 3 satisfies Code<"BOOL">:
        acc = acc === 0 ? 0 : 1;
        pc += 1;
        break;
      case 4 satisfies Code<"ADD">:
        acc = mem[--sp]! + acc;
        pc += 1;
        break;
      case 5 satisfies Code<"SUB">:
        acc = mem[--sp]! - acc;
        pc += 1;
        break;
      case 6 satisfies Code<"MUL">:
        acc = mem[--sp]! * acc;
        pc += 1;
        break;
      case 7 satisfies Code<"DIV">:
        acc = mem[--sp]! / acc;
        pc += 1;
        break;
      case 8 satisfies Code<"MOD">:
        acc = mem[--sp]! % acc;
        pc += 1;
        break;
      case 9 satisfies Code<"POW">:
        acc = pow(mem[--sp]!, acc);
        pc += 1;
        break;
      case 10 satisfies Code<"LT">:
        acc = mem[--sp]! < acc ? 1 : 0;
        pc += 1;
        break;
      case 11 satisfies Code<"LE">:
        acc = mem[--sp]! <= acc ? 1 : 0;
        pc += 1;
        break;
      case 12 satisfies Code<"GT">:
        acc = mem[--sp]! > acc ? 1 : 0;
        pc += 1;
        break;
      case 13 satisfies Code<"GE">:
        acc = mem[--sp]! >= acc ? 1 : 0;
        pc += 1;
        break;
      case 14 satisfies Code<"EQ">:
        acc = mem[--sp]! === acc ? 1 : 0;
        pc += 1;
        break;
      case 15 satisfies Code<"NE">:
        acc = mem[--sp]! !== acc ? 1 : 0;
        pc += 1;
        break;
      case 16 satisfies Code<"ADD_M">:
        acc = acc + mem[code[pc + 1]!]!;
        pc += 2;
        break;
      case 17 satisfies Code<"SUB_M">:
        acc = acc - mem[code[pc + 1]!]!;
        pc += 2;
        break;
      case 18 satisfies Code<"MUL_M">:
        acc = acc * mem[code[pc + 1]!]!;
        pc += 2;
        break;
      case 19 satisfies Code<"DIV_M">:
        acc = acc / mem[code[pc + 1]!]!;
        pc += 2;
        break;
      case 20 satisfies Code<"MOD_M">:
        acc = acc % mem[code[pc + 1]!]!;
        pc += 2;
        break;
      case 21 satisfies Code<"POW_M">:
        acc = pow(acc, mem[code[pc + 1]!]!);
        pc += 2;
        break;
      case 22 satisfies Code<"LT_M">:
        acc = acc < mem[code[pc + 1]!]! ? 1 : 0;
        pc += 2;
        break;
      case 23 satisfies Code<"LE_M">:
        acc = acc <= mem[code[pc + 1]!]! ? 1 : 0;
        pc += 2;
        break;
      case 24 satisfies Code<"GT_M">:
        acc = acc > mem[code[pc + 1]!]! ? 1 : 0;
        pc += 2;
        break;
      case 25 satisfies Code<"GE_M">:
        acc = acc >= mem[code[pc + 1]!]! ? 1 : 0;
        pc += 2;
        break;
      case 26 satisfies Code<"EQ_M">:
        acc = acc === mem[code[pc + 1]!]! ? 1 : 0;
        pc += 2;
        break;
      case 27 satisfies Code<"NE_M">:
        acc = acc !== mem[code[pc + 1]!]! ? 1 : 0;
        pc += 2;
        break;
      case 28 satisfies Code<"ADD_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! + mem[code[pc + 2]!]!;
        pc += 3;
        break;
      case 29 satisfies Code<"SUB_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! - mem[code[pc + 2]!]!;
        pc += 3;
        break;
      case 30 satisfies Code<"MUL_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! * mem[code[pc + 2]!]!;
        pc += 3;
        break;
      case 31 satisfies Code<"DIV_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! / mem[code[pc + 2]!]!;
        pc += 3;
        break;
      case 32 satisfies Code<"MOD_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! % mem[code[pc + 2]!]!;
        pc += 3;
        break;
      case 33 satisfies Code<"POW_MM">:
        mem[sp++] = acc;
        acc = pow(mem[code[pc + 1]!]!, mem[code[pc + 2]!]!);
        pc += 3;
        break;
      case 34 satisfies Code<"LT_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! < mem[code[pc + 2]!]! ? 1 : 0;
        pc += 3;
        break;
      case 35 satisfies Code<"LE_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! <= mem[code[pc + 2]!]! ? 1 : 0;
        pc += 3;
        break;
      case 36 satisfies Code<"GT_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! > mem[code[pc + 2]!]! ? 1 : 0;
        pc += 3;
        break;
      case 37 satisfies Code<"GE_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! >= mem[code[pc + 2]!]! ? 1 : 0;
        pc += 3;
        break;
      case 38 satisfies Code<"EQ_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! === mem[code[pc + 2]!]! ? 1 : 0;
        pc += 3;
        break;
      case 39 satisfies Code<"NE_MM">:
        mem[sp++] = acc;
        acc = mem[code[pc + 1]!]! !== mem[code[pc + 2]!]! ? 1 : 0;
        pc += 3;
        break;
      case 40 satisfies Code<"CALL1">:
        acc = FUNCTIONS[code[pc + 1]!]!(acc);
        pc += 2;
        break;
      case 41 satisfies Code<"CALL2">:
        acc = FUNCTIONS[code[pc + 1]!]!(mem[--sp]!, acc);
        pc += 2;
        break;
      case 42 satisfies Code<"CALLN">: {
        const argc = code[pc + 2]!;
        const args = ARGUMENTS[argc]!;
        // The arguments are the top `argc` values: argc - 1 in memory, the last in acc.
        sp -= argc - 1;
        for (let i = 0; i < argc - 1; i++) args[i] = mem[sp + i]!;
        args[argc - 1] = acc;
        acc = apply(FUNCTIONS[code[pc + 1]!]!, undefined, args);
        pc += 3;
        break;
      }
      case 43 satisfies Code<"CALL_USER">: {
        const argc = code[pc + 2]!;
        // A local, not table[i](…): the callee must be called with `this` undefined.
        const callee = table[code[pc + 1]!]!;
        let result: unknown;
        if (argc === 0) {
          mem[sp++] = acc;
          result = callee();
        } else if (argc === 1) {
          result = callee(acc);
        } else if (argc === 2) {
          result = callee(mem[--sp]!, acc);
        } else {
          const args = ARGUMENTS[argc]!;
          sp -= argc - 1;
          for (let i = 0; i < argc - 1; i++) args[i] = mem[sp + i]!;
          args[argc - 1] = acc;
          result = apply(callee, undefined, args);
        }
        if (typeof result !== "number") notANumber(callees, code[pc + 1]!, result);
        acc = result as number;
        pc += 3;
        break;
      }
      case 44 satisfies Code<"JUMP">:
        pc = code[pc + 1]!;
        break;
      case 45 satisfies Code<"JUMP_FALSE">: {
        const value = acc;
        acc = mem[--sp]!;
        pc = value === 0 ? code[pc + 1]! : pc + 2;
        break;
      }
      case 46 satisfies Code<"JUMP_TRUE">: {
        const value = acc;
        acc = mem[--sp]!;
        pc = value === 0 ? pc + 2 : code[pc + 1]!;
        break;
      }
      case 47 satisfies Code<"RETURN">:
        mem[stackBase] = acc;
        return;
      case 48 satisfies Code<"STORE">:
        mem[code[pc + 1]!] = acc;
        acc = mem[--sp]!;
        pc += 2;
        break;
      default:
        unknownOpcode(op, pc);
    }
  }
}

function notANumber(callees: readonly UserFunction[], index: number, value: unknown): never {
  throw hostResultError(callees[index]?.name ?? `#${index}`, value);
}

function unknownOpcode(op: never, pc: number): never {
  throw new Error(`vm: unknown opcode ${String(op)} at ${pc}`);
}
