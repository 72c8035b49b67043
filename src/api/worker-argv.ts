/**
 * The Node options a parallel batch's workers start with: the process's
 * own (`process.execArgv`: loaders, `--import`, memory and feature flags
 * carry over), less those that say how the main program's text was given.
 * A worker runs a file, so `--input-type` (meant only for `-e`, `-p` or
 * standard input) would stop it from starting, and `-e`, `-p`, `-i`,
 * `-c`, `--test` or `--watch` mean nothing for it.
 */

/** Options about the main program's text that take a value: as `--opt=v` or `--opt v`. */
const WITH_VALUE: ReadonlySet<string> = new Set([
  "--input-type",
  "--eval",
  "-e",
  "--print",
  "-p",
  "-pe",
  "-ep",
]);

/** Options about the main program that take no value (and `-`, standard input as the program). */
const ALONE: ReadonlySet<string> = new Set([
  "-i",
  "--interactive",
  "-c",
  "--check",
  "--test",
  "--watch",
  "-",
]);

/** Kept options whose value follows as the next argument: it is kept with them, never read as an option. */
const KEPT_WITH_VALUE: ReadonlySet<string> = new Set([
  "--import",
  "-r",
  "--require",
  "--loader",
  "--experimental-loader",
  "--conditions",
  "-C",
]);

/** `execArgv` without the options about the main program's text, nor the test runner's and watch mode's. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (WITH_VALUE.has(name)) {
      // `--input-type=module` carries its value; `-e code` has it next.
      if (equals < 0) i++;
      continue;
    }
    if (ALONE.has(arg) || name.startsWith("--test-") || name.startsWith("--watch-")) continue;
    kept.push(arg);
    if (KEPT_WITH_VALUE.has(arg) && i + 1 < execArgv.length) kept.push(execArgv[++i] as string);
  }
  return kept;
}

/**
 * `execArgv` less the options Node refused for a worker, as its
 * ERR_WORKER_INVALID_EXEC_ARGV message lists them (`… flags: --expose-gc,
 * --max-old-space-size=100`): V8 and process-wide options, which a worker
 * shares with the process anyway. Undefined when the message names none.
 */
export function withoutRefused(execArgv: readonly string[], message: string): string[] | undefined {
  const at = message.indexOf("flags: ");
  if (at < 0) return undefined;
  const refused = new Set(message.slice(at + "flags: ".length).split(", "));
  const kept = execArgv.filter((arg) => !refused.has(arg));
  return kept.length < execArgv.length ? kept : undefined;
}
