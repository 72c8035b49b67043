/**
 * Making the native cache directory reports the file system's own reason
 * (issue 20, defect 9): under a read-only mount Node's recursive mkdir says
 * ENOENT, so the directories are made one at a time. `node:fs` is wrapped
 * here to behave as such a mount does (a mount needs privileges a test
 * does not have): making a directory under READ_ONLY fails with EROFS, and
 * a recursive mkdir there reports ENOENT, as Node's does.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const work = mkdtempSync(join(tmpdir(), "exprjit-directory-"));
const READ_ONLY = join(work, "mount");
afterAll(() => rmSync(work, { recursive: true, force: true }));

vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  const fail = (code: string, path: string) =>
    Object.assign(new Error(`${code}: injected, mkdir '${path}'`), { code, path });
  return {
    ...fs,
    mkdirSync: (path: string, options?: { recursive?: boolean; mode?: number }) => {
      if (String(path).startsWith(READ_ONLY)) {
        throw fail(options?.recursive === true ? "ENOENT" : "EROFS", String(path));
      }
      return fs.mkdirSync(path, options);
    },
  };
});

const { cacheDirectory } = await import("../../../src/backends/native/directory.js");

describe("creating the cache directory", () => {
  it("reports a read-only file system as EROFS, naming where", () => {
    const dir = join(READ_ONLY, "a", "cache");
    vi.stubEnv("EXPRJIT_CACHE_DIR", dir);
    try {
      expect(() => cacheDirectory(true)).toThrow(
        `cannot create the cache directory ${dir} (at ${READ_ONLY}): the file system is read-only (EROFS)`,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("makes every missing directory, mode 0700", async () => {
    const { statSync } = await import("node:fs");
    const dir = join(work, "fresh", "deeper", "cache");
    vi.stubEnv("EXPRJIT_CACHE_DIR", dir);
    try {
      expect(cacheDirectory(true)).toBe(dir);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(work, "fresh")).mode & 0o777).toBe(0o700);
      expect(cacheDirectory(true)).toBe(dir);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
