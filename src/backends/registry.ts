/**
 * Name → back-end. Adding a back-end is one line here (and in
 * registry.browser.ts if it can run in a browser); the public API, the CLI,
 * `explain`, the conformance and differential tests all read this list.
 * Bundlers for the browser take registry.browser.ts instead (package.json
 * `browser` field), so the native back-end and its Node modules stay out.
 */

import type { Backend } from "./backend.js";
import { closure } from "./closure/index.js";
import { js } from "./js/index.js";
import { native } from "./native/index.js";
import { treewalk } from "./treewalk/index.js";
import { vm } from "./vm/index.js";
import { wasm } from "./wasm/index.js";

/** Every back-end, in the order `explain` shows them (reference first). */
export const ALL_BACKENDS: readonly Backend[] = [treewalk, vm, closure, js, wasm, native];

/** The back-end called `name`, available here or not; undefined if unknown. */
export function findBackend(name: string): Backend | undefined {
  return ALL_BACKENDS.find((b) => b.name === name);
}

/** The back-ends that can run in this process. */
export function availableBackends(): readonly Backend[] {
  return ALL_BACKENDS.filter((b) => b.availability().available);
}
