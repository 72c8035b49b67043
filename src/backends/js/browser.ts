/**
 * The `js` back-end as a browser runs it: `load: "module"` imports the
 * generated module from a Blob URL (module.browser.ts), so nothing of
 * Node's file system reaches a browser bundle. registry.browser.ts and the
 * `exprjit/backends/js` export's browser condition take this file.
 */

import type { Backend } from "../backend.js";
import { jsBackend } from "./index.js";

/** The JIT to JavaScript, loading modules from Blob URLs. */
export const js: Backend = /* @__PURE__ */ jsBackend(() => import("./module.browser.js"));
