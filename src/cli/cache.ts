/**
 * `exprjit cache info|clear`: what each back-end's cache of compiled code
 * holds, and emptying it. It reads the back-ends' `cache` fields (only
 * back-ends that keep a cache have one), so a back-end that gains a cache
 * shows up here without a change.
 */

import { allBackends, type Backend, type CacheInfo } from "../api/choose.js";

/** What `exprjit cache` can do. */
export type CacheAction = "info" | "clear";

/**
 * Runs `exprjit cache <action>`: one line per back-end with a cache,
 * written to `out`; a failure (an ExprError, e.g. a cache directory that
 * fails its checks) is written to `err` as `error: …` and the exit status
 * is 1. Returns the exit status.
 */
export function runCacheCommand(
  action: CacheAction,
  out: (text: string) => void,
  err: (text: string) => void = out,
  backends: readonly Backend[] = allBackends(),
): number {
  let status = 0;
  for (const backend of backends) {
    const { cache } = backend;
    if (cache === undefined) continue;
    try {
      if (action === "info") {
        out(`${backend.name}: ${describeInfo(cache.info())}`);
      } else {
        const location = cache.info().location;
        const removed = cache.clear();
        out(`${backend.name}: removed ${entries(removed)} from ${location}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The library's messages already start with the back-end's name.
      const named = message.startsWith(`${backend.name}: `)
        ? message
        : `${backend.name}: ${message}`;
      err(`error: ${named}`);
      status = 1;
    }
  }
  return status;
}

/** `12 entries, 190.3 KiB in /tmp/exprjit-native-0 (limit 64.0 MiB)`. */
function describeInfo(info: CacheInfo): string {
  const limit = info.limitBytes === undefined ? "" : ` (limit ${formatBytes(info.limitBytes)})`;
  return `${entries(info.entries)}, ${formatBytes(info.bytes)} in ${info.location}${limit}`;
}

function entries(count: number): string {
  return `${count} ${count === 1 ? "entry" : "entries"}`;
}

/** `512 B`, `1.5 KiB`, `64.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
