/**
 * Nothing in the library depends on a global a program may replace after
 * importing it (issue: with Math.floor replaced, wasm looped until V8 ran
 * out of memory). For every back-end, a fresh process (globals-child.ts)
 * replaces every function of Math, Number, Object, Array, JSON, Reflect,
 * String and Date with one that throws, then compiles and runs programs
 * it has not compiled before, through every entry (batches, parallel,
 * constants and functions, environments, the generated evaluate entry):
 * same results, no error. A child process,
 * because the test runner itself needs those globals; it restores them
 * before it prints.
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "../support/backends.js";

const child = fileURLToPath(new URL("./globals-child.ts", import.meta.url));

interface ChildResult {
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly failure?: string;
}

function runChild(...args: string[]): ChildResult {
  const run = spawnSync(process.execPath, ["--import", "tsx", child, ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || line === "") throw new Error(`child failed: ${run.stderr}`);
  return JSON.parse(line) as ChildResult;
}

/** [label, child arguments]: every back-end, and js loading through a module too. */
const CASES: readonly (readonly [string, readonly string[]])[] = [
  ...BACKENDS.map((b) => [b.name, [b.name]] as const),
  ...(BACKENDS.some((b) => b.name === "js") ? [["js (module)", ["js", "module"]] as const] : []),
];

describe("replaced globals after import", () => {
  it.each(CASES)("change nothing on %s", (_, args) => {
    const result = runChild(...args);
    expect(result.failure).toBeUndefined();
    expect(result.after).toEqual(result.before);
    expect(result.before).toHaveLength(15 + 18);
  });
});
