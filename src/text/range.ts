/**
 * The one source range type: plain UTF-16 offsets into the source, as in
 * acorn. Syntax nodes, program nodes and bytecode line tables all carry
 * one; line and column are worked out only when something is shown.
 */

/** A range of the source: offsets `[start, end)`. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}
