/**
 * The WAT dump: the module in the WebAssembly text format, printed from
 * the same instruction list and layout the bytes are encoded from, so
 * assembling this text (with wabt, in the tests) gives exactly our bytes.
 *
 * Spec: https://webassembly.github.io/spec/core/text/index.html
 */

import type { WasmProgram } from "./codegen.js";
import { EXPORT_NAME, IMPORT_MODULE, layout, MEMORY_FIELD, TABLE_FIELD } from "./module.js";
import type { Instr } from "./opcodes.js";
import { WASM_OPCODES } from "./opcodes.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { min: minOf } = Math;
const { isNaN: isNan } = Number;
const { is: sameValue } = Object;

/** Indentation stops growing here, so 2,000 nested `if`s do not print megabytes of spaces. */
const MAX_INDENT = 32;

/**
 * The module as WAT text. Parameter names are the program's variable
 * names: identifiers (`[A-Za-z_][A-Za-z0-9_]*`), all valid WAT id characters.
 */
export function renderWat(program: WasmProgram): string {
  const types = layout(program);
  const lines = ["(module"];
  for (const arity of types.arities) {
    const params = arity === 0 ? "" : ` (param${" f64".repeat(arity)})`;
    lines.push(`  (type $f${arity} (func${params} (result f64)))`);
  }
  if (program.callees.length > 0) {
    const table = `(table $${TABLE_FIELD} ${program.callees.length} funcref)`;
    lines.push(`  (import "${IMPORT_MODULE}" "${TABLE_FIELD}" ${table})`);
  }
  const results = ` (result${" f64".repeat(types.mainResults)})`;
  if (types.mainResults > 1) {
    const own =
      program.params.length === 0 ? "" : ` (param${" f64".repeat(program.params.length)})`;
    lines.push(`  (type $main (func${own}${results}))`);
  }
  if (program.memory) lines.push(`  (import "${IMPORT_MODULE}" "${MEMORY_FIELD}" (memory 1))`);
  const params = program.params.map((name) => ` (param $${name} f64)`).join("");
  const type = types.mainResults > 1 ? "$main" : `$f${types.arities[types.mainType]}`;
  lines.push(
    `  (func $main (export "${EXPORT_NAME}") (type ${type})${params}${results}${locals(program.locals)}`,
  );
  renderBody(program.params, program.body, lines);
  lines.push("  )");
  program.definitions.forEach((definition, i) => {
    const own = definition.params.map((name) => ` (param $${name} f64)`).join("");
    const typeName = `$f${types.arities[types.definitionTypes[i] as number]}`;
    const head = `  (func $def.${definition.name} (type ${typeName})${own} (result f64)`;
    lines.push(`${head}${locals(definition.locals)}`);
    renderBody(definition.params, definition.body, lines);
    lines.push("  )");
  });
  lines.push(")");
  return `${lines.join("\n")}\n`;
}

/**
 * The declarations of `count` f64 locals, `$local.0`, …: a `.` cannot be in
 * a variable's name, so they never clash with a parameter's.
 */
function locals(count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += ` (local $local.${i} f64)`;
  return text;
}

function renderBody(params: readonly string[], body: readonly Instr[], lines: string[]): void {
  let depth = 0;
  for (const instr of body) {
    if (instr.op === "end" || instr.op === "else") depth--;
    const indent = "  ".repeat(2 + minOf(depth, MAX_INDENT));
    const note = instr.note === undefined ? "" : ` ;; ${instr.note}`;
    lines.push(`${indent}${renderInstr(params, instr)}${note}`);
    if (instr.op === "if" || instr.op === "else") depth++;
  }
}

/** One instruction as WAT; `params` names the function's first locals. */
export function renderInstr(params: readonly string[], instr: Instr): string {
  const arg = instr.arg ?? 0;
  switch (WASM_OPCODES[instr.op].imm) {
    case "none":
      return instr.op;
    case "blocktype": {
      const result = instr.result ?? "f64";
      return result === "none" ? instr.op : `${instr.op} (result ${result})`;
    }
    case "label":
      return `${instr.op} ${arg}`;
    case "memarg":
      return arg === 0 ? instr.op : `${instr.op} offset=${arg}`;
    case "local":
      return arg < params.length
        ? `${instr.op} $${params[arg] as string}`
        : `${instr.op} $local.${arg - params.length}`;
    case "func":
      return `${instr.op} ${arg}`;
    case "type":
      // call_indirect's operand is the callee's arity, and types are named by arity.
      return `${instr.op} (type $f${arg})`;
    case "i32":
      return `${instr.op} ${arg}`;
    case "f64":
      return `${instr.op} ${f64Text(arg)}`;
  }
}

/**
 * An f64 literal in WAT: JavaScript's shortest round-trip decimal (which
 * WAT reads back to the same double), or `inf`, `-inf`, `nan`, `-0`.
 */
export function f64Text(value: number): string {
  if (isNan(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (sameValue(value, -0)) return "-0";
  return String(value);
}
