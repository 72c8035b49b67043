/**
 * ExprError: the one error type the library raises, and how it is rendered.
 *
 * Positions are plain UTF-16 offsets into the source (as in acorn); line and
 * column are worked out only when an error is built, so the hot paths never
 * pay for them.
 */

import { lineColumn } from "./text/lines.js";
import { escapeHidden, visible } from "./text/visible.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { max: maxOf, min: minOf } = Math;

/** The kinds of error exprjit raises. */
export type ErrorKind =
  /** The text is not a valid expression (bad token, missing operand, ...). */
  | "syntax"
  /** An unknown function, a function used without a call, a constant called. */
  | "name"
  /** A function called with the wrong number of arguments. */
  | "arity"
  /** A configured limit (source length, tree depth) was exceeded. */
  | "limit"
  /** A variable's value is missing or is not a number. */
  | "input"
  /** A back-end could not compile or load the expression. */
  | "backend"
  /** An option given to the API has the wrong type or value. */
  | "options";

/** Where an error is in the source: a 0-based offset and a length in UTF-16 units. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/**
 * Every error the library raises. `offset`/`length` point into `source`;
 * `line` and `column` are 1-based. {@link ExprError.format} renders the
 * source line with a caret under the offending text.
 */
export class ExprError extends Error {
  override readonly name: string = "ExprError";
  readonly kind: ErrorKind;
  readonly source: string;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;

  /**
   * @param options.cause - the error this one wraps (an engine's message, a
   *   stack overflow), kept as the standard `cause` for whoever debugs it.
   */
  constructor(
    kind: ErrorKind,
    message: string,
    source: string,
    span: Span,
    options?: { readonly cause?: unknown },
  ) {
    // A message may quote a user's name, a path or a compiler's output:
    // characters that hide or reorder text are shown escaped, never raw.
    super(
      escapeHidden(message),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.kind = kind;
    this.source = source;
    this.offset = maxOf(0, minOf(span.offset, source.length));
    this.length = maxOf(0, minOf(span.length, source.length - this.offset));
    const { line, column } = lineColumn(source, this.offset);
    this.line = line;
    this.column = column;
  }

  /**
   * The error as a user should see it:
   * ```
   * error: expected an operand after '+', found '*'
   *   1 | 1 + * 2
   *     |     ^
   * ```
   * Long lines are cut to a window around the offending text.
   *
   * @param options.firstLine - the number to show for the source's first
   *   line (default 1): where the source is one line of a larger input,
   *   such as the CLI's standard input, the frame then numbers it as the
   *   input does.
   */
  format(options?: { readonly firstLine?: number }): string {
    return formatError(this, options?.firstLine ?? 1);
  }
}

/** The source is not a valid expression. */
export class ExprSyntaxError extends ExprError {
  override readonly name = "ExprSyntaxError";
  constructor(message: string, source: string, span: Span, options?: { readonly cause?: unknown }) {
    super("syntax", message, source, span, options);
  }
}

/** A name that is not a function, constant or variable where it is used. */
export class ExprNameError extends ExprError {
  override readonly name = "ExprNameError";
  constructor(message: string, source: string, span: Span, options?: { readonly cause?: unknown }) {
    super("name", message, source, span, options);
  }
}

/** A function called with the wrong number of arguments. */
export class ExprArityError extends ExprError {
  override readonly name = "ExprArityError";
  constructor(message: string, source: string, span: Span, options?: { readonly cause?: unknown }) {
    super("arity", message, source, span, options);
  }
}

/** A limit (source length, tree depth) was exceeded. */
export class ExprLimitError extends ExprError {
  override readonly name = "ExprLimitError";
  constructor(message: string, source: string, span: Span, options?: { readonly cause?: unknown }) {
    super("limit", message, source, span, options);
  }
}

/** An option given to the API has the wrong type or value (`maxDepth: "5"`, options that are not an object). */
export class ExprOptionsError extends ExprError {
  override readonly name = "ExprOptionsError";
  constructor(message: string, source: string) {
    super("options", message, source, { offset: 0, length: 0 });
  }
}

/** A variable's value is missing or not a number; the span is the variable's first use. */
export class ExprInputError extends ExprError {
  override readonly name = "ExprInputError";
  constructor(message: string, source: string, span: Span, options?: { readonly cause?: unknown }) {
    super("input", message, source, span, options);
  }
}

/** A back-end could not compile or load the expression; the span is the whole source. */
export class ExprBackendError extends ExprError {
  override readonly name = "ExprBackendError";
  constructor(message: string, source: string, options?: { readonly cause?: unknown }) {
    super("backend", message, source, { offset: 0, length: source.length }, options);
  }
}

/** How many characters of a long line are shown around the caret. */
const WINDOW = 72;

function formatError(error: ExprError, firstLine: number): string {
  const { source, offset, line } = error;
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1;
  let lineEnd = source.indexOf("\n", offset);
  if (lineEnd === -1) lineEnd = source.length;
  if (lineEnd > lineStart && source[lineEnd - 1] === "\r") lineEnd--;

  // Cut a long line to a window that keeps the caret visible.
  let from = lineStart;
  let to = lineEnd;
  if (to - from > WINDOW) {
    from = maxOf(lineStart, offset - WINDOW / 2);
    to = minOf(lineEnd, from + WINDOW);
    from = maxOf(lineStart, minOf(from, to - WINDOW));
  }
  const before = from > lineStart ? "…" : "";
  const after = to < lineEnd ? "…" : "";
  const text = before + visible(source.slice(from, to)) + after;
  // Columns are counted in the text as shown, where a hidden character is a 6-column escape.
  const at = minOf(offset, to);
  const caretAt = before.length + visible(source.slice(from, at)).length;
  const marked = visible(source.slice(at, minOf(to, at + error.length))).length;
  const width = maxOf(1, marked);

  const gutter = String(line + firstLine - 1);
  const pad = " ".repeat(gutter.length);
  return [
    `error: ${error.message}`,
    `  ${gutter} | ${text}`,
    `  ${pad} | ${" ".repeat(caretAt)}${"^".repeat(width)}`,
  ].join("\n");
}
