/**
 * The vm's vectorised batch mode, in the style of numexpr: the program is
 * compiled once more, to a register program whose every instruction runs
 * over a block of rows held in `Float64Array` registers, so dispatch is
 * paid once per block and per instruction, not once per row.
 *
 * Each instruction is a small loop over the block (a "kernel", made once
 * per instruction when the program is built, over fixed register views).
 * Constants live in registers filled once; each variable is loaded into its
 * own register at the start of every block; temporaries are reused as soon
 * as their value has been read.
 *
 * `&&`, `||` and `?:` compute both sides for the whole block and select per
 * row. That is exact only because everything the program can call is pure
 * and cannot fail (the builtins, and expression functions, which are
 * inlined): a program calling a host function never reaches this mode (the
 * API runs it row by row).
 *
 * Bindings (v3) are registers too: each binding's value is computed once
 * per block, in order, and its register is held (never reused) for the
 * rest of the block; so is each result's, with several results, until the
 * block's results are copied out.
 *
 * Binary operators reach the kernels through the vm's own opcode table (by
 * stem), so an operator added there is a type error here too.
 */

import {
  type Builtin,
  FUNCTION_LIST,
  type FunctionName,
  lookupFunction,
} from "../../semantics/builtins.js";
import type { Binding, Node, Program } from "../../semantics/program.js";
import { decidingTruth, isLogical } from "../../syntax/operators.js";
import { lineIndex } from "../../text/lines.js";
import { formatNumber } from "../../text/number.js";
import { plural } from "../../text/plural.js";
import type { SourceRange } from "../../text/range.js";
import { unreachable } from "../../unreachable.js";
import type { BatchIntoFn } from "../backend.js";
import { BINARY_OPCODES, type EagerOp, OPCODE_NAMES, type Stem } from "./opcodes.js";

/** Rows per block when the register file is small. */
export const BLOCK_ROWS = 1024;

/** The most doubles the register file holds; a program with many registers gets smaller blocks. */
const REGISTER_FILE_DOUBLES = 1 << 18;

/** Runs one instruction over the first `n` rows of its registers. */
type Kernel = (n: number) => void;

/** One instruction of the block program, as the disassembler shows it. */
export interface BlockInstr {
  /** `LOAD`, `NEG`, `NOT`, `BOOL`, a binary stem (`ADD`), `AND`, `OR`, `SELECT`, `CALL`. */
  readonly name: string;
  /** The register written. */
  readonly dst: number;
  /** Registers read, in order (for `LOAD`: none; the variable slot is in `slot`). */
  readonly args: readonly number[];
  /** `LOAD`: the variable slot; `CALL`: the builtin's table index. */
  readonly operand?: number;
  /** Where in the source it came from. */
  readonly at: SourceRange;
}

/** A compiled block program. */
export interface BlockProgram {
  /** Instructions run for every block, in order. */
  readonly instrs: readonly BlockInstr[];
  /** Constant registers and their values (filled once). */
  readonly constants: readonly (readonly [register: number, value: number])[];
  /** The registers holding the results, in `Program.results` order. */
  readonly results: readonly number[];
  /** Registers in all. */
  readonly registers: number;
  /** Rows per block. */
  readonly blockRows: number;
}

/**
 * Whether `program` has a block program: not when it calls host functions,
 * whose calls must happen row by row in row order (the API sends such
 * programs through `fn`). Expression functions are inlined: exact, since
 * a call means its body written out at the call site.
 */
export function blockable(program: Program): boolean {
  return program.hosts.length === 0;
}

/** Compiles `program` to a block program (recursion depth: the tree's, bounded by the parser). */
export function compileBlocks(program: Program): BlockProgram {
  const builder = new BlockBuilder(program.variables.length);
  const outer = builder.bind(program.bindings);
  builder.locals = outer;
  const results = program.results.map((result) => builder.hold(builder.value(result.value)));
  const registers = builder.registerCount;
  let blockRows = BLOCK_ROWS;
  while (blockRows > 16 && blockRows * registers > REGISTER_FILE_DOUBLES) blockRows >>= 1;
  return {
    instrs: builder.instrs,
    constants: builder.constants,
    results,
    registers,
    blockRows,
  };
}

class BlockBuilder {
  readonly instrs: BlockInstr[] = [];
  readonly constants: [number, number][] = [];
  private readonly free: number[] = [];
  private readonly temporaries = new Set<number>();
  private readonly variableRegisters: number[] = [];
  /** The registers of the parameters, inside an inlined expression function's body. */
  private parameters: readonly number[] | undefined;
  /** The registers of the bindings in scope: the program's, or an inlined body's own. */
  locals: readonly number[] = [];
  /** The outermost call being inlined, whose span the inlined code is listed at. */
  private callSite: SourceRange | undefined;
  registerCount = 0;

