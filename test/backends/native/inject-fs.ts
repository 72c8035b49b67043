/**
 * Preloaded (`--import`) into a child process by hostile.test.ts: makes
 * every write under EXPRJIT_TEST_FAIL_DIR fail with the errno code in
 * EXPRJIT_TEST_FAIL_CODE (EACCES for a read-only directory, ENOSPC for a
 * full file system), whoever the user is: root ignores permission bits, and
 * filling a real file system needs a mount. Reads still work, so a cache
 * that holds an entry keeps serving it.
 */

import fs from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";

const dir = process.env.EXPRJIT_TEST_FAIL_DIR ?? "";
const code = process.env.EXPRJIT_TEST_FAIL_CODE ?? "EACCES";

function failure(syscall: string, path: unknown): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected failure, ${syscall} '${path}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = String(path);
  return error;
}

const inside = (path: unknown) => dir !== "" && String(path).startsWith(dir);

type Writer = (path: unknown, ...rest: unknown[]) => unknown;
const table = fs as unknown as Record<string, Writer>;
for (const name of [
  "writeFileSync",
  "renameSync",
  "mkdirSync",
  "utimesSync",
  "openSync",
  "copyFileSync",
]) {
  const original = table[name] as Writer;
  table[name] = (path: unknown, ...rest: unknown[]) => {
    if (inside(path) && !(name === "openSync" && (rest[0] ?? "r") === "r"))
      throw failure(name, path);
    return original(path, ...rest);
  };
}
const promises = fsp as unknown as Record<string, Writer>;
const writeFile = promises.writeFile as Writer;
promises.writeFile = async (path: unknown, ...rest: unknown[]) => {
  if (inside(path)) throw failure("open", path);
  return writeFile(path, ...rest);
};
// Removing fails too only when asked: writes fail before anything is removed.
if (process.env.EXPRJIT_TEST_FAIL_RM === "1") {
  const rmSync = table.rmSync as Writer;
  table.rmSync = (path: unknown, ...rest: unknown[]) => {
    if (inside(path)) throw failure("rm", path);
    return rmSync(path, ...rest);
  };
}
syncBuiltinESMExports();
