/**
 * Whether native really works here: the cheap checks (toolchain.ts), then
 * building, loading and running `1+1` with the compiler found. A compiler
 * that is there but cannot build (a failing `CC`, a `cc` without its
 * assembler, one that writes nothing or garbage) makes the back-end
 * unavailable, with the compiler's reason.
 *
 * When it runs: on the first `availability()` call in a process, not at
 * import. A success is remembered in the cache under the compiler's
 * executable (real path, size, inode, modification time), PATH and Node's
 * version, so later processes with the same compiler start no process to
 * know. A failure is remembered for this process only: it often comes from
 * the environment (PATH, a missing assembler), and fixing that must not
 * need a cache cleared.
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { binaryNode, numberNode } from "../../semantics/nodes.js";
import type { Program } from "../../semantics/program.js";
import { generateAddon } from "./addon.js";
import { buildScratch } from "./build.js";
import { readNote, writeAtomically } from "./cache.js";
import { compilerFingerprint, FLAGS, findCompiler } from "./compiler.js";
import { cacheDirectory } from "./directory.js";
import { ToolchainError } from "./failure.js";
import { loadAddon } from "./load.js";
import { ABI_TAG } from "./runtime.js";
import { quickCheck, toolchain } from "./toolchain.js";

/** `1+1`, resolved by hand: the back-end may not reach up into the front end. */
const ONE_PLUS_ONE: Program = {
  source: "1+1",
  bindings: [],
  results: [
    {
      name: "",
      value: binaryNode(
        "+",
        numberNode(1, { start: 0, end: 1 }),
        numberNode(1, { start: 2, end: 3 }),
        { start: 0, end: 3 },
      ),
    },
  ],
  variables: [],
  firstUse: [],
  definitions: [],
  hosts: [],
  userNames: [],
  depth: 2,
};

let verdict: ToolchainError | null | undefined;

/** Throws ToolchainError unless native can build and run `1+1` here. */
export function probe(): void {
  if (verdict === undefined) {
    try {
      quickCheck();
      check();
      verdict = null;
    } catch (error) {
      verdict =
        error instanceof ToolchainError
          ? error
          : new ToolchainError(error instanceof Error ? error.message : String(error));
    }
  }
  if (verdict !== null) throw verdict;
}

function check(): void {
  const note = `probe-${noteKey(findCompiler())}.txt`;
  const known = readNote(cacheDirectory(false), note);
  if (known === "ok\n") return;
  const tools = toolchain();
  const source = generateAddon(ONE_PLUS_ONE);
  const { arity, fingerprint } = source;
  const result = buildScratch(tools, source, (object) => loadAddon(object, arity, fingerprint)());
  if (result !== 2) {
    throw new ToolchainError(
      `the C compiler (${tools.compiler}) builds code that computes 1+1 = ${result}`,
    );
  }
  try {
    writeAtomically(join(tools.cacheDir, note), "ok\n");
  } catch {
    // A read-only cache: the next process probes again.
  }
}

/** Everything a success depends on, hashed. */
function noteKey(compiler: string): string {
  const parts = [
    ABI_TAG,
    compilerFingerprint(compiler),
    process.env.PATH ?? "",
    process.version,
    process.arch,
    FLAGS.join(" "),
  ];
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}
