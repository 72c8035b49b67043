/**
 * `exprjit cache info|clear` (src/cli/cache.ts): one line per back-end with
 * a cache, read through the Backend interface; native's on a private
 * directory holding fake entries; a failing cache gives `error:` and 1.
 */

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Backend, BackendCache } from "../../src/backends/backend.js";
import { native } from "../../src/backends/native/index.js";
import { formatBytes, runCacheCommand } from "../../src/cli/cache.js";
import { ExprBackendError } from "../../src/errors.js";

const work = mkdtempSync(join(tmpdir(), "exprjit-cli-cache-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the command, collecting what it writes. */
function run(action: "info" | "clear", backends: readonly Backend[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = runCacheCommand(
    action,
    (t) => out.push(t),
    (t) => err.push(t),
    backends,
  );
  return { status, out, err };
}

/** `native`'s cache at `dir` while `work` runs. */
function withCacheDir<T>(dir: string, work: () => T): T {
  const saved = { dir: process.env.EXPRJIT_CACHE_DIR, max: process.env.EXPRJIT_CACHE_MAX_BYTES };
  process.env.EXPRJIT_CACHE_DIR = dir;
  process.env.EXPRJIT_CACHE_MAX_BYTES = "1048576";
  try {
    return work();
  } finally {
    process.env.EXPRJIT_CACHE_DIR = saved.dir;
    if (saved.max === undefined) delete process.env.EXPRJIT_CACHE_MAX_BYTES;
    else process.env.EXPRJIT_CACHE_MAX_BYTES = saved.max;
  }
}

describe("exprjit cache", () => {
  it("reports and clears native's cache", () => {
    const dir = join(work, "native");
    mkdirSync(dir, { mode: 0o700 });
    for (const key of ["1".repeat(64), "2".repeat(64)]) {
      writeFileSync(join(dir, `${key}.sum`), "r".repeat(100));
      writeFileSync(join(dir, `${key}-${"a".repeat(16)}.node`), "o".repeat(1000));
    }
    writeFileSync(join(dir, "someone-elses.txt"), "kept");
    withCacheDir(dir, () => {
      expect(run("info", [native])).toEqual({
        status: 0,
        out: [`native: 2 entries, 2.1 KiB in ${dir} (limit 1.0 MiB)`],
        err: [],
      });
      expect(run("clear", [native])).toEqual({
        status: 0,
        out: [`native: removed 2 entries from ${dir}`],
        err: [],
      });
      expect(readdirSync(dir)).toEqual(["someone-elses.txt"]);
      expect(run("info", [native]).out).toEqual([
        `native: 0 entries, 0 B in ${dir} (limit 1.0 MiB)`,
      ]);
    });
  });

  it("reports a cache that does not exist yet as empty, without creating it", () => {
    const dir = join(work, "not-yet");
    withCacheDir(dir, () => {
      expect(run("info", [native]).out).toEqual([
        `native: 0 entries, 0 B in ${dir} (limit 1.0 MiB)`,
      ]);
      expect(run("clear", [native]).out).toEqual([`native: removed 0 entries from ${dir}`]);
    });
    expect(() => readdirSync(dir)).toThrow();
  });

  it("refuses to clear a cache directory that fails its checks, with status 1", () => {
    const dir = join(work, "open");
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    withCacheDir(dir, () => {
      const result = run("clear", [native]);
      expect(result.status).toBe(1);
      expect(result.err).toEqual([
        `error: native: the cache directory ${dir} is open to other users; it must have mode 0700`,
      ]);
    });
  });

  it("lists only back-ends with a cache, and goes on after one fails", () => {
    const cache = (info: BackendCache["info"], clear: BackendCache["clear"]): BackendCache => ({
      info,
      clear,
    });
    const fake = (name: string, c?: BackendCache) => ({ ...native, name, cache: c }) as Backend;
    const backends = [
      fake("plain"),
      fake(
        "broken",
        cache(
          () => {
            throw new ExprBackendError("broken: cannot read", "");
          },
          () => 0,
        ),
      ),
      fake(
        "memo",
        cache(
          () => ({ location: "memory", entries: 1, bytes: 512 }),
          () => 1,
        ),
      ),
    ];
    expect(run("info", backends)).toEqual({
      status: 1,
      out: ["memo: 1 entry, 512 B in memory"],
      err: ["error: broken: cannot read"],
    });
  });

  it("writes sizes in binary units", () => {
    expect([0, 1023, 1024, 1536, 64 * 1024 * 1024].map(formatBytes)).toEqual([
      "0 B",
      "1023 B",
      "1.0 KiB",
      "1.5 KiB",
      "64.0 MiB",
    ]);
  });
});
