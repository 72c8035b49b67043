/**
 * The C toolchain of the `native` back-end: finding a compiler and Node's
 * headers, the private cache directory, and building an addon from C source
 * into that cache, keyed by a hash of everything that decides the bytes.
 *
 * The compiler is `CC` (a program name or path, no arguments), else the
 * first of `cc`, `gcc`, `clang` on PATH. It always runs through
 * spawnSync with an argument array (never a shell) and a time limit.
 *
 * Nothing here runs the compiler when it does not have to: the compiler's
 * identity (`--version` output) is itself cached on disk under the
 * executable's path, size, inode and modification time, so a second process
 * that finds its formula in the cache loads it without starting `cc` at all.
 */

import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { ABI_TAG, LIBM_TRANSCENDENTALS } from "./runtime.js";

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

/** Every flag given to the compiler, in order (the include path comes after). */
export const FLAGS: readonly string[] = [...CODE_FLAGS, ...NO_FOLDING, ...LINK_FLAGS];

/** Time limit for building one addon. */
const BUILD_TIMEOUT_MS = 60_000;
/** Time limit for `cc --version`. */
const PROBE_TIMEOUT_MS = 10_000;

/** A working toolchain. */
export interface Toolchain {
  /** The compiler as found (a path). */
  readonly compiler: string;
  /** Its `--version` output, part of every cache key. */
  readonly identity: string;
  /** Node's headers (holds node_api.h). */
  readonly includeDir: string;
  /** The private cache directory. */
  readonly cacheDir: string;
}

/** Raised by this module; the back-end turns it into an ExprBackendError. */
export class ToolchainError extends Error {
  override readonly name = "ToolchainError";
}

let probed: Toolchain | ToolchainError | undefined;

/**
 * The toolchain, found once per process (lazily). Throws ToolchainError
 * saying what is missing.
 */
export function toolchain(): Toolchain {
  probed ??= probe();
  if (probed instanceof ToolchainError) throw probed;
  return probed;
}

let checked: ToolchainError | null | undefined;

/**
 * The cheap part of the probe, for `availability()`: the platform, Node's
 * headers, a compiler on PATH, and the cache directory if it exists. It
 * runs nothing and creates nothing, since importing the library asks every
 * back-end whether it is available. Throws ToolchainError.
 */
export function quickCheck(): void {
  if (checked === undefined) {
    try {
      supportedPlatform();
      nodeHeaders();
      findCompiler();
      privateCacheDir(false);
      checked = null;
    } catch (error) {
      checked = error instanceof ToolchainError ? error : new ToolchainError(String(error));
    }
  }
  if (checked !== null) throw checked;
}

function probe(): Toolchain | ToolchainError {
  try {
    supportedPlatform();
    const includeDir = nodeHeaders();
    const cacheDir = privateCacheDir(true);
    const compiler = findCompiler();
    const identity = compilerIdentity(compiler, cacheDir);
    return { compiler, identity, includeDir, cacheDir };
  } catch (error) {
    return error instanceof ToolchainError ? error : new ToolchainError(String(error));
  }
}

function supportedPlatform(): void {
  if (process.platform === "win32") {
    throw new ToolchainError(
      "building Node-API addons on Windows (node.lib, MSVC) is not supported",
    );
  }
}

/** Node's own headers, installed under the Node prefix's include/node. */
function nodeHeaders(): string {
  const dir = join(dirname(process.execPath), "..", "include", "node");
  if (!existsSync(join(dir, "node_api.h"))) {
    throw new ToolchainError(
      `Node's C headers are missing (no node_api.h in ${dir}); install Node with its headers`,
    );
  }
  return dir;
}

/**
 * The cache directory: `EXPRJIT_CACHE_DIR`, else one per user under the
 * temporary directory. It must be a real directory (not a symlink) owned by
 * this user with no access for others, since anything in it gets loaded
 * into the process.
 */
function privateCacheDir(create: boolean): string {
  const configured = process.env.EXPRJIT_CACHE_DIR;
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const dir =
    configured !== undefined && configured !== ""
      ? configured
      : join(tmpdir(), `exprjit-native-${uid ?? "user"}`);
  if (!create && !existsSync(dir)) return dir;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ToolchainError(`cannot create the cache directory ${dir}: ${messageOf(error)}`);
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) {
    throw new ToolchainError(`the cache directory ${dir} is not a directory (or is a symlink)`);
  }
  if (uid !== undefined && stat.uid !== uid) {
    throw new ToolchainError(
      `the cache directory ${dir} belongs to another user; set EXPRJIT_CACHE_DIR`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new ToolchainError(
      `the cache directory ${dir} is open to other users; it must have mode 0700`,
    );
  }
  return dir;
}

