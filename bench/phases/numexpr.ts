/**
 * numexpr (Python), the batch peer of phase 5, run as a child process on
 * the same inputs: the columns go through a private temporary file, the
 * formulas in numexpr's dialect on stdin, the figures back as JSON
 * (numexpr-runner.py). Used only when a Python with numexpr is found
 * (`EXPRJIT_PYTHON`, else `python3`, else the system's `/usr/bin/python3`,
 * which is where Debian's python3-numexpr installs it).
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkloadExpr } from "../workload.js";

/** What phase 5 needs from numexpr: the thread counts to try and a way to time a workload. */
export interface NumexprRun {
  readonly version: string;
  readonly threads: readonly number[];
  run(
    workload: readonly WorkloadExpr[],
    inputs: { x: Float64Array; y: Float64Array },
    threads: number,
    targetNs: number,
  ): Promise<{ nsPerRow: Record<string, number>; notes: string[] }>;
}

const RUNNER = fileURLToPath(new URL("../numexpr-runner.py", import.meta.url));

/** The formula in numexpr's dialect, or undefined when numexpr has no batch meaning for it. */
export function numexprText(expr: WorkloadExpr): string | undefined {
  // A constant gives numexpr a single number, not a column: nothing to compare.
  if (!/[xy]/.test(expr.source)) return undefined;
  const special: Record<string, string> = {
    e15: "abs(x - y) + where(x < y, x, y) * where(x > y, x, y)",
    e17: "where(x < y, x * y, where((x > 2) & (y > 2), x - y, x + y))",
  };
  return (
    special[expr.id] ?? expr.source.replaceAll("^", "**").replaceAll("pi", "3.141592653589793")
  );
}

/** A Python that imports numexpr, and its numexpr version; undefined (with why) when none. */
export function findNumexpr(): { python: string; version: string } | { missing: string } {
  const candidates = [process.env.EXPRJIT_PYTHON, "python3", "/usr/bin/python3"].filter(
    (p): p is string => p !== undefined && p !== "",
  );
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import numexpr; print(numexpr.__version__)"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return {
    missing: "numexpr (Python) not found: install python3-numexpr, or set EXPRJIT_PYTHON",
  };
}

/** numexpr through `python`, with 1 thread and with `cores`. */
export function numexprRun(python: string, version: string, cores: number): NumexprRun {
  return {
    version,
    threads: cores > 1 ? [1, cores] : [1],
    async run(workload, inputs, threads, targetNs) {
      const notes: string[] = [];
      const formulas: [string, string][] = [];
      for (const expr of workload) {
        const text = numexprText(expr);
        if (text === undefined) notes.push(`numexpr: ${expr.id} skipped (a constant: no column)`);
        else formulas.push([expr.id, text]);
      }
      const dir = mkdtempSync(join(tmpdir(), "exprjit-numexpr-"));
      try {
        const file = join(dir, "columns.f64");
        const n = inputs.x.length;
        const both = new Float64Array(2 * n);
        both.set(inputs.x);
        both.set(inputs.y, n);
        writeFileSync(file, new Uint8Array(both.buffer), { mode: 0o600 });
        const child = spawnSync(
          python,
          [RUNNER, file, String(threads), String(Math.max(targetNs, 1e6) / 1e9)],
          { input: JSON.stringify(formulas), encoding: "utf8", timeout: 600_000 },
        );
        if (child.status !== 0) {
          throw new Error(`numexpr runner failed: ${child.stderr.trim() || child.error?.message}`);
        }
        const parsed = JSON.parse(child.stdout) as { nsPerRow: Record<string, number> };
        return { nsPerRow: parsed.nsPerRow, notes };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
