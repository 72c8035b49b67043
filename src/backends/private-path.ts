/**
 * Whether a directory a back-end keeps code in (native's cache, the js
 * back-end's module directory for `load: "module"`) sits on a path no
 * other user can change: everything in it gets loaded into the process.
 * One check, one set of words, for every back-end that writes code to disk.
 */

import { lstatSync, realpathSync, type Stats, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";

/** Builds the caller's error: a message, and the file system's error when one caused it. */
export type PathFailure = (message: string, cause?: unknown) => Error;

function userId(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The directories above `dir` (`what` names it in messages: "the cache
 * directory"): a symbolic link on the way must belong to this user or
 * root, and no directory the path really runs through may be writable by
 * other users unless it is sticky (like /tmp), since such a user could
 * rename `dir` away and put their own in its place. A path reached through
 * a symbolic link may not put `dir` directly in a world-writable directory
 * at all (where anyone could have made it first, or make it once it is
 * removed). Throws what `fail` builds.
 */
export function checkParents(dir: string, what: string, fail: PathFailure): void {
  const uid = userId();
  const trusted = (owner: number) => uid === undefined || owner === uid || owner === 0;
  let link: string | undefined;
  const parts = dirname(dir)
    .split(sep)
    .filter((part) => part !== "");
  let prefix: string = sep;
  let existing: string = sep;
  for (const part of parts) {
    prefix = join(prefix, part);
    const stat = lstatOrUndefined(prefix);
    if (stat === undefined) break;
    existing = prefix;
    if (!stat.isSymbolicLink()) continue;
    if (!trusted(stat.uid)) {
      throw fail(
        `the path to ${what} ${dir} goes through ${prefix}, a symbolic link owned by another user`,
      );
    }
    link = prefix;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (error) {
    throw fail(`cannot resolve the path of ${existing}`, error);
  }
  const parent = existing === dirname(dir) ? real : undefined;
  for (;;) {
    const stat = statSync(real);
    const othersWrite = (stat.mode & 0o022) !== 0;
    const sticky = (stat.mode & 0o1000) !== 0;
    if (link !== undefined && real === parent && (stat.mode & 0o002) !== 0) {
      throw fail(
        `${what} ${dir} is reached through the symbolic link ${link} into ${real}, which every user can write to; use a directory only you can write to`,
      );
    }
    if (othersWrite && !sticky) {
      throw fail(
        `${what} ${dir} is inside ${real}, which other users can write to; use a directory only you can write to`,
      );
    }
    if (!trusted(stat.uid)) {
      throw fail(`${what} ${dir} is inside ${real}, which belongs to another user`);
    }
    const up = dirname(real);
    if (up === real) return;
    real = up;
  }
}
