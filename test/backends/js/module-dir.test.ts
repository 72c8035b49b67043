/**
 * `load: "module"` writes its module only where native would keep its
 * cache (issue 20, defect 8): under a temporary directory other users can
 * write to (mode 0777, not sticky) it refuses, with the same check and
 * the same words as the native back-end's cache directory.
 */

import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { writePrivateModule } from "../../../src/backends/js/module.js";
import { compileAsync, ExprBackendError } from "../../../src/index.js";

const work = mkdtempSync(join(tmpdir(), "exprjit-module-dir-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(process.platform !== "win32")("the module's temporary directory", () => {
  it("is refused inside a directory every user can write to", async () => {
    const made = mkdtempSync(join(work, "open-"));
    chmodSync(made, 0o777);
    vi.stubEnv("TMPDIR", made);
    try {
      expect(() => writePrivateModule("export const a = 1;\n")).toThrow(
        `the module directory ${join(made, "exprjit-js-XXXXXX")} is inside ${made}, which other users can write to; use a directory only you can write to`,
      );
      const error = await compileAsync("x + 1", { backend: "js", load: "module" }).catch((e) => e);
      expect(error).toBeInstanceOf(ExprBackendError);
      expect((error as Error).message).toContain("which other users can write to");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("is accepted in a sticky one, such as /tmp", async () => {
    const sticky = mkdtempSync(join(work, "sticky-"));
    chmodSync(sticky, 0o1777);
    vi.stubEnv("TMPDIR", sticky);
    try {
      const compiled = await compileAsync("x + 1", { backend: "js", load: "module" });
      expect(compiled.evaluate({ x: 1 })).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
