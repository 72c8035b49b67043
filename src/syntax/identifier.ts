/**
 * What an identifier is, once (LANGUAGE.md, "Names"): an ASCII letter or
 * `_`, then letters, digits and `_`. The lexer scans by character code;
 * user names, the generated accessor's parameters and the CLI's `--var`
 * and REPL names are checked whole against the same definition.
 */

/** Whether character code `c` may start an identifier: `A`–`Z`, `a`–`z`, `_`. */
export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** Whether character code `c` may continue an identifier: a start character or a digit. */
export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** Whether `name` is one whole identifier. */
export function isIdentifier(name: unknown): name is string {
  if (typeof name !== "string" || name.length === 0 || !isIdentStart(name.charCodeAt(0))) {
    return false;
  }
  for (let i = 1; i < name.length; i++) if (!isIdentPart(name.charCodeAt(i))) return false;
  return true;
}
