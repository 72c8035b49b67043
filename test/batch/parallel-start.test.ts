/**
 * Parallel batches start their workers whichever way the process was
 * started (issue 20, defect 3): `--input-type=module` with `-e` or a
 * script on standard input, `-p`, `-e`, and an `--import` loader. Each
 * case is a fresh `node` running the built package (`dist/`).
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workerExecArgv } from "../../src/api/worker-argv.js";

const INDEX = new URL("../../dist/index.js", import.meta.url).href;

/** A module-mode script that runs one parallel batch and prints its first and last rows. */
const SCRIPT = `
const { compile, closeBatchWorkers } = await import(${JSON.stringify(INDEX)});
const f = compile("x * 2 + 1", { backend: "vm" });
const out = await f.evaluateBatchParallel({ x: new Float64Array(1 << 17).fill(3) }, { workers: 2 });
console.log("rows", out[0], out[out.length - 1]);
await closeBatchWorkers();
`;

/** The same as an expression, for `-p` and CommonJS `-e` (no top-level await). */
const EXPRESSION = `import(${JSON.stringify(INDEX)}).then(async (m) => {
  const out = await m.compile("x * 2 + 1", { backend: "vm" })
    .evaluateBatchParallel({ x: new Float64Array(1 << 17).fill(3) }, { workers: 2 });
  console.log("rows", out[0], out[out.length - 1]);
  await m.closeBatchWorkers();
}) && ""`;

const dir = mkdtempSync(join(tmpdir(), "exprjit-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loader = join(dir, "loader.mjs");
writeFileSync(loader, "globalThis.exprjitLoaderRan = true;\n");
const script = join(dir, "script.mjs");
writeFileSync(script, SCRIPT);

const CASES: readonly (readonly [string, readonly string[], string | undefined])[] = [
  ["--input-type=module -e", ["--input-type=module", "-e", SCRIPT], undefined],
  ["--input-type=module with the script on stdin", ["--input-type=module"], SCRIPT],
  ["--input-type=module - with the script on stdin", ["--input-type=module", "-"], SCRIPT],
  ["-p", ["-p", EXPRESSION], undefined],
  ["-e", ["-e", EXPRESSION], undefined],
  ["--import a loader", ["--import", loader, script], undefined],
];

describe("parallel batch workers start", () => {
  it.each(CASES)("under node %s", (_, args, input) => {
    const run = spawnSync(process.execPath, args, { encoding: "utf8", input, timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")).toContain("rows 7 7");
    expect(run.status).toBe(0);
  });
});

describe("workerExecArgv", () => {
  it("drops what says how the main program was given, keeps the rest with their values", () => {
    expect(
      workerExecArgv([
        "--input-type=module",
        "--input-type",
        "commonjs",
        "-e",
        "code",
        "--print=1",
        "-pe",
        "1+1",
        "--import",
        "-e",
        "--max-old-space-size=100",
        "-r",
        "tsx/cjs",
        "--test",
        "--test-reporter=spec",
        "--watch",
        "--watch-path=src",
        "-",
        "--conditions",
        "dev",
      ]),
    ).toEqual([
      "--import",
      "-e",
      "--max-old-space-size=100",
      "-r",
      "tsx/cjs",
      "--conditions",
      "dev",
    ]);
  });
});
