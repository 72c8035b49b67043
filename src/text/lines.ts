/**
 * Line and column of a source offset, computed only when something is
 * shown (an error, a disassembly). Lines end at LF; a CR before it belongs
 * to the line's text, as editors that show CRLF files count it.
 */

/** A 1-based line and column. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/**
 * A function giving the line and column of an offset in `source`. It
 * indexes the line starts once, then answers each offset by binary search,
 * so a whole disassembly costs one pass over the source.
 */
export function lineIndex(source: string): (offset: number) => LineColumn {
  const starts = [0];
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    // The last line start at or before `offset`.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}

/** The line and column of one offset (for a single error: no index is kept). */
export function lineColumn(source: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf("\n"); i !== -1 && i < offset; i = source.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
