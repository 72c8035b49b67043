/**
 * Running a toolchain program (the C compiler, its `--version` probe) under
 * a time limit, and ending ALL of it when the limit passes: the compiler
 * driver starts `cc1`, `as` and `ld`, and a `CC` wrapper script may start
 * anything, so killing the driver alone would leave its children running.
 * Each run is started in a process group of its own, and on timeout the
 * whole group is killed. Always an argument array, never a shell.
 */

import { type SpawnSyncOptionsWithStringEncoding, spawn, spawnSync } from "node:child_process";

/** What a toolchain run left, sync or async. */
export interface ToolRun {
  /** Why the program could not be started (not found, not executable). */
  readonly error?: Error;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Stopped (with every process it started) because it ran past the limit. */
  readonly timedOut: boolean;
}

/** Limits of one run. */
export interface ToolLimits {
  readonly timeoutMs: number;
  /** Most bytes of output kept from each stream. */
  readonly maxBuffer: number;
}

/** Process groups exist on POSIX systems; on Windows only the program itself is stopped. */
const GROUPS = process.platform !== "win32";

/** Kills the process group led by `pid`, if any of it is still there. */
function killGroup(pid: number | undefined): void {
  if (!GROUPS || pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the whole group had already ended.
  }
}

/** Runs `command` with `args` to the end or the limit, blocking. */
export function runToolSync(command: string, args: readonly string[], limits: ToolLimits): ToolRun {
  // `detached` (a new process group) is honoured by spawnSync as by spawn,
  // though @types/node leaves it out of SpawnSyncOptions.
  const options: SpawnSyncOptionsWithStringEncoding & { readonly detached: boolean } = {
    encoding: "utf8",
    timeout: limits.timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: limits.maxBuffer,
    stdio: ["ignore", "pipe", "pipe"],
    detached: GROUPS,
  };
  const run = spawnSync(command, args, options);
  const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
  // On a timeout (or too much output) spawnSync stopped the program itself;
  // what it started lives on in its group.
  if (run.error !== undefined && run.pid > 0) killGroup(run.pid);
  return {
    ...(run.error !== undefined && !timedOut ? { error: run.error } : {}),
    status: run.status,
    signal: run.signal,
    stdout: run.stdout ?? "",
    stderr: run.stderr ?? "",
    timedOut,
  };
}

/** Runs `command` with `args` to the end or the limit, without blocking the event loop. */
export function runToolAsync(
  command: string,
  args: readonly string[],
  limits: ToolLimits,
): Promise<ToolRun> {
  return new Promise<ToolRun>((done) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: GROUPS });
    const out = collector(limits.maxBuffer);
    const err = collector(limits.maxBuffer);
    child.stdout.setEncoding("utf8").on("data", out.add);
    child.stderr.setEncoding("utf8").on("data", err.add);
    let timedOut = false;
    let startError: Error | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      // The group, not the program alone: a child holding the pipes open would keep `close` away.
      if (GROUPS) killGroup(child.pid);
      else child.kill("SIGKILL");
    }, limits.timeoutMs);
    child.on("error", (error) => {
      startError = error;
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      done({
        ...(startError !== undefined && !timedOut ? { error: startError } : {}),
        status,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
      });
    });
  });
}

/** Output kept up to `limit` characters, the rest dropped. */
function collector(limit: number): { add: (chunk: string) => void; text: () => string } {
  let kept = "";
  return {
    add: (chunk) => {
      if (kept.length < limit) kept += chunk.slice(0, limit - kept.length);
    },
    text: () => kept,
  };
}
