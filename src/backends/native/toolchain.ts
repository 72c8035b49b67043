/**
 * The toolchain of the `native` back-end put together: a compiler with its
 * identity, Node's headers and the checked cache directory, found once per
 * process. The pieces live by job in compiler.ts (finding and identifying
 * the compiler), directory.ts (where the cache is, and whether it is safe),
 * cache.ts (its entries and cap) and build.ts (running the compiler); this
 * module only assembles them.
 */

import { compilerIdentity, findCompiler, nodeHeaders, supportedPlatform } from "./compiler.js";
import { cacheDirectory } from "./directory.js";
import { ToolchainError } from "./failure.js";

/** A working toolchain. */
export interface Toolchain {
  /** The compiler as found (a path). */
  readonly compiler: string;
  /** Its real path and `--version` output, part of every cache key. */
  readonly identity: string;
  /** Node's headers (holds node_api.h). */
  readonly includeDir: string;
  /** The private cache directory (created). */
  readonly cacheDir: string;
}

let found: Toolchain | ToolchainError | undefined;

/**
 * The toolchain, found once per process (lazily): creates the cache
 * directory and may run `cc --version`. Throws ToolchainError saying what
 * is missing.
 */
export function toolchain(): Toolchain {
  found ??= attempt(() => {
    supportedPlatform();
    const includeDir = nodeHeaders();
    const cacheDir = cacheDirectory(true);
    const compiler = findCompiler();
    return { compiler, identity: compilerIdentity(compiler, cacheDir), includeDir, cacheDir };
  });
  if (found instanceof ToolchainError) throw found;
  return found;
}

let checked: ToolchainError | null | undefined;

/**
 * The part of the toolchain that costs no process and creates nothing: the
 * platform, Node's headers, a compiler on PATH, and the cache directory's
 * path (and the directory, if it exists). Throws ToolchainError.
 */
export function quickCheck(): void {
  if (checked === undefined) {
    const result = attempt(() => {
      supportedPlatform();
      nodeHeaders();
      findCompiler();
      cacheDirectory(false);
      return null;
    });
    checked = result;
  }
  if (checked !== null) throw checked;
}

function attempt<T>(work: () => T): T | ToolchainError {
  try {
    return work();
  } catch (error) {
    return error instanceof ToolchainError
      ? error
      : new ToolchainError(error instanceof Error ? error.message : String(error));
  }
}
