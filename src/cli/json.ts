/**
 * `--json`: one JSON object per line on stdout for each result and each
 * error, for programs that read the CLI's output. A result carries the
 * number both as JSON (`value`, null where JSON has no spelling: NaN, the
 * infinities, -0) and as the CLI prints it (`text`, which reads back to
 * the same number).
 */

import type { ExprError } from "../errors.js";
import { formatNumber } from "../text/number.js";

/** `{"ok":true,"value":-2.8,"text":"-2.8"}`, with `inputLine` when reading standard input. */
export function jsonResult(value: number, inputLine?: number): string {
  const plain = Number.isFinite(value) && !Object.is(value, -0) ? value : null;
  return `${JSON.stringify({ ...lineOf(inputLine), ok: true, value: plain, text: formatNumber(value) })}\n`;
}

/** `{"ok":false,"error":{"kind":…,"message":…,"offset":…,"length":…,"line":…,"column":…}}`. */
export function jsonError(error: ExprError, inputLine?: number): string {
  const { kind, message, offset, length, line, column } = error;
  const detail = { kind, message, offset, length, line, column };
  return `${JSON.stringify({ ...lineOf(inputLine), ok: false, error: detail })}\n`;
}

/** Which line of standard input; distinct from the error's own `line` within the expression. */
function lineOf(inputLine: number | undefined): { inputLine?: number } {
  return inputLine === undefined ? {} : { inputLine };
}
