/**
 * What the CLI does when standard output cannot be written: a reader that
 * went away (`exprjit … | head -1`: EPIPE) ends the command quietly, as a
 * pipeline expects; any other failure (a full disk, `>/dev/full`: ENOSPC)
 * is one plain line on stderr. Never a stack trace.
 */

/** How the process ends after a failed write to stdout. */
export interface OutputFailure {
  /** The exit status. */
  readonly code: number;
  /** What to tell the user on stderr, if anything. */
  readonly message?: string;
}

/** Exit status when stdout could not be written (the reader leaving is not a failure). */
export const WRITE_FAILED = 1;

/** The exit status and message for an error emitted by stdout. */
export function outputFailure(error: unknown): OutputFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EPIPE") return { code: 0 };
  return {
    code: WRITE_FAILED,
    message: `exprjit: cannot write to standard output: ${reason(error, code)}\n`,
  };
}

/** Node's "ENOSPC: no space left on device, write" as "no space left on device (ENOSPC)". */
function reason(error: unknown, code: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== "string") return message;
  const plain = message.replace(new RegExp(`^${code}: `), "").replace(/, write$/, "");
  return `${plain} (${code})`;
}

/** The parts of a process {@link watchOutput} uses. */
export interface OutputProcess {
  readonly stdout: { on(event: "error", listener: (error: Error) => void): unknown };
  readonly stderr: { write(text: string): unknown };
  exit(code: number): never;
}

/**
 * Ends the process as {@link outputFailure} says on the first error stdout
 * emits. At once: the rest of the output has nowhere to go, so reading and
 * evaluating more input would be wasted.
 */
export function watchOutput(process: OutputProcess): void {
  process.stdout.on("error", (error) => {
    const failure = outputFailure(error);
    if (failure.message !== undefined) process.stderr.write(failure.message);
    process.exit(failure.code);
  });
}
