/**
 * Dumps of the front end's stages, for `--dump tokens|ast` and `explain`:
 * one token per line (`NUMBER 1`, `PLUS`, …) and the syntax tree with spans.
 */

import { formatNumber } from "../text/number.js";
import { drawTree, each, type TreeLine } from "../text/tree.js";
import type { Expr, ProgramSyntax } from "./ast.js";
import type { Token } from "./token.js";

/** One line per token: its type, then its text for numbers and names. */
export function dumpTokens(tokens: readonly Token[], source: string): string {
  return tokens
    .map((token) => {
      if (token.type === "NUMBER") return `NUMBER ${formatNumber(token.value)}`;
      if (token.type === "IDENT") return `IDENT ${source.slice(token.start, token.end)}`;
      return token.type;
    })
    .join("\n");
}

/**
 * The syntax tree, one node per line, each with its span `[start, end)`;
 * a program with bindings lists each (`Binding d  @0..14`) before its result.
 */
export function dumpAst(program: ProgramSyntax): string {
  if (program.bindings.length === 0) return drawTree(astLines(program.result));
  const parts = program.bindings.map(
    (binding) =>
      `Binding ${binding.name}  @${binding.start}..${binding.end}\n${drawTree(astLines(binding.value))}`,
  );
  parts.push(`Result\n${drawTree(astLines(program.result))}`);
  return parts.join("\n");
}

function astLines(expr: Expr): TreeLine {
  const span = `  @${expr.start}..${expr.end}`;
  switch (expr.kind) {
    case "number":
      return { label: `Number ${formatNumber(expr.value)}${span}`, children: [] };
    case "identifier":
      return { label: `Identifier ${expr.name}${span}`, children: [] };
    case "call":
      return { label: `Call ${expr.callee}${span}`, children: each(expr.args, astLines) };
    case "unary":
      return { label: `Unary ${expr.op}${span}`, children: [astLines(expr.operand)] };
    case "binary":
      return {
        label: `Binary ${expr.op}${span}`,
        children: [astLines(expr.left), astLines(expr.right)],
      };
    case "conditional":
      return {
        label: `Conditional ?:${span}`,
        children: [astLines(expr.test), astLines(expr.consequent), astLines(expr.alternate)],
      };
  }
}
