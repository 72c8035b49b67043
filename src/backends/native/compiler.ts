/**
 * Finding and identifying the C compiler, and Node's headers: the flags
 * every build uses, the compiler (`CC` as a program name or path, no
 * arguments; else the first of `cc`, `gcc`, `clang` on PATH), and its
 * identity (its `--version` output, part of every cache key).
 *
 * The identity is itself kept in the cache under the executable's real
 * path, size, inode and modification time, so a process that finds its
 * formula in the cache never starts the compiler.
 */

import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { readNote, writeAtomically } from "./cache.js";
import { ToolchainError } from "./failure.js";
import { LIBM_TRANSCENDENTALS } from "./runtime.js";
import { runToolSync } from "./spawn.js";

/**
 * Flags that decide results. `-ffp-contract=off`: no fused multiply-add
 * (it rounds once where JS rounds twice). Never `-ffast-math`: it allows
 * reassociation and ignores NaN and -0. `-fno-math-errno` only stops libm
 * calls from setting `errno` (so `sqrt` becomes one instruction); it changes
 * no value.
 */
export const CODE_FLAGS = ["-std=c11", "-O2", "-ffp-contract=off", "-fno-math-errno"] as const;

/** See LIBM_TRANSCENDENTALS: libm's answer at run time, never the compiler's at build time. */
const NO_FOLDING = LIBM_TRANSCENDENTALS.map((name) => `-fno-builtin-${name}`);

/** Flags that make a loadable shared object (Node-API symbols resolve against node itself). */
const LINK_FLAGS: readonly string[] =
  process.platform === "darwin"
    ? ["-fPIC", "-shared", "-undefined", "dynamic_lookup"]
    : ["-fPIC", "-shared"];

/**
 * Above this many operations a function is compiled with `-O0`: GCC's
 * optimiser is superlinear in the size of one function (measured here on
 * sums of 10k, 20k and 80k operands: 1.6 s, 8 s and 3 minutes at -O2, 3 s for
 * 80k at -O0, and -O1 is no better). The optimisation level changes no
 * result: without -ffast-math, and with contraction off, every operation is
 * the IEEE one at any level.
 */
export const OPTIMIZED_OPERATIONS = 10_000;

/** The flags that decide the code of a function with `operations` operations. */
export function codeFlags(operations: number): readonly string[] {
  return operations > OPTIMIZED_OPERATIONS
    ? CODE_FLAGS.map((flag) => (flag === "-O2" ? "-O0" : flag))
    : CODE_FLAGS;
}

/** Every flag given to the compiler for a function of `operations` operations, in order (the include path comes after). */
export function compilerFlags(operations: number): readonly string[] {
  return [...codeFlags(operations), ...NO_FOLDING, ...LINK_FLAGS];
}

/** The flags of an ordinary function. */
export const FLAGS: readonly string[] = compilerFlags(0);

/** Time limit for `cc --version`. */
const PROBE_TIMEOUT_MS = 10_000;

/** Refuses platforms where building an addon needs more than a C compiler. */
export function supportedPlatform(): void {
  if (process.platform === "win32") {
    throw new ToolchainError(
      "building Node-API addons on Windows (node.lib, MSVC) is not supported",
    );
  }
}

/** Node's own headers, installed under the Node prefix's include/node. */
export function nodeHeaders(): string {
  const dir = join(dirname(process.execPath), "..", "include", "node");
  if (!existsSync(join(dir, "node_api.h"))) {
    throw new ToolchainError(
      `Node's C headers are missing (no node_api.h in ${dir}); install Node with its headers`,
    );
  }
  return dir;
}

/** `CC` if set, else the first of cc, gcc, clang on PATH. */
export function findCompiler(): string {
  const configured = process.env.CC;
  if (configured !== undefined && configured.trim() !== "") {
    const found = findExecutable(configured.trim());
    if (found === undefined) {
      throw new ToolchainError(`CC is set to '${configured}', which is not an executable program`);
    }
    return found;
  }
  for (const name of ["cc", "gcc", "clang"]) {
    const found = findExecutable(name);
    if (found !== undefined) return found;
  }
  throw new ToolchainError("no C compiler found (set CC, or install cc, gcc or clang)");
}

/** A path as given, or a bare name looked up on PATH; undefined if not executable. */
function findExecutable(name: string): string | undefined {
  const candidates = name.includes("/")
    ? [name]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, name));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The executable as a file: real path, size, inode, modification time. It
 * changes when the compiler is replaced or upgraded, and costs no process.
 */
export function compilerFingerprint(compiler: string): string {
  try {
    const real = realpathSync(compiler);
    const stat = statSync(real, { bigint: true });
    return [real, stat.size, stat.ino, stat.mtimeNs].join("\n");
  } catch {
    throw new ToolchainError(`the C compiler ${compiler} has gone`);
  }
}

/**
 * The compiler's identity (real path and `--version` output), read from the
 * cache when the same executable was asked before; otherwise run once and
 * remembered.
 */
export function compilerIdentity(compiler: string, cacheDir: string): string {
  const fingerprint = compilerFingerprint(compiler);
  const note = `compiler-${sha256(fingerprint)}.txt`;
  const known = readNote(cacheDir, note);
  if (known !== undefined && known !== "") return known;
  const run = runToolSync(compiler, ["--version"], {
    timeoutMs: PROBE_TIMEOUT_MS,
    maxBuffer: 1024 * 1024,
  });
  if (run.error !== undefined || run.timedOut || run.status !== 0) {
    const why =
      run.error?.message ??
      (run.timedOut
        ? `it took longer than ${PROBE_TIMEOUT_MS / 1000} s and was stopped`
        : run.stderr.trim() || `exit status ${run.status}`);
    throw new ToolchainError(`the C compiler ${compiler} does not work: ${why}`);
  }
  const identity = `${fingerprint.split("\n")[0]}\n${run.stdout.trim()}`;
  try {
    writeAtomically(join(cacheDir, note), identity);
  } catch {
    // A read-only cache: the next process asks the compiler again.
  }
  return identity;
}

/** The compiler's name and version as `explain` shows it. */
export function compilerVersion(identity: string, compiler: string): string {
  return identity.split("\n")[1] ?? compiler;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