  constructor(variableCount: number) {
    // Every variable has its own register, loaded at the start of each block.
    for (let slot = 0; slot < variableCount; slot++) {
      const register = this.registerCount++;
      this.variableRegisters.push(register);
      this.instrs.push({ name: "LOAD", dst: register, args: [], operand: slot, at: NOWHERE });
    }
  }

  /**
   * Emits each binding's value, in order, reading the bindings before it;
   * returns their registers, each held (not reused) from then on.
   */
  bind(bindings: readonly Binding[]): number[] {
    const outer = this.locals;
    const registers: number[] = [];
    this.locals = registers;
    for (const binding of bindings) registers.push(this.hold(this.value(binding.value)));
    this.locals = outer;
    return registers;
  }

  /** `register`, no longer a temporary: nothing reuses it until it is released. */
  hold(register: number): number {
    this.temporaries.delete(register);
    return register;
  }

  /** Emits code computing `node`; returns the register holding its value. */
  value(node: Node): number {
    switch (node.kind) {
      case "number":
        return this.constant(node.value);
      case "local":
        return this.locals[node.index] as number;
      case "variable":
        // Inside an expression function's body, a variable is its parameter.
        return (this.parameters ?? this.variableRegisters)[node.slot] as number;
      case "unary":
        return this.emit(node.op === "-" ? "NEG" : "NOT", [this.value(node.operand)], node);
      case "binary": {
        const left = this.value(node.left);
        const right = this.value(node.right);
        if (isLogical(node.op)) {
          return this.emit(decidingTruth(node.op) ? "OR" : "AND", [left, right], node);
        }
        return this.emit(stemOf(node.op), [left, right], node);
      }
      case "conditional": {
        const test = this.value(node.test);
        const consequent = this.value(node.consequent);
        const alternate = this.value(node.alternate);
        return this.emit("SELECT", [test, consequent, alternate], node);
      }
      case "call": {
        const args = node.args.map((arg) => this.value(arg));
        return this.emit("CALL", args, node, node.fn.index);
      }
      case "apply":
        return this.apply(node.args, node.fn.bindings, node.fn.body, node);
      case "host":
        // The back-end offers no block program for these (see blockable): never reached.
        throw new Error(`vm block program: no block form for a call of ${node.fn.name}`);
      default:
        return unreachable(node, "node");
    }
  }

  /**
   * An expression function's call, inlined: its arguments into registers,
   * left to right, then its body with each parameter read from its
   * argument's register, which stays allocated until the body is done.
   */
  private apply(
    args: readonly Node[],
    bindings: readonly Binding[],
    body: Node,
    call: SourceRange,
  ): number {
    const registers = args.map((arg) => this.value(arg));
    const held = registers.filter((register) => this.temporaries.delete(register));
    const outer = this.parameters;
    const outerCall = this.callSite;
    const outerLocals = this.locals;
    this.parameters = registers;
    // The body's spans point into the definition's text: its code is listed at the call.
    this.callSite ??= call;
    // Its own bindings, held until the body is done (constants and variables are never freed).
    const own = this.bind(bindings);
    for (const register of own) if (this.isTemporary(register)) held.push(register);
    this.locals = own;
    const result = this.value(body);
    this.parameters = outer;
    this.callSite = outerCall;
    this.locals = outerLocals;
    for (const register of held) {
      // A body that is just a parameter hands its register on as the result.
      if (register === result) this.temporaries.add(register);
      else this.free.push(register);
    }
    return result;
  }

  /** Frees the temporaries among `args`, then writes the result to a register (maybe one of them). */
  private emit(name: string, args: number[], at: SourceRange, operand?: number): number {
    for (const register of args) {
      if (this.temporaries.delete(register)) this.free.push(register);
    }
    const dst = this.free.pop() ?? this.registerCount++;
    this.temporaries.add(dst);
    const where = this.callSite ?? at;
    this.instrs.push(
      operand === undefined
        ? { name, dst, args, at: where }
        : { name, dst, args, operand, at: where },
    );
    return dst;
  }

  /** Whether `register` was made by an instruction (not a variable's or a constant's). */
  private isTemporary(register: number): boolean {
    return this.instrs.some((instr) => instr.dst === register && instr.name !== "LOAD");
  }

  private constant(value: number): number {
    const known = this.constants.find(([, v]) => Object.is(v, value));
    if (known !== undefined) return known[0];
    const register = this.registerCount++;
    this.constants.push([register, value]);
    return register;
  }
}

const NOWHERE: SourceRange = { start: 0, end: 0 };

