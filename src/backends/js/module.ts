/**
 * `load: "module"` on Node: the generated ES module is written to a private
 * temporary directory and `import()`ed, the file and directory removed; its
 * `bind` then takes the builtins and host functions, and `Main` is checked.
 * Reached only by a dynamic import from the js back-end; bundlers for the
 * browser take module.browser.ts instead (package.json `browser` field).
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { EvalFn } from "../backend.js";
import { checkParents } from "../private-path.js";
import type { GeneratedCode } from "./codegen.js";
import { bindMain, type Factory, moduleFactory, moduleText } from "./load.js";

/** Where `load: "module"` puts the module, for `explain`. */
export const MODULE_HOW =
  "generated ES module written to a private temp dir, import()ed, file removed";

/**
 * Loads `code` as an ES module from a private temporary directory (mode
 * 0700, from `mkdtemp`; the file 0600, created exclusively), removed as soon
 * as the module is loaded, whatever happens. The module record itself stays
 * in the engine's module map for the life of the process: ES modules cannot
 * be unloaded.
 */
export async function loadAsModule(code: GeneratedCode): Promise<EvalFn> {
  return bindMain(await loadModuleFactory(code), code);
}

/** Imports `code` as a module (see {@link loadAsModule}); its factory calls `bind`, then reads `Main`. */
export async function loadModuleFactory(code: GeneratedCode): Promise<Factory> {
  const file = writePrivateModule(moduleText(code));
  let namespace: unknown;
  try {
    namespace = await import(pathToFileURL(file.path).href);
  } finally {
    file.remove();
  }
  return moduleFactory(namespace);
}

/** A module file in a fresh private directory, and how to remove both. */
export interface PrivateFile {
  readonly directory: string;
  readonly path: string;
  remove(): void;
}

/**
 * Writes `text` to `main.mjs` in a new directory under the OS temp dir that
 * only this user can enter, on a path no other user can change (else an
 * Error saying why).
 */
export function writePrivateModule(text: string): PrivateFile {
  const prefix = join(tmpdir(), "exprjit-js-");
  // The same check as native's cache: a directory other users can write to
  // could have the module swapped before it is imported.
  checkParents(`${prefix}XXXXXX`, "the module directory", (message, cause) =>
    cause === undefined
      ? new Error(message)
      : new Error(`${message}: ${cause instanceof Error ? cause.message : String(cause)}`),
  );
  const directory = mkdtempSync(prefix);
  const path = join(directory, "main.mjs");
  const remove = () => rmSync(directory, { recursive: true, force: true });
  try {
    writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  } catch (error) {
    remove();
    throw error;
  }
  return { directory, path, remove };
}
