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
import { withoutRefused, workerExecArgv } from "../../src/api/worker-argv.js";

const INDEX = new URL("../../dist/index.js", import.meta.url).href;

/**
 * A formula costly enough per row (about a microsecond), over shared
 * columns, that the batch always hands rows to a worker: the worker must
 * start. Every row is 12 * sin(0) * exp(0) + 1 = 1.
 */
const FORMULA = Array.from({ length: 12 }, (_, i) => `sin(x * ${i + 1}) * exp(x / ${i + 2})`).join(
  " + ",
);
const BODY = `
  const n = 1 << 17;
  const x = new Float64Array(new SharedArrayBuffer(n * 8));
  const out = new Float64Array(new SharedArrayBuffer(n * 8));
  await m.compile(${JSON.stringify(`${FORMULA} + 1`)}, { backend: "vm" }).evaluateBatchParallel({ x }, { out, workers: 2 });
  console.log("rows", out[0], out[n - 1]);
  await m.closeBatchWorkers();
`;

/** A module-mode script that runs one parallel batch and prints its first and last rows. */
const SCRIPT = `const m = await import(${JSON.stringify(INDEX)});\n${BODY}`;

/** The same as an expression, for `-p` and CommonJS `-e` (no top-level await). */
const EXPRESSION = `import(${JSON.stringify(INDEX)}).then(async (m) => {${BODY}}) && ""`;

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
  [
    "V8 flags beside --input-type=module -e",
    ["--expose-gc", "--max-old-space-size=200", "--input-type=module", "-e", SCRIPT],
    undefined,
  ],
  ["V8 flags alone", ["--expose-gc", "--no-compilation-cache", script], undefined],
];

describe("parallel batch workers start", () => {
  it.each(CASES)("under node %s", (_, args, input) => {
    const run = spawnSync(process.execPath, args, { encoding: "utf8", input, timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")).toContain("rows 1 1");
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

describe("withoutRefused", () => {
  it("leaves out the options Node's message lists, and nothing else", () => {
    const message =
      "Initiated Worker with invalid execArgv flags: --expose-gc, --max-old-space-size=100";
    expect(
      withoutRefused(["--expose-gc", "--import", "x", "--max-old-space-size=100"], message),
    ).toEqual(["--import", "x"]);
    expect(withoutRefused(["--import", "x"], message)).toBeUndefined();
    expect(withoutRefused(["--expose-gc"], "something else")).toBeUndefined();
  });
});
