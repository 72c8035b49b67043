/**
 * What differs between Node release lines, checked on whichever Node runs
 * the suite (.ci/run runs it on every pinned version): the package can be
 * `require()`d where Node can require ES modules, the native back-end
 * compiles against the running Node's own headers, and the benchmark's V8
 * flags are ones this Node accepts. (`npm test` builds dist/ first.)
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { requiredNodeFlags } from "../bench/options.js";
import { native } from "../src/backends/native/index.js";
import { toolchain } from "../src/backends/native/toolchain.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "exprjit-node-versions-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs this Node with `args` in `cwd`; its exit status and output. */
function node(args: readonly string[], cwd = work) {
  const run = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe(`on Node ${process.version}`, () => {
  // A consumer's project with exprjit installed (as a link to this checkout).
  const consumer = join(work, "consumer");
  mkdirSync(join(consumer, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(consumer, "node_modules", "exprjit"), "dir");

  it("imports the package by name", () => {
    const script = `import("exprjit").then((m) => console.log(m.compile("x * 2 + 1").evaluate({ x: 20 })))`;
    expect(node(["-e", script], consumer)).toMatchObject({ status: 0, stdout: "41\n" });
  });

  // require() of an ES module: unflagged from Node 20.19 and 22.12; before
  // that Node refuses it with ERR_REQUIRE_ESM, which is the expected error.
  it("require()s the package by name where Node can require ES modules", () => {
    const script = [
      "let m;",
      'try { m = require("exprjit"); } catch (e) { console.log(e.code); process.exit(0); }',
      'import("exprjit").then((esm) => console.log(m.compile("x * 2 + 1").evaluate({ x: 20 }), m.compile === esm.compile));',
    ].join("\n");
    const want = process.features.require_module === true ? "41 true\n" : "ERR_REQUIRE_ESM\n";
    expect(node(["-e", script], consumer)).toMatchObject({ status: 0, stdout: want });
  });

  it.skipIf(!native.availability().available)(
    "the native back-end compiles against this Node's own headers",
    () => {
      const saved = process.env.EXPRJIT_CACHE_DIR;
      process.env.EXPRJIT_CACHE_DIR = join(work, "native-cache");
      try {
        const { includeDir } = toolchain();
        expect(includeDir).toBe(join(dirname(process.execPath), "..", "include", "node"));
        const header = readFileSync(join(includeDir, "node_version.h"), "utf8");
        const part = (name: string) =>
          header.match(new RegExp(`^#define NODE_${name}_VERSION (\\d+)$`, "m"))?.[1];
        const version = ["MAJOR", "MINOR", "PATCH"].map(part).join(".");
        expect(version).toBe(process.versions.node);
      } finally {
        if (saved === undefined) delete process.env.EXPRJIT_CACHE_DIR;
        else process.env.EXPRJIT_CACHE_DIR = saved;
      }
    },
  );

  it("accepts the benchmark's flags, and gc() is there under them", () => {
    const flags = requiredNodeFlags();
    expect(flags.slice(0, 2)).toEqual(["--expose-gc", "--no-compilation-cache"]);
    expect(flags[2]).toMatch(/^--no-wasm-native-module-cache(-enabled)?$/);
    const run = node([...flags, "-e", "console.log(typeof gc)"]);
    expect(run).toEqual({ status: 0, stdout: "function\n", stderr: "" });
  });
});
