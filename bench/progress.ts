/**
 * The progress line on stderr: which phase, engine and expression, and how
 * far, rewritten in place. Silent when stderr is not a terminal, so CI logs
 * and redirected runs hold only the results.
 */

/** Reports progress; `done()` clears the line. */
export interface Progress {
  step(phase: string, detail: string, index: number, total: number): void;
  done(): void;
}

/** A progress display for `stream` (stderr by default); a no-op off a TTY. */
export function makeProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { step() {}, done() {} };
  let last = 0;
  return {
    step(phase, detail, index, total) {
      const now = Date.now();
      // Redrawing costs time on the measuring thread; 10 redraws a second are enough.
      if (now - last < 100 && index + 1 < total) return;
      last = now;
      const width = Math.max(20, (stream.columns || 80) - 1);
      const pct = total > 0 ? Math.floor(((index + 1) * 100) / total) : 100;
      const line = `[${phase}] ${pct}% (${index + 1}/${total}) ${detail}`;
      stream.write(`\r${line.slice(0, width).padEnd(width)}`);
    },
    done() {
      stream.write(`\r${" ".repeat(Math.max(20, (stream.columns || 80) - 1))}\r`);
    },
  };
}