/** `CC` if set, else the first of cc, gcc, clang on PATH. */
function findCompiler(): string {
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
 * The compiler's `--version` output, read from the cache when the same
 * executable (same real path, size, inode, modification time) was asked
 * before; otherwise run once and remembered.
 */
function compilerIdentity(compiler: string, cacheDir: string): string {
  const real = realpathSync(compiler);
  const stat = statSync(real, { bigint: true });
  const fingerprint = [real, stat.size, stat.ino, stat.mtimeNs].join("\n");
  const file = join(cacheDir, `compiler-${sha256(fingerprint)}.txt`);
  if (existsSync(file)) return readFileSync(file, "utf8");
  const run = spawnSync(compiler, ["--version"], {
    encoding: "utf8",
    timeout: PROBE_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (run.error !== undefined || run.status !== 0) {
    const why = run.error?.message ?? (run.stderr.trim() || `exit status ${run.status}`);
    throw new ToolchainError(`the C compiler ${compiler} does not work: ${why}`);
  }
  const identity = `${real}\n${run.stdout.trim()}`;
  writeAtomically(file, identity);
  return identity;
}

/** A built addon in the cache. */
export interface BuiltAddon {
  /** The shared object. */
  readonly file: string;
  /** True when it was already in the cache (the compiler did not run). */
  readonly cached: boolean;
}

/** The cache key of `c`: everything that decides the shared object's bytes and ABI. */
export function cacheKey(tools: Toolchain, c: string): string {
  const parts = [ABI_TAG, tools.identity, FLAGS.join(" "), process.version, process.platform];
  return sha256([...parts, process.arch, c].join("\0"));
}

/**
 * The addon for C source `c`: from the cache, or compiled into it. The
 * object is built under a temporary name and renamed into place, so another
 * process never sees half a file. Throws ToolchainError with the compiler's
 * message.
 */
export function buildAddon(tools: Toolchain, c: string): BuiltAddon {
  const job = plan(tools, c);
  if (job.cached) return job;
  try {
    writeFileSync(job.input, c, { mode: 0o600 });
    const run = spawnSync(tools.compiler, job.args, {
      encoding: "utf8",
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return finish(tools, job, { ...run, timedOut: errorCode(run.error) === "ETIMEDOUT" });
  } finally {
    cleanUp(job);
  }
}

/** {@link buildAddon} without blocking the event loop while the compiler runs. */
export async function buildAddonAsync(tools: Toolchain, c: string): Promise<BuiltAddon> {
  const job = plan(tools, c);
  if (job.cached) return job;
  try {
    await writeFile(job.input, c, { mode: 0o600 });
    const run = await new Promise<CompilerRun>((done) => {
      const options = {
        encoding: "utf8" as const,
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: MAX_OUTPUT,
      };
      execFile(tools.compiler, job.args, options, (error, stdout, stderr) => {
        const code = error?.code;
        const spawnError = error !== null && typeof code !== "number" && !error.killed;
        done({
          ...(spawnError ? { error } : {}),
          status: error === null ? 0 : typeof code === "number" ? code : null,
          signal: error?.signal ?? null,
          stdout,
          stderr,
          timedOut: error?.killed === true,
        });
      });
    });
    return finish(tools, job, run);
  } finally {
    cleanUp(job);
  }
}

/** Most compiler output kept. */
const MAX_OUTPUT = 16 * 1024 * 1024;

/** One build: where the source goes, where the object lands, the compiler's arguments. */
interface Job {
  readonly cached: false;
  readonly file: string;
  readonly input: string;
  readonly output: string;
  readonly args: readonly string[];
}

/** What a compiler run left, sync or async. */
interface CompilerRun {
  readonly error?: Error;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * The cached object, or the job that builds it. The source goes in a file,
 * not down a pipe: a compiler that fails early without reading its input
 * must still get to report why.
 */
function plan(tools: Toolchain, c: string): { readonly file: string; readonly cached: true } | Job {
  const file = join(tools.cacheDir, `${cacheKey(tools, c)}.node`);
  if (existsSync(file)) return { file, cached: true };
  const stem = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
  const [input, output] = [`${stem}.c`, `${stem}.tmp`];
  const args = [...FLAGS, `-I${tools.includeDir}`, "-o", output, input, "-lm"];
  return { cached: false, file, input, output, args };
}

/** Checks the run and moves the object into place. */
function finish(tools: Toolchain, job: Job, run: CompilerRun): BuiltAddon {
  if (run.timedOut) {
    const limit = BUILD_TIMEOUT_MS / 1000;
    throw new ToolchainError(
      `the C compiler (${tools.compiler}) took longer than ${limit} s and was stopped`,
    );
  }
  if (run.error !== undefined) {
    throw new ToolchainError(
      `the C compiler (${tools.compiler}) could not be run: ${run.error.message}`,
    );
  }
  if (run.status !== 0) {
    const output = `${run.stderr}${run.stdout}`.trim() || `stopped by ${run.signal}`;
    throw new ToolchainError(`the C compiler failed (${tools.compiler}):\n${clip(output)}`);
  }
  renameSync(job.output, job.file);
  return { file: job.file, cached: false };
}

function cleanUp(job: Job): void {
  rmSync(job.input, { force: true });
  rmSync(job.output, { force: true });
}

function errorCode(error: Error | undefined): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Compiler output, cut to a readable length. */
function clip(text: string): string {
  const limit = 4000;
  return text.length <= limit
    ? text
    : `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, file);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
