/**
 * The opcode table: dense numbering, names and codes that map both ways,
 * widths from the operand lists, a binary opcode for every operator and
 * operand source, and a round trip through encoding and disassembly.
 */

import { describe, expect, it } from "vitest";
import type { Chunk } from "../../../src/backends/vm/chunk.js";
import { disassemble } from "../../../src/backends/vm/disassemble.js";
import {
  BINARY_OPCODES,
  OPCODE_NAMES,
  OPCODE_SPECS,
  OPCODES,
  type OpName,
  width,
} from "../../../src/backends/vm/opcodes.js";
import { BINARY } from "../../../src/syntax/operators.js";

const NAMES = Object.keys(OPCODES) as OpName[];

describe("the opcode table", () => {
  it("numbers opcodes 0..n-1 in table order", () => {
    expect(NAMES.map((name) => OPCODES[name].code)).toEqual(NAMES.map((_, i) => i));
  });

  it("maps names to codes and back", () => {
    expect(OPCODE_NAMES).toEqual(NAMES);
    for (const name of NAMES) {
      expect(OPCODE_NAMES[OPCODES[name].code]).toBe(name);
      expect(OPCODE_SPECS[OPCODES[name].code]).toBe(OPCODES[name]);
    }
  });

  it("gives every instruction one unit plus one per operand", () => {
    expect(width(OPCODES.RETURN.code)).toBe(1);
    expect(width(OPCODES.LOAD.code)).toBe(2);
    expect(width(OPCODES.ADD_MM.code)).toBe(3);
    expect(width(OPCODES.CALLN.code)).toBe(3);
  });

  it("has the three operand sources for every operator except && and ||", () => {
    for (const op of Object.keys(BINARY) as (keyof typeof BINARY)[]) {
      const forms = (BINARY_OPCODES as Partial<Record<string, object>>)[op];
      if (op === "&&" || op === "||") {
        expect(forms).toBeUndefined();
        continue;
      }
      expect(Object.keys(forms ?? {}).sort()).toEqual(["slot", "slots", "stack"]);
    }
  });

  it("keeps stack effects consistent with operand sources", () => {
    for (const spec of OPCODE_SPECS) {
      if (spec.source === "stack") expect([spec.pop, spec.push]).toEqual([2, 1]);
      if (spec.source === "slot") expect([spec.pop, spec.push]).toEqual([1, 1]);
      if (spec.source === "slots") expect([spec.pop, spec.push]).toEqual([0, 1]);
    }
  });

  it("round-trips every opcode through encoding and disassembly", () => {
    // One instruction per opcode, operands 7 (a slot, a jump target, ...), decoded by width.
    const code: number[] = [];
    const spans: number[] = [];
    for (const name of NAMES) {
      const spec = OPCODES[name];
      spans.push(code.length, 0, 1);
      code.push(spec.code, ...spec.operands.map(() => 7));
    }
    const decoded: string[] = [];
    for (let pc = 0; pc < code.length; pc += width(code[pc] as number)) {
      decoded.push(OPCODE_NAMES[code[pc] as number] as string);
    }
    expect(decoded).toEqual(NAMES);
    const chunk: Chunk = {
      code: Int32Array.from(code),
      constants: new Float64Array(0),
      variableCount: 8,
      locals: [],
      resultSlots: [],
      spans,
      maxStack: 0,
      memory: new Float64Array(9),
      callees: [],
    };
    const lines = disassemble(chunk, { source: "x", variables: "abcdefgh".split("") })
      .split("\n")
      .slice(1);
    expect(lines.map((line) => line.split(/ +/)[2])).toEqual(NAMES);
    expect(lines.find((line) => line.includes("LOAD"))).toMatch(/LOAD +h$/);
    expect(lines.find((line) => line.includes("CALLN"))).toMatch(/CALLN +\S+ argc=7$/);
    expect(lines.find((line) => line.includes("JUMP "))).toMatch(/JUMP +-> 0007$/);
    // No function table: the operand is shown as the index it is.
    expect(lines.find((line) => line.includes("CALL_USER"))).toMatch(/CALL_USER +user7\? argc=7$/);
  });
});
