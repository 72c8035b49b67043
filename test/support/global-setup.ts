/**
 * Once per test run: a private, temporary native cache for every worker
 * (EXPRJIT_CACHE_DIR, inherited by workers and the child processes tests
 * start), removed at the end, so a run neither reads nor grows the user's
 * shared cache. The price is a cold cache: every formula the suite runs on
 * native is compiled. EXPRJIT_TEST_CACHE_DIR names a directory to use (and
 * keep) instead, for a faster second run. With EXPRJIT_TEST_CACHE_REPORT
 * set, the cache's size is printed at the end.
 */

import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export default function setup(): () => void {
  const kept = process.env.EXPRJIT_TEST_CACHE_DIR;
  const dir =
    kept !== undefined && kept !== ""
      ? resolve(kept)
      : mkdtempSync(join(tmpdir(), "exprjit-test-cache-"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.EXPRJIT_CACHE_DIR = dir;
  return () => {
    if (process.env.EXPRJIT_TEST_CACHE_REPORT !== undefined) {
      const names = readdirSync(dir);
      let bytes = 0;
      for (const name of names) bytes += statSync(join(dir, name)).size;
      console.log(`native test cache: ${names.length} files, ${bytes} bytes`);
    }
    if (kept === undefined || kept === "") rmSync(dir, { recursive: true, force: true });
  };
}
