/**
 * The registry as a browser bundle sees it (index.browser.ts, and
 * package.json's legacy `browser` field maps registry.js here): every
 * back-end but `native`, which needs a C compiler, the file system and
 * `process.dlopen`, with the js back-end that loads modules from Blob URLs. Same exports as registry.ts; a test
 * checks that the two lists differ by `native` alone.
 */

import type { Backend } from "./backend.js";
import { closure } from "./closure/index.js";
import { js } from "./js/browser.js";
import { treewalk } from "./treewalk/index.js";
import { vm } from "./vm/index.js";
import { wasm } from "./wasm/index.js";

/** Every back-end a browser can have, in the order `explain` shows them (reference first). */
export const ALL_BACKENDS: readonly Backend[] = [treewalk, vm, closure, js, wasm];

/** The back-end called `name`, available here or not; undefined if unknown. */
export function findBackend(name: string): Backend | undefined {
  return ALL_BACKENDS.find((b) => b.name === name);
}

/** The back-ends that can run in this page (its CSP decides for js and wasm). */
export function availableBackends(): readonly Backend[] {
  return ALL_BACKENDS.filter((b) => b.availability().available);
}
