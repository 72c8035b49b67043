/**
 * Once per test run: a private, temporary native cache for every worker
 * (EXPRJIT_CACHE_DIR, inherited by workers and the child processes tests
 * start), removed at the end, so a run neither reads nor grows the user's
 * shared cache. With EXPRJIT_TEST_CACHE_REPORT set, the cache's size is
 * printed before it goes.
 */

import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "exprjit-test-cache-"));
  process.env.EXPRJIT_CACHE_DIR = dir;
  return () => {
    if (process.env.EXPRJIT_TEST_CACHE_REPORT !== undefined) {
      const names = readdirSync(dir);
      let bytes = 0;
      for (const name of names) bytes += statSync(join(dir, name)).size;
      console.log(`native test cache: ${names.length} files, ${bytes} bytes`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
