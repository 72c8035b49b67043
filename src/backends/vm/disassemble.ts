/**
 * The disassembler, in the style of clox: one line per instruction with its
 * offset, the source line:column it came from, the opcode name and its
 * operands (slots holding constants by value, slots holding variables by
 * name, functions by name, jump targets by offset). It is the `bytecode` artefact of `--dump` and
 * `explain`. Everything it knows about operands comes from the opcode table.
 * A program's expression functions follow its listing, each as its own
 * chunk headed by its definition.
 */

import { FUNCTION_LIST } from "../../semantics/builtins.js";
import { lineIndex } from "../../text/lines.js";
import { formatNumber } from "../../text/number.js";
import { plural } from "../../text/plural.js";
import type { Chunk } from "./chunk.js";
import type { VmProgram } from "./compiler.js";
import { OPCODE_NAMES, OPCODE_SPECS, type OperandKind } from "./opcodes.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { max: maxOf } = Math;

/** What the disassembler needs besides the chunk: names and positions. */
export interface ListingContext {
  /** The source text, for line:column. */
  readonly source: string;
  /** Variable names by slot. */
  readonly variables: readonly string[];
}

/** The listing of a program: its expression's chunk, then each definition's. */
export function disassembleProgram(program: VmProgram, context: ListingContext): string {
  const parts = [disassemble(program.main, context)];
  for (const { definition, chunk } of program.definitions) {
    const listing = disassemble(chunk, { source: definition.source, variables: definition.params });
    parts.push(`\n; definition ${definition.text}\n${listing}`);
  }
  return parts.join("\n");
}

/** The listing of `chunk`: a summary line, then one line per instruction. */
export function disassemble(chunk: Chunk, context: ListingContext): string {
  const where = lineIndex(context.source);
  const position = (offset: number): string => {
    const { line, column } = where(offset);
    return `${line}:${column}`;
  };
  const rows: [string, string, string][] = [];
  for (let i = 0; i < chunk.spans.length; i += 3) {
    const pc = chunk.spans[i] as number;
    rows.push([
      String(pc).padStart(4, "0"),
      position(chunk.spans[i + 1] as number),
      instruction(chunk, pc, context),
    ]);
  }
  // A loop, not Math.max(...rows): a huge program would overflow the argument list.
  let at = 0;
  for (const row of rows) at = maxOf(at, row[1].length);
  const lines = rows.map(([pc, where, text]) => `${pc}  ${where.padEnd(at)}  ${text}`);
  return [summary(chunk, context, rows.length), ...lines].join("\n");
}

function summary(chunk: Chunk, context: ListingContext, count: number): string {
  const variables = context.variables.length === 0 ? "" : ` (${context.variables.join(", ")})`;
  return (
    `; ${plural(count, "instruction")}, ${plural(chunk.constants.length, "constant")}, ` +
    `${plural(context.variables.length, "variable")}${variables}, max stack ${chunk.maxStack}`
  );
}

/** Name and operands of the instruction at `pc`. */
function instruction(chunk: Chunk, pc: number, context: ListingContext): string {
  const code = chunk.code[pc] as number;
  const spec = OPCODE_SPECS[code];
  if (spec === undefined) return `??? ${code}`;
  const operands = spec.operands.map((kind, i) =>
    operand(kind, chunk.code[pc + 1 + i] as number, chunk, context),
  );
  return [(OPCODE_NAMES[code] as string).padEnd(10), ...operands].join(" ").trimEnd();
}

function operand(kind: OperandKind, value: number, chunk: Chunk, context: ListingContext): string {
  switch (kind) {
    case "slot": {
      if (value < chunk.variableCount) return context.variables[value] ?? `v${value}?`;
      const local = value - chunk.variableCount;
      if (local < chunk.locals.length) return `#${chunk.locals[local]}`;
      const constant = chunk.constants[local - chunk.locals.length];
      return constant === undefined ? `slot${value}?` : formatNumber(constant);
    }
    case "fn":
      return FUNCTION_LIST[value]?.name ?? `fn${value}?`;
    case "user":
      return chunk.callees[value]?.name ?? `user${value}?`;
    case "argc":
      return `argc=${value}`;
    case "target":
      return `-> ${String(value).padStart(4, "0")}`;
  }
}
