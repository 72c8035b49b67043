/**
 * Building: running the C compiler on one translation unit, under a time
 * limit (spawn.ts: its own process group, all of it killed on timeout)
 * with an argument array (never a shell), and installing the object in the cache (cache.ts) atomically.
 *
 * The source goes in a file, not down a pipe: a compiler that fails early
 * without reading its input must still get to report why.
 */

import { rmSync, statSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { entryKey, evict, installEntry, temporaryStem } from "./cache.js";
import { compilerFlags } from "./compiler.js";
import { fileFailure, ToolchainError } from "./failure.js";
import { ABI_TAG } from "./runtime.js";
import { runToolAsync, runToolSync, type ToolRun } from "./spawn.js";
import type { Toolchain } from "./toolchain.js";

/** Time limit for building one addon. */
const BUILD_TIMEOUT_MS = 60_000;

/** Most compiler output kept. */
const MAX_OUTPUT = 16 * 1024 * 1024;

const LIMITS = { timeoutMs: BUILD_TIMEOUT_MS, maxBuffer: MAX_OUTPUT } as const;

/** One build: where the source goes, where the object lands, the compiler's arguments. */
interface Job {
  readonly input: string;
  readonly output: string;
  readonly args: readonly string[];
}

/** C source to build, and how large its function is (which decides the flags). */
export interface Source {
  readonly c: string;
  readonly operations: number;
}

/** The cache key of `source`: everything that decides the object's bytes and ABI. */
export function keyOf(tools: Toolchain, source: Source): string {
  const flags = compilerFlags(source.operations).join(" ");
  const parts = [ABI_TAG, tools.identity, flags, process.version, process.platform];
  return entryKey([...parts, process.arch, source.c]);
}

/**
 * Compiles `c` into a new object beside entry `key` and installs it as that
 * entry, then keeps the cache within `limit`; returns the object's path.
 * Throws ToolchainError with the compiler's message or the file's problem.
 */
export function buildEntry(tools: Toolchain, key: string, source: Source, limit: number): string {
  const job = plan(tools, key, source);
  try {
    compileSync(tools, job, source.c);
    return install(tools, key, job, limit);
  } finally {
    cleanUp(job);
  }
}

/** {@link buildEntry} without blocking the event loop while the compiler runs. */
export async function buildEntryAsync(
  tools: Toolchain,
  key: string,
  source: Source,
  limit: number,
): Promise<string> {
  const job = plan(tools, key, source);
  try {
    try {
      await writeFile(job.input, source.c, { mode: 0o600 });
    } catch (error) {
      throw fileFailure("write the C source to", job.input, error);
    }
    check(tools, job, await runAsync(tools, job));
    return install(tools, key, job, limit);
  } finally {
    cleanUp(job);
  }
}

/**
 * Compiles `c` to a temporary object outside any entry (for the probe) and
 * hands its path to `use`; the object is removed afterwards.
 */
export function buildScratch<T>(tools: Toolchain, source: Source, use: (object: string) => T): T {
  const job = plan(tools, "0".repeat(64), source);
  try {
    compileSync(tools, job, source.c);
    return use(job.output);
  } finally {
    cleanUp(job);
  }
}

function plan(tools: Toolchain, key: string, source: Source): Job {
  const stem = temporaryStem(tools.cacheDir, key);
  const [input, output] = [`${stem}.c`, `${stem}.tmp`];
  const flags = compilerFlags(source.operations);
  return { input, output, args: [...flags, `-I${tools.includeDir}`, "-o", output, input, "-lm"] };
}

function compileSync(tools: Toolchain, job: Job, c: string): void {
  try {
    writeFileSync(job.input, c, { mode: 0o600 });
  } catch (error) {
    throw fileFailure("write the C source to", job.input, error);
  }
  check(tools, job, runToolSync(tools.compiler, job.args, LIMITS));
}

function runAsync(tools: Toolchain, job: Job): Promise<ToolRun> {
  return runToolAsync(tools.compiler, job.args, LIMITS);
}

/** Checks that the compiler succeeded and really wrote an object. */
function check(tools: Toolchain, job: Job, run: ToolRun): void {
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
  let size: number;
  try {
    size = statSync(job.output).size;
  } catch {
    size = -1;
  }
  if (size <= 0) {
    throw new ToolchainError(
      `the C compiler (${tools.compiler}) reported success but wrote no object to ${job.output}`,
    );
  }
}

function install(tools: Toolchain, key: string, job: Job, limit: number): string {
  const object = installEntry(tools.cacheDir, key, job.output);
  try {
    evict(tools.cacheDir, limit, key);
  } catch {
    // Keeping the cache small must never fail a compile; the next build tries again.
  }
  return object;
}

function cleanUp(job: Job): void {
  rmSync(job.input, { force: true });
  rmSync(job.output, { force: true });
}

/** Compiler output, cut to a readable length. */
function clip(text: string): string {
  const limit = 4000;
  return text.length <= limit
    ? text
    : `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}
