/**
 * The stack-depth check: walks finished code with the opcode table's stack
 * effects and returns the deepest the stack gets, which sizes the VM's stack
 * once per compiled expression. It also verifies what the VM relies on and
 * does not check at run time: every jump goes forward to an instruction
 * boundary, the depth agrees on every path into an instruction, nothing
 * underflows, and every path ends at a `RETURN` with exactly one value.
 *
 * Jumps only go forward (the language has no loops), so one pass in code
 * order sees every way into an instruction before reaching it.
 */

import { OPCODE_NAMES, OPCODE_SPECS, type OpcodeSpec } from "./opcodes.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { max: maxOf } = Math;

const UNKNOWN = -1;

/** The maximum stack depth of `code`; throws if the code is malformed. */
export function maxStackDepth(code: ArrayLike<number>): number {
  // Depth on arrival by jump, per offset (UNKNOWN: no jump lands there).
  const arriving = new Map<number, number>();
  let pending = 0;
  let depth = 0;
  let reachable = true;
  let max = 0;
  let pc = 0;
  while (pc < code.length) {
    const spec = specAt(code, pc);
    const landed = arriving.get(pc) ?? UNKNOWN;
    if (landed !== UNKNOWN) {
      pending--;
      if (reachable && landed !== depth) fail(pc, `depth ${depth} here, ${landed} by a jump`);
      depth = landed;
      reachable = true;
    }
    if (!reachable) fail(pc, "unreachable instruction");
    const pop = spec.pop === "argc" ? operand(code, pc, spec, "argc") : spec.pop;
    if (pop > depth) fail(pc, `pops ${pop} from a stack of ${depth}`);
    depth += spec.push - pop;
    max = maxOf(max, depth);
    if (spec.operands[0] === "target") {
      const target = operand(code, pc, spec, "target");
      if (target <= pc || target >= code.length) fail(pc, `jump to ${target}`);
      const before = arriving.get(target) ?? UNKNOWN;
      if (before === UNKNOWN) pending++;
      else if (before !== depth) fail(pc, `jump with depth ${depth}, others bring ${before}`);
      arriving.set(target, depth);
    }
    const name = OPCODE_NAMES[code[pc] as number];
    if (name === "RETURN" && depth !== 0) fail(pc, `returns with ${depth} values left`);
    reachable = name !== "JUMP" && name !== "RETURN";
    pc += 1 + spec.operands.length;
  }
  if (pc !== code.length || pending !== 0) fail(pc, "jump into the middle of an instruction");
  if (reachable) fail(pc, "code runs off its end");
  return max;
}

function specAt(code: ArrayLike<number>, pc: number): OpcodeSpec {
  const spec = OPCODE_SPECS[code[pc] as number];
  if (spec === undefined) fail(pc, `unknown opcode ${code[pc]}`);
  if (pc + spec.operands.length >= code.length) fail(pc, "truncated instruction");
  return spec;
}

function operand(
  code: ArrayLike<number>,
  pc: number,
  spec: OpcodeSpec,
  kind: "argc" | "target",
): number {
  return code[pc + 1 + spec.operands.indexOf(kind)] as number;
}

function fail(pc: number, message: string): never {
  throw new Error(`bytecode check failed at ${String(pc).padStart(4, "0")}: ${message}`);
}