/** The vm stem of a binary operator, read from the opcode table. */
function stemOf(op: EagerOp): Stem {
  return OPCODE_NAMES[BINARY_OPCODES[op].stack] as Stem;
}

/** What a kernel reads besides its registers: the batch's columns and where the block starts. */
interface BlockState {
  columns: readonly Float64Array[];
  start: number;
}

/** The batch entry running `blocks`: one register file, kernels over fixed views of it. */
export function createBatch(blocks: BlockProgram): BatchIntoFn {
  const { blockRows, registers } = blocks;
  const file = new Float64Array(blockRows * Math.max(1, registers));
  const views: Float64Array[] = [];
  for (let r = 0; r < registers; r++) views.push(file.subarray(r * blockRows, (r + 1) * blockRows));
  for (const [register, value] of blocks.constants) (views[register] as Float64Array).fill(value);
  const state: BlockState = { columns: [], start: 0 };
  const kernels = blocks.instrs.map((instr) => kernel(instr, views, state));
  const results = blocks.results.map((register) => views[register] as Float64Array);
  return (columns, outs) => {
    state.columns = columns;
    const total = (outs[0] as Float64Array).length;
    for (let start = 0; start < total; start += blockRows) {
      const n = Math.min(blockRows, total - start);
      state.start = start;
      for (const run of kernels) run(n);
      // A block copy (memcpy in the engine) rather than a loop of element stores.
      for (let r = 0; r < results.length; r++) {
        const result = results[r] as Float64Array;
        (outs[r] as Float64Array).set(n === blockRows ? result : result.subarray(0, n), start);
      }
    }
    state.columns = [];
  };
}

/**
 * The kernel of one instruction over fixed register views: a small closure
 * calling one of the loops below with its registers. The loops are plain
 * functions taking their arrays as arguments, never closures over them:
 * the engine may specialise a closure's optimised loop to the first
 * instance's captured arrays, leaving every other instance of the same
 * instruction to run unoptimised (measured: a second ADD in a program cost
 * three times the first).
 */
function kernel(instr: BlockInstr, views: readonly Float64Array[], state: BlockState): Kernel {
  const d = views[instr.dst] as Float64Array;
  const [a, b, c] = instr.args.map((r) => views[r] as Float64Array) as Float64Array[];
  switch (instr.name) {
    case "LOAD": {
      const slot = instr.operand as number;
      return (n) => {
        const column = state.columns[slot] as Float64Array;
        d.set(column.subarray(state.start, state.start + n));
      };
    }
    case "NEG":
      return unary(negLoop, d, a as Float64Array);
    case "NOT":
      return unary(notLoop, d, a as Float64Array);
    case "AND":
      return binary(andLoop, d, a as Float64Array, b as Float64Array);
    case "OR":
      return binary(orLoop, d, a as Float64Array, b as Float64Array);
    case "SELECT": {
      const t = a as Float64Array;
      const x = b as Float64Array;
      const y = c as Float64Array;
      return (n) => selectLoop(d, t, x, y, n);
    }
    case "CALL":
      return callKernel(d, instr, views);
    default:
      return binary(binaryLoop(instr.name as Stem), d, a as Float64Array, b as Float64Array);
  }
}

type Loop1 = (d: Float64Array, a: Float64Array, n: number) => void;
type Loop2 = (d: Float64Array, a: Float64Array, b: Float64Array, n: number) => void;

function unary(loop: Loop1, d: Float64Array, a: Float64Array): Kernel {
  return (n) => loop(d, a, n);
}

function binary(loop: Loop2, d: Float64Array, a: Float64Array, b: Float64Array): Kernel {
  return (n) => loop(d, a, b, n);
}

function negLoop(d: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = -(a[i] as number);
}

function notLoop(d: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = a[i] === 0 ? 1 : 0;
}

function andLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
}

function orLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0;
}

function selectLoop(
  d: Float64Array,
  t: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
): void {
  // NaN is true: only ±0 picks the alternate.
  for (let i = 0; i < n; i++) d[i] = (t[i] !== 0 ? a[i] : b[i]) as number;
}

/** Captured at load time, like the scalar VM's, so later patching cannot change a result. */
const pow = Math.pow;

/** The loop of a binary operator: each the operation the scalar VM performs. */
function binaryLoop(stem: Stem): Loop2 {
  switch (stem) {
    case "ADD":
      return addLoop;
    case "SUB":
      return subLoop;
    case "MUL":
      return mulLoop;
    case "DIV":
      return divLoop;
    case "MOD":
      return modLoop;
    case "POW":
      return powLoop;
    case "LT":
      return ltLoop;
    case "LE":
      return leLoop;
    case "GT":
      return gtLoop;
    case "GE":
      return geLoop;
    case "EQ":
      return eqLoop;
    case "NE":
      return neLoop;
    default:
      return unreachable(stem, "opcode stem");
  }
}

function addLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) + (b[i] as number);
}
function subLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) - (b[i] as number);
}
function mulLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) * (b[i] as number);
}
function divLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) / (b[i] as number);
}
function modLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) % (b[i] as number);
}
function powLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = pow(a[i] as number, b[i] as number);
}
function ltLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) < (b[i] as number) ? 1 : 0;
}
function leLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) <= (b[i] as number) ? 1 : 0;
}
function gtLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) > (b[i] as number) ? 1 : 0;
}
function geLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) >= (b[i] as number) ? 1 : 0;
}
function eqLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = a[i] === b[i] ? 1 : 0;
}
function neLoop(d: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = a[i] !== b[i] ? 1 : 0;
}

/** The captured `js` of a one-argument builtin, by name. */
const captured = (name: FunctionName): ((x: number) => number) =>
  (lookupFunction(name) as { js: (x: number) => number }).js;
const sin = captured("sin");
const cos = captured("cos");
const tan = captured("tan");
const exp = captured("exp");
const log = captured("log");
const sqrt = captured("sqrt");
const abs = captured("abs");

/**
 * Loops of their own for the commonest one-argument builtins: each calls
 * one known function, which the engine can inline, where the shared loop's
 * call site sees every builtin and inlines none. A partial table: any other
 * builtin takes the shared loop, with the same captured function.
 */
const UNARY_LOOPS: Partial<Record<FunctionName, Loop1>> = {
  sin: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = sin(a[i] as number);
  },
  cos: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = cos(a[i] as number);
  },
  tan: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = tan(a[i] as number);
  },
  exp: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = exp(a[i] as number);
  },
  log: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = log(a[i] as number);
  },
  sqrt: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = sqrt(a[i] as number);
  },
  abs: (d, a, n) => {
    for (let i = 0; i < n; i++) d[i] = abs(a[i] as number);
  },
};

function callLoop1(f: (x: number) => number, d: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = f(a[i] as number);
}

function callLoop2(
  f: (x: number, y: number) => number,
  d: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) d[i] = f(a[i] as number, b[i] as number);
}

/** A builtin over the block: its captured function, called once per row. */
function callKernel(d: Float64Array, instr: BlockInstr, views: readonly Float64Array[]): Kernel {
  const builtin = FUNCTION_LIST[instr.operand as number] as Builtin;
  const f = builtin.js;
  const args = instr.args.map((r) => views[r] as Float64Array);
  if (args.length === 1) {
    const a = args[0] as Float64Array;
    const own = UNARY_LOOPS[builtin.name];
    return own === undefined ? (n) => callLoop1(f, d, a, n) : unary(own, d, a);
  }
  if (args.length === 2) {
    const [a, b] = args as [Float64Array, Float64Array];
    return (n) => callLoop2(f, d, a, b, n);
  }
  const values = new Array<number>(args.length).fill(0);
  return (n) => {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < args.length; k++) values[k] = (args[k] as Float64Array)[i] as number;
      d[i] = f(...values);
    }
  };
}

/** The listing of a block program: a summary, the constants, then one line per instruction. */
export function disassembleBlocks(
  blocks: BlockProgram,
  context: { readonly source: string; readonly variables: readonly string[] },
): string {
  const where = lineIndex(context.source);
  const lines = [
    `; block program: ${plural(blocks.instrs.length, "instruction")} over blocks of ${blocks.blockRows} rows, ` +
      `${plural(blocks.registers, "register")} of ${blocks.blockRows} doubles`,
  ];
  for (const [register, value] of blocks.constants) {
    lines.push(`; r${register} = ${formatNumber(value)} (constant)`);
  }
  blocks.instrs.forEach((instr, i) => {
    const { line, column } = where(instr.at.start);
    const position = instr.name === "LOAD" ? "" : `${line}:${column}`;
    const operands = [`r${instr.dst}`];
    if (instr.name === "LOAD") operands.push(context.variables[instr.operand as number] ?? "?");
    if (instr.name === "CALL") operands.push(FUNCTION_LIST[instr.operand as number]?.name ?? "?");
    for (const register of instr.args) operands.push(`r${register}`);
    lines.push(
      `${String(i).padStart(4, "0")}  ${position.padEnd(5)}  ${instr.name.padEnd(6)} ${operands.join(" ")}`,
    );
  });
  const results = blocks.results.map((register) => `r${register}`).join(", ");
  lines.push(`; ${blocks.results.length === 1 ? "result" : "results"}: ${results}`);
  return lines.join("\n");
}
