/**
 * The set file: a formula set as a person writes it by hand, one formula a
 * line, its name first:
 *
 * ```
 * # prices.set: a comment runs from '#' to the end of its line
 * subtotal = price * qty
 * tax      = subtotal * rate
 * total    = t = subtotal + tax; round(t * 100) / 100   # bindings allowed
 * ```
 *
 * Grammar: `file := { line }`, `line := [ NAME "=" PROGRAM ] [ "#" text ]`;
 * blank lines and comment lines are skipped; a formula's PROGRAM is the
 * rest of its line (LANGUAGE.md: bindings, then the result). Names are
 * checked by compileSet; here only the shape of each line.
 */

import { ExprSyntaxError } from "../errors.js";

/** The formulas of a set file, and the line each came from. */
export interface SetFile {
  /** Name → program text, in file order (the set's output order). */
  readonly formulas: Record<string, string>;
  /** Name → its 1-based line in the file, for messages. */
  readonly lines: ReadonlyMap<string, number>;
}

/** `NAME = rest` at the start of a line (spaces allowed around). */
const HEAD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/;

/** The syntax of one set file line: the grammar in the file comment. Throws ExprSyntaxError. */
export function parseSetFile(text: string): SetFile {
  const formulas: Record<string, string> = Object.create(null);
  const lines = new Map<string, number>();
  const all = text.startsWith("\uFEFF") ? text.slice(1).split("\n") : text.split("\n");
  all.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const hash = line.indexOf("#");
    const content = hash === -1 ? line : line.slice(0, hash);
    if (content.trim() === "") return;
    const head = HEAD.exec(content);
    if (head === null) {
      throw new ExprSyntaxError(
        `line ${i + 1}: expected 'name = formula' (a set file has one formula a line, its name first)`,
        line,
        { offset: 0, length: content.trimEnd().length },
      );
    }
    const name = head[1] as string;
    if (lines.has(name)) {
      throw new ExprSyntaxError(
        `line ${i + 1}: formula '${name}' is defined twice (first on line ${lines.get(name)})`,
        line,
        { offset: content.indexOf(name), length: name.length },
      );
    }
    lines.set(name, i + 1);
    formulas[name] = content.slice(head[0].length).trim();
  });
  if (lines.size === 0) {
    throw new ExprSyntaxError("the set file has no formula ('name = formula' lines)", text, {
      offset: 0,
      length: 0,
    });
  }
  return { formulas, lines };
}
