/**
 * The native back-end's cache on disk (its directory is directory.ts's):
 * its entries, the small notes kept beside them, and its size cap.
 *
 * An entry is two files named after its key: the object
 * `<key>-<hash>.node` and the record `<key>.sum` ("exprjit-entry/1 <size>
 * <sha256>"). An object is loaded only once its size and hash match the
 * record, so a truncated or damaged file is rebuilt, never mapped (a
 * truncated object mapped into the process dies with SIGBUS). The object's
 * name carries its hash, so a rebuilt object never has the path of one
 * already loaded (the dynamic loader would hand back the old one).
 *
 * Both files are written under a temporary name and renamed into place,
 * object first, so another process sees a whole entry or none. The record's
 * modification time is the entry's last use: eviction removes the least
 * recently used entries once the cache holds more than its cap
 * (`EXPRJIT_CACHE_MAX_BYTES`, default 64 MiB). A process that loses a race
 * with eviction finds the object gone and rebuilds it.
 */

import { createHash, randomBytes } from "node:crypto";
import {
  lstatSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { cacheDirectory, cacheLocation, lstatOrUndefined } from "./directory.js";
import { errnoCode, fileFailure, onFile, ToolchainError } from "./failure.js";

/** The cap when `EXPRJIT_CACHE_MAX_BYTES` is not set: about 4,000 typical entries. */
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** How old an unreferenced object or a temporary file must be before eviction removes it. */
const ORPHAN_GRACE_MS = 60_000;
const TEMPORARY_GRACE_MS = 10 * 60_000;

const RECORD_TAG = "exprjit-entry/1";
const now = Date.now;

/** The cap in bytes: `EXPRJIT_CACHE_MAX_BYTES` (a whole number), else the default. */
export function cacheLimit(): number {
  const configured = process.env.EXPRJIT_CACHE_MAX_BYTES;
  if (configured === undefined || configured.trim() === "") return DEFAULT_CACHE_MAX_BYTES;
  if (!/^\d+$/.test(configured.trim())) {
    throw new ToolchainError(
      `EXPRJIT_CACHE_MAX_BYTES must be a whole number of bytes, not '${configured}'`,
    );
  }
  return +configured.trim();
}

/** The key of everything that decides an object's bytes. */
export function entryKey(parts: readonly string[]): string {
  return sha256(parts.join("\0"));
}

/**
 * The verified object of entry `key`, its last use set to now; undefined
 * when the entry is missing or does not match its record (it is then
 * rebuilt and replaced, never loaded).
 */
export function findEntry(dir: string, key: string): string | undefined {
  const record = join(dir, `${key}.sum`);
  let text: string;
  try {
    text = readFileSync(record, "utf8");
  } catch {
    return undefined;
  }
  const [tag, size, hash] = text.trim().split(" ");
  if (
    tag !== RECORD_TAG ||
    size === undefined ||
    hash === undefined ||
    !/^[0-9a-f]{64}$/.test(hash)
  ) {
    return undefined;
  }
  const object = join(dir, objectName(key, hash));
  try {
    if (statSync(object).size !== +size) return undefined;
    if (sha256Bytes(readFileSync(object)) !== hash) return undefined;
  } catch {
    return undefined;
  }
  try {
    const seconds = now() / 1000;
    utimesSync(record, seconds, seconds);
  } catch {
    // A read-only cache still serves what it holds; only the eviction order suffers.
  }
  return object;
}

/**
 * Moves the freshly built object `built` into entry `key` and records its
 * size and hash; returns the object's path in the cache.
 */
export function installEntry(dir: string, key: string, built: string): string {
  const bytes = onFile("read the compiled object", built, () => readFileSync(built));
  const hash = sha256Bytes(bytes);
  const object = join(dir, objectName(key, hash));
  onFile("move the compiled object into", object, () => renameSync(built, object));
  writeAtomically(join(dir, `${key}.sum`), `${RECORD_TAG} ${bytes.length} ${hash}\n`);
  return object;
}

function objectName(key: string, hash: string): string {
  return `${key}-${hash.slice(0, 16)}.node`;
}

/** A unique temporary path stem beside entry `key`, for one build. */
export function temporaryStem(dir: string, key: string): string {
  return join(dir, `${key}.${process.pid}.${randomBytes(6).toString("hex")}`);
}

/** Writes `content` to `file` under a temporary name, then renames it into place. */
export function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, content, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw fileFailure("write", file, error);
  }
}

/** A small text file of the cache (the compiler's identity, the probe's verdict), if there. */
export function readNote(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), "utf8");
  } catch {
    return undefined;
  }
}

