/**
 * Where the native cache is, and whether it is safe to load code from:
 * `EXPRJIT_CACHE_DIR` (else one directory per user under the temporary
 * directory), which must be a real directory (not a symbolic link, not a
 * dangling one) owned by this user with no access for others, on a path
 * no other user can change. Everything in it gets loaded into the process.
 */

import { lstatSync, mkdirSync, readlinkSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { checkParents } from "../private-path.js";
import { onFile, reasonOf, ToolchainError } from "./failure.js";

/** The cache directory's path: `EXPRJIT_CACHE_DIR`, else one per user under the temporary directory. */
export function cacheLocation(): string {
  const configured = process.env.EXPRJIT_CACHE_DIR;
  if (configured !== undefined && configured !== "") return resolve(configured);
  return join(tmpdir(), `exprjit-native-${userId() ?? "user"}`);
}

function userId(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

/**
 * The cache directory, checked: a real directory (not a symlink, not a
 * dangling one) owned by this user with no access for others, on a path no
 * other user can change. Anything in it gets loaded into the process.
 * With `create` false a missing directory is fine (nothing is created);
 * with `create` true it is made. Throws ToolchainError saying what is wrong.
 */
export function cacheDirectory(create: boolean): string {
  const dir = cacheLocation();
  checkParents(dir, "the cache directory", (message, cause) =>
    cause === undefined ? new ToolchainError(message) : fileFailureOf(message, cause),
  );
  let stat = lstatOrUndefined(dir);
  if (stat === undefined) {
    if (!create) return dir;
    makeDirectories(dir);
    stat = lstatSync(dir);
  }
  if (stat.isSymbolicLink()) {
    const target = readlinkSync(dir);
    const dangling = lstatOrUndefined(resolve(dirname(dir), target)) === undefined;
    throw new ToolchainError(
      `the cache directory ${dir} is a symbolic link (to ${target}${dangling ? ", which does not exist" : ""}); set EXPRJIT_CACHE_DIR to a real directory`,
    );
  }
  if (!stat.isDirectory())
    throw new ToolchainError(`the cache directory ${dir} is not a directory`);
  const uid = userId();
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

/**
 * `mkdir -p dir` (mode 0700), one directory at a time: Node's recursive
 * mkdir reports ENOENT where a directory cannot be made for another reason
 * (a read-only mount is EROFS), so each missing one is made on its own and
 * its own error is the one reported.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; lstatOrUndefined(at) === undefined; at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    const path = missing[i] as string;
    onFile("create the cache directory", path === dir ? dir : `${dir} (at ${path})`, () => {
      try {
        mkdirSync(path, { mode: 0o700 });
      } catch (error) {
        // Another process made it meanwhile: as good as made here.
        if ((error as { code?: unknown }).code !== "EEXIST") throw error;
      }
    });
  }
}

/** A failed file operation in the words of failure.ts: `cannot … path: permission denied (EACCES)`. */
function fileFailureOf(message: string, cause: unknown): ToolchainError {
  return new ToolchainError(`${message}: ${reasonOf(cause)}`);
}

/** `lstat`, or undefined when there is nothing at `path`. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
