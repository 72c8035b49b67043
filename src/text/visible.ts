/**
 * Source text as an error shows it. Characters that are invisible, that
 * reorder the text around them (bidirectional controls such as U+202E,
 * zero-width spaces, line and paragraph separators, other format and
 * control characters), that pass for others (no-break spaces) or that are
 * not text (lone surrogates, combining marks alone) are shown as `\uXXXX`
 * escapes, so an excerpt can
 * never hide, reverse or break the line it quotes. Tab, CR and LF are
 * shown as one space, which keeps the caret aligned.
 */

/**
 * Characters shown escaped: C0 and C1 controls but tab/CR/LF, the
 * invisible format characters, spaces other than U+0020 (a no-break space
 * looks like one and is not), combining marks (they fold onto the
 * character before them, so the caret would land under the wrong one) and
 * lone surrogates (not text at all).
 */
const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\p{M}\ud800-\udfff]/u;

/** Whether `char` (one UTF-16 unit) is shown escaped. */
export function isHidden(char: string): boolean {
  return HIDDEN.test(char);
}

/** `char` as `\uXXXX`. */
export function escapeChar(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * `text` with hidden characters escaped, and tab, CR and LF kept: for a
 * message, which may quote a user's name or a path, and may span lines.
 */
export function escapeHidden(text: string): string {
  let out = "";
  for (const char of text) out += isHidden(char) ? escapeChar(char) : char;
  return out;
}

/** `text` with hidden characters escaped and tab, CR, LF as spaces. */
export function visible(text: string): string {
  let out = "";
  for (const char of text) {
    if (char === "\t" || char === "\r" || char === "\n") out += " ";
    else out += isHidden(char) ? escapeChar(char) : char;
  }
  return out;
}