/** One file of the cache, as eviction sees it. */
interface CacheFile {
  readonly name: string;
  readonly size: number;
  readonly mtime: number;
}

/** The files of the cache that exprjit wrote (all named from a 64-digit hash). */
const OURS = /^(?:compiler-|probe-)?[0-9a-f]{64}[.-]/;

function listFiles(dir: string): CacheFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return [];
    throw fileFailure("read the cache directory", dir, error);
  }
  const files: CacheFile[] = [];
  for (const name of names) {
    if (!OURS.test(name)) continue;
    try {
      const stat = lstatSync(join(dir, name));
      if (stat.isFile()) files.push({ name, size: stat.size, mtime: stat.mtimeMs });
    } catch {
      // Removed by another process meanwhile.
    }
  }
  return files;
}

/**
 * Keeps the cache within `limit` bytes: removes stale temporary files and
 * objects no record names (left by a crash or a lost race), then whole
 * entries, least recently used first, sparing entry `keep`. Safe beside
 * other processes: a file already gone is skipped, and one removed under
 * a reader's feet makes that reader rebuild.
 */
export function evict(dir: string, limit: number, keep?: string): void {
  const files = listFiles(dir);
  const time = now();
  const records = new Map<string, CacheFile>();
  const objects = new Map<string, CacheFile[]>();
  let total = 0;
  for (const file of files) {
    total += file.size;
    const key = file.name.slice(0, 64);
    if (file.name.endsWith(".sum") && file.name.length === 68) records.set(key, file);
    else if (/^[0-9a-f]{64}-[0-9a-f]{16}\.node$/.test(file.name)) {
      const list = objects.get(key) ?? [];
      list.push(file);
      objects.set(key, list);
    } else if (/\.(?:c|tmp)$/.test(file.name) && time - file.mtime > TEMPORARY_GRACE_MS) {
      total -= remove(dir, file);
    } else if (/^[0-9a-f]{64}\.node$/.test(file.name)) {
      total -= remove(dir, file); // an entry of an earlier format, without a record
    }
  }
  for (const [key, list] of objects) {
    const named = referencedObject(dir, key, records.has(key), list);
    for (const file of list) {
      if (file.name !== named && time - file.mtime > ORPHAN_GRACE_MS) total -= remove(dir, file);
    }
  }
  if (total <= limit) return;
  const byAge = [...records.entries()].sort((a, b) => a[1].mtime - b[1].mtime);
  for (const [key, record] of byAge) {
    if (total <= limit) break;
    if (key === keep) continue;
    total -= remove(dir, record);
    for (const file of objects.get(key) ?? []) total -= remove(dir, file);
  }
}

/** The object name entry `key`'s record points to (read only when it could be in doubt). */
function referencedObject(
  dir: string,
  key: string,
  recorded: boolean,
  list: readonly CacheFile[],
): string | undefined {
  if (!recorded) return undefined;
  if (list.length === 1) return list[0]?.name;
  const hash = readNote(dir, `${key}.sum`)?.trim().split(" ")[2];
  return hash === undefined ? undefined : objectName(key, hash);
}

/** Removes one file; returns the bytes freed (0 if another process got there first). */
function remove(dir: string, file: CacheFile): number {
  return removed(dir, file) ? file.size : 0;
}

function removed(dir: string, file: CacheFile): boolean {
  try {
    rmSync(join(dir, file.name));
    return true;
  } catch {
    return false;
  }
}

/** What the cache holds now; never creates it. */
export function cacheContents(): { location: string; entries: number; bytes: number } {
  const location = cacheLocation();
  const files = lstatOrUndefined(location)?.isDirectory() ? listFiles(location) : [];
  let bytes = 0;
  let entries = 0;
  for (const file of files) {
    bytes += file.size;
    if (file.name.endsWith(".sum")) entries++;
  }
  return { location, entries, bytes };
}

/**
 * Removes every file exprjit wrote in the cache (objects loaded by running
 * processes stay mapped in them); returns how many entries went. The
 * directory must pass the same checks as for loading.
 */
export function clearCache(): number {
  const location = cacheLocation();
  if (lstatOrUndefined(location) === undefined) return 0;
  const dir = cacheDirectory(false);
  let entries = 0;
  for (const file of listFiles(dir)) {
    // Unlike eviction, clearing was asked for: a file that cannot go is an
    // error (a read-only cache), one already gone (another process) is not.
    try {
      rmSync(join(dir, file.name));
    } catch (error) {
      if (errnoCode(error) === "ENOENT") continue;
      throw fileFailure("remove", join(dir, file.name), error);
    }
    if (file.name.endsWith(".sum")) entries++;
  }
  return entries;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function sha256Bytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
