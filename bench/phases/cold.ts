/**
 * First compiles for back-ends with a disk cache (native): in-process, a
 * repeat compile is a cache hit (the C compiler does not run; that is the
 * `<id>/cached` figure of phase 2), so here each sample is a child process
 * with a fresh, empty cache directory, where every expression makes the
 * compiler run. These are the back-end's compile figures.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Progress } from "../progress.js";
import type { CompileCell } from "../results.js";
import { median } from "../stats.js";
import type { WorkloadExpr } from "../workload.js";

const CHILD = fileURLToPath(new URL("../cold-child.ts", import.meta.url));

/** Cold compile µs of `backend` for each expression: median over `samples` fresh processes. */
export function runColdCompile(
  backend: string,
  workload: readonly WorkloadExpr[],
  samples: number,
  progress: Progress,
): CompileCell[] {
  const runs: number[][] = [];
  for (let s = 0; s < samples; s++) {
    progress.step("cold compile", `${backend} in a fresh process with an empty cache`, s, samples);
    runs.push(
      coldRun(
        backend,
        workload.map((x) => x.source),
      ),
    );
  }
  return workload.map((expr, i) => ({
    engine: backend,
    expr: expr.id,
    us: median(runs.map((r) => r[i] as number)),
    rounds: runs.map((r) => r[i] as number),
  }));
}

function coldRun(backend: string, sources: readonly string[]): number[] {
  const cacheDir = mkdtempSync(path.join(tmpdir(), "exprjit-bench-cold-"));
  try {
    const child = spawnSync(process.execPath, [...process.execArgv, CHILD], {
      input: JSON.stringify({ backend, sources }),
      encoding: "utf8",
      env: { ...process.env, EXPRJIT_CACHE_DIR: cacheDir },
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      throw new Error(
        `cold compile of ${backend} failed: ${child.stderr.trim() || child.error?.message}`,
      );
    }
    return (JSON.parse(child.stdout) as { us: number[] }).us;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
