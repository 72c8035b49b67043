/**
 * A toolchain run past its time limit is ended with everything it started
 * (issue 20, defect 5): a `CC` script that starts `sleep 1000` leaves no
 * `sleep` running, sync or async, for builds and for the probe alike
 * (both go through src/backends/native/spawn.ts).
 */

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToolAsync, runToolSync } from "../../../src/backends/native/spawn.js";

const dir = mkdtempSync(join(tmpdir(), "exprjit-spawn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A script that starts a long sleep, notes its pid in `pidFile`, and waits for it. */
function hangingScript(name: string): { script: string; pidFile: string } {
  const script = join(dir, `${name}.sh`);
  const pidFile = join(dir, `${name}.pid`);
  writeFileSync(script, `#!/bin/sh\nsleep 1000 &\necho $! > '${pidFile}'\nwait\n`);
  chmodSync(script, 0o755);
  return { script, pidFile };
}

/** Whether `pid` still runs (a zombie waiting to be reaped has ended). */
function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

async function settled(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && running(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !running(pid);
}

const LIMITS = { timeoutMs: 400, maxBuffer: 1 << 20 } as const;

describe.runIf(process.platform === "linux")("a toolchain run past its limit", () => {
  it("is stopped with its children, sync", async () => {
    const { script, pidFile } = hangingScript("sync");
    const run = runToolSync(script, [], LIMITS);
    expect(run.timedOut).toBe(true);
    expect(run.error).toBeUndefined();
    expect(await settled(Number(readFileSync(pidFile, "utf8")))).toBe(true);
  });

  it("is stopped with its children, async", async () => {
    const { script, pidFile } = hangingScript("async");
    const started = Date.now();
    const run = await runToolAsync(script, [], LIMITS);
    expect(run.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await settled(Number(readFileSync(pidFile, "utf8")))).toBe(true);
  });

  it("reports output and status of a run that ends in time, and a program that cannot start", async () => {
    const ok = runToolSync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], LIMITS);
    expect([ok.status, ok.stdout, ok.stderr, ok.timedOut]).toEqual([3, "out\n", "err\n", false]);
    const okAsync = await runToolAsync("/bin/sh", ["-c", "echo out; exit 0"], LIMITS);
    expect([okAsync.status, okAsync.stdout, okAsync.timedOut]).toEqual([0, "out\n", false]);
    const missing = join(dir, "no-such-compiler");
    expect((runToolSync(missing, [], LIMITS).error as NodeJS.ErrnoException).code).toBe("ENOENT");
    const missingAsync = await runToolAsync(missing, [], LIMITS);
    expect((missingAsync.error as NodeJS.ErrnoException).code).toBe("ENOENT");
  });
});
