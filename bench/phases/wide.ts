/**
 * Part of phase 2, compile: wide calls. µs from source to first result for
 * `hypot(x, x + 1, …)` with 125, 250, 500 and 1,000 arguments (1,000 is
 * the most one call may take, LANGUAGE.md "Limits"), on each exprjit
 * back-end, so the report shows how compile time grows with the width of
 * one call: doubling the width should about double the time.
 *
 * Each sample is a fresh process (wide-child.ts) with an empty compile
 * cache directory, so a width pays whatever it costs the first time (V8
 * compiling a wrapper for a new arity, the C compiler running), as a
 * program compiling one such expression would.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Progress } from "../progress.js";
import type { WideCallCell } from "../results.js";
import { median } from "../stats.js";

const CHILD = fileURLToPath(new URL("../wide-child.ts", import.meta.url));

/** The function whose calls are widened. */
export const WIDE_FUNCTION = "hypot";

/** The numbers of arguments measured. */
export const WIDE_WIDTHS: readonly number[] = [125, 250, 500, 1000];

/** `hypot(x, x + 1, …, x + width - 1)`: every argument computed, none folded. */
export function wideCall(width: number): string {
  const args = Array.from({ length: width }, (_, i) => (i === 0 ? "x" : `x + ${i}`));
  return `${WIDE_FUNCTION}(${args.join(", ")})`;
}

/** µs per back-end and width: the median over `samples` fresh processes. */
export function runWideCalls(
  backends: readonly string[],
  widths: readonly number[],
  samples: number,
  progress: Progress,
): WideCallCell[] {
  const runs: number[][][] = [];
  for (let s = 0; s < samples; s++) {
    progress.step("wide calls", `${backends.join(", ")} in a fresh process`, s, samples);
    runs.push(childRun(backends, widths));
  }
  return backends.flatMap((engine, b) =>
    widths.map((width, w) => {
      const rounds = runs.map((run) => run[b]?.[w] as number);
      return { engine, width, us: median(rounds), rounds };
    }),
  );
}

/**
 * This process's Node flags for the child, with the TypeScript loader the
 * child's source needs: `npm run bench` has it, a test runner's worker may not.
 */
function childFlags(): string[] {
  const flags = [...process.execArgv];
  return flags.some((flag) => flag.includes("tsx")) ? flags : [...flags, "--import", "tsx"];
}

function childRun(backends: readonly string[], widths: readonly number[]): number[][] {
  const cacheDir = mkdtempSync(path.join(tmpdir(), "exprjit-bench-wide-"));
  try {
    const child = spawnSync(process.execPath, [...childFlags(), CHILD], {
      input: JSON.stringify({ backends, widths }),
      encoding: "utf8",
      env: { ...process.env, EXPRJIT_CACHE_DIR: cacheDir },
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      throw new Error(`wide calls failed: ${child.stderr.trim() || child.error?.message}`);
    }
    return (JSON.parse(child.stdout) as { us: number[][] }).us;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
