/**
 * The toolchain, each case in a fresh process with its own environment:
 * the cache spares the compiler in a second process (CC points at a
 * script that records its calls), a compiler's error reaches the user, and
 * a missing compiler or a non-private cache makes the back-end unavailable
 * with a reason.
 */

import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { native } from "../../../src/backends/native/index.js";

const availability = native.availability();
const work = mkdtempSync(join(tmpdir(), "exprjit-native-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const child = fileURLToPath(new URL("./child.ts", import.meta.url));

interface ChildResult {
  readonly availability: { available: boolean; reason?: string };
  readonly value?: number;
  readonly how?: string;
  readonly error?: { kind: string; message: string };
}

/** Runs child.ts with `env` added to this process's environment. */
function runChild(env: Record<string, string>, source: string, ...values: number[]): ChildResult {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", child, source, ...values.map(String)],
    {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || line === "") throw new Error(`child failed: ${run.stderr}`);
  return JSON.parse(line) as ChildResult;
}

/** A shell script standing in for the compiler: logs its arguments, then runs `body`. */
function fakeCompiler(name: string, body: string): string {
  const path = join(work, name);
  writeFileSync(path, `#!/bin/sh\necho "$*" >> "${path}.log"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function calls(compiler: string): string[] {
  try {
    return readFileSync(`${compiler}.log`, "utf8").trim().split("\n");
  } catch {
    return [];
  }
}

describe.skipIf(!availability.available)("native toolchain", () => {
  it("loads a formula compiled by an earlier process without running the compiler", () => {
    const cc = fakeCompiler("recording-cc", 'exec cc "$@"');
    const env = { CC: cc, EXPRJIT_CACHE_DIR: join(work, "cache-recording") };
    expect(runChild(env, "x * 3 + 1", 2).value).toBe(7);
    // Its identity, the probe building 1+1, then the formula.
    const first = calls(cc);
    expect(first).toHaveLength(3);
    expect(first[0]).toBe("--version");
    expect(first[1]).toContain("-ffp-contract=off");
    expect(first[2]).toContain("-ffp-contract=off");

    // A new process, the same formula (other variable names give the same C): no call at all.
    const again = runChild(env, "y * 3 + 1", 5);
    expect(again.value).toBe(16);
    expect(again.how).toMatch(/^loaded from the cache/);
    expect(calls(cc)).toEqual(first);

    // Another formula compiles, but the compiler's identity and the probe come from the cache.
    expect(runChild(env, "x * 4", 2).value).toBe(8);
    expect(calls(cc)).toHaveLength(4);
    expect(calls(cc)[3]).not.toBe("--version");
  });

  it("is unavailable with the compiler's own message when the compiler cannot build 1+1", () => {
    const cc = fakeCompiler(
      "failing-cc",
      'if [ "$1" = --version ]; then echo "fake cc 1.0"; exit 0; fi\necho "fake-cc: fatal error: disk full" >&2\nexit 1',
    );
    const result = runChild({ CC: cc, EXPRJIT_CACHE_DIR: join(work, "cache-failing") }, "x + 1", 1);
    expect(result.availability.available).toBe(false);
    expect(result.availability.reason).toContain("fake-cc: fatal error: disk full");
    expect(result.error?.kind).toBe("backend");
    expect(result.error?.message).toContain("fake-cc: fatal error: disk full");
  });

  it("probes once per compiler: a second process importing the library runs nothing", () => {
    const cc = fakeCompiler("import-cc", 'exec cc "$@"');
    const cache = join(work, "cache-import");
    const script = `import(${JSON.stringify(fileURLToPath(new URL("../../../src/index.ts", import.meta.url)))}).then((m) => console.log(m.backends.join(",")))`;
    const importing = () =>
      spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
        env: { ...process.env, CC: cc, EXPRJIT_CACHE_DIR: cache },
        encoding: "utf8",
        timeout: 60_000,
      });
    expect(importing().stdout).toContain("native");
    const first = calls(cc);
    expect(first.length).toBeLessThanOrEqual(2);
    expect(importing().stdout).toContain("native");
    expect(calls(cc)).toEqual(first);
  });

  it("is unavailable, saying why, when CC names no program", () => {
    const result = runChild(
      { CC: join(work, "no-such-cc"), EXPRJIT_CACHE_DIR: join(work, "c1") },
      "x",
      1,
    );
    expect(result.availability.available).toBe(false);
    expect(result.availability.reason).toContain("not an executable program");
    expect(result.error?.kind).toBe("backend");
    expect(result.error?.message).toContain("not an executable program");
  });

  it("is unavailable when no compiler is on PATH", () => {
    const result = runChild(
      { CC: "", PATH: join(work, "empty"), EXPRJIT_CACHE_DIR: join(work, "c2") },
      "x",
      1,
    );
    expect(result.availability.reason).toBe(
      "no C compiler found (set CC, or install cc, gcc or clang)",
    );
  });

  it("refuses a cache directory other users can write to", () => {
    const open = join(work, "open-cache");
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    const result = runChild({ EXPRJIT_CACHE_DIR: open }, "x", 1);
    expect(result.availability.available).toBe(false);
    expect(result.availability.reason).toContain("must have mode 0700");
  });
});
