/**
 * The printer: syntax tree → the shortest source that parses back to the
 * same tree, with parentheses only where THE precedence table needs them.
 */

import { unreachable } from "../unreachable.js";
import type { Expr, ProgramSyntax } from "./ast.js";
import { BINARY, LEVEL } from "./operators.js";

/** Source text for `expr`; `parseExpression(print(e))` has the same shape as `e`. */
export function print(expr: Expr): string {
  return at(expr, LEVEL.conditional);
}

/**
 * Source text for a whole program: `name = value; ` for each binding, then
 * the result; `parseSyntax(printProgram(p))` has the same shape as `p`.
 */
export function printProgram(program: ProgramSyntax): string {
  let text = "";
  for (const binding of program.bindings) text += `${binding.name} = ${print(binding.value)}; `;
  return text + print(program.result);
}

/** The level an expression binds at (see operators.ts). */
function levelOf(expr: Expr): number {
  switch (expr.kind) {
    case "binary":
      return BINARY[expr.op].level;
    case "unary":
      return LEVEL.prefix;
    case "conditional":
      return LEVEL.conditional;
    case "number":
    case "identifier":
    case "call":
      return LEVEL.primary;
    default:
      return unreachable(expr, "node");
  }
}

/** `expr` in a place that needs at least `level`; parenthesised if it binds looser. */
function at(expr: Expr, level: number): string {
  const text = bare(expr);
  return levelOf(expr) < level ? `(${text})` : text;
}

function bare(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return literal(expr.value);
    case "identifier":
      return expr.name;
    case "call": {
      let text = "";
      for (const arg of expr.args)
        text += `${text === "" ? "" : ", "}${at(arg, LEVEL.conditional)}`;
      return `${expr.callee}(${text})`;
    }
    case "unary":
      return expr.op + at(expr.operand, LEVEL.prefix);
    case "conditional":
      return `${at(expr.test, LEVEL.or)} ? ${at(expr.consequent, LEVEL.conditional)} : ${at(expr.alternate, LEVEL.conditional)}`;
    case "binary": {
      const { op, left, right } = expr;
      if (op === "^") return `${at(left, LEVEL.primary)}^${at(right, LEVEL.prefix)}`;
      const { level, assoc } = BINARY[op];
      const leftLevel = assoc === "none" ? level + 1 : level;
      return `${at(left, leftLevel)} ${op} ${at(right, level + 1)}`;
    }
  }
}

/** A literal that reads back exactly; literals are never negative or NaN. */
function literal(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "1e999";
  if (!(value >= 0)) throw new RangeError(`a literal cannot be ${value}`);
  return String(value);
}
