/**
 * `load: "module"` in a browser: the generated ES module is imported from a
 * Blob URL (revoked once loaded), then bound and checked as on Node. A page
 * whose Content-Security-Policy forbids `blob:` scripts refuses it, and the
 * js back-end reports that. Bundlers take this file for module.ts through
 * package.json's `browser` field.
 */

import type { EvalFn } from "../backend.js";
import type { GeneratedCode } from "./codegen.js";
import { bindMain, type Factory, moduleFactory, moduleText } from "./load.js";

/** Where `load: "module"` puts the module, for `explain`. */
export const MODULE_HOW = "generated ES module import()ed from a Blob URL, URL revoked";

/** Loads `code` as an ES module from a Blob URL. */
export async function loadAsModule(code: GeneratedCode): Promise<EvalFn> {
  return bindMain(await loadModuleFactory(code), code);
}

/** Imports `code` as a module from a Blob URL, revoked whatever happens; returns its factory. */
export async function loadModuleFactory(code: GeneratedCode): Promise<Factory> {
  const url = URL.createObjectURL(new Blob([moduleText(code)], { type: "text/javascript" }));
  let namespace: unknown;
  try {
    namespace = await import(/* @vite-ignore */ url);
  } finally {
    URL.revokeObjectURL(url);
  }
  return moduleFactory(namespace);
}
