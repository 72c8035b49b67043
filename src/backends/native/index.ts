/**
 * The `native` back-end: the resolved program → C (cgen.ts, addon.ts) →
 * the system C compiler → a shared object in a private cache
 * (toolchain.ts) → `process.dlopen` (load.ts) → the fast entry.
 *
 * Not exact: the transcendental functions and `pow` come from the C
 * library, which may differ from V8's in the last place (LANGUAGE.md,
 * "Exactness"). Everything else is bit for bit JavaScript.
 */

import { ExprBackendError } from "../../errors.js";
import type { Program } from "../../semantics/program.js";
import type { Availability, Backend, CompiledCode } from "../backend.js";
import { generateAddon } from "./addon.js";
import { loadAddon } from "./load.js";
import {
  type BuiltAddon,
  buildAddon,
  buildAddonAsync,
  CODE_FLAGS,
  quickCheck,
  type Toolchain,
  ToolchainError,
  toolchain,
} from "./toolchain.js";

/** Whether a toolchain is there, or why not (cheap checks only; the compiler runs at first compile). */
function availability(): Availability {
  try {
    quickCheck();
    return { available: true };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Loads a built addon and wraps it as the back-end's result. */
function finish(tools: Toolchain, built: BuiltAddon, c: string, arity: number): CompiledCode {
  const fn = loadAddon(built.file, arity);
  const compiler = tools.identity.split("\n")[1] ?? tools.compiler;
  const how = [
    built.cached ? "loaded from the cache (compiler not run)" : "compiled",
    `with ${compiler} (${CODE_FLAGS.join(" ")}), loaded with process.dlopen;`,
    "libm functions and pow may differ from V8 in the last place (see README)",
  ].join(" ");
  return {
    fn,
    dump: () => c,
    // Node cannot unload an addon: the code stays mapped until the process exits.
    dispose: () => {},
    how,
  };
}

/** Runs `work`, turning a ToolchainError into the ExprError users see. */
async function reported<T>(program: Program, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asExprError(program, error);
  }
}

function asExprError(program: Program, error: unknown): unknown {
  return error instanceof ToolchainError
    ? new ExprBackendError(`native: ${error.message}`, program.source)
    : error;
}

/** C through the system compiler, loaded as a Node-API addon. */
export const native: Backend = {
  name: "native",
  summary:
    "C via the system compiler, loaded as a Node-API addon (libm functions and pow: within 1-2 ulp of V8)",
  options: [],
  artefact: "c",
  exact: false,
  availability,
  compile(program): CompiledCode {
    const { c, arity } = generateAddon(program);
    try {
      const tools = toolchain();
      return finish(tools, buildAddon(tools, c), c, arity);
    } catch (error) {
      throw asExprError(program, error);
    }
  },
  /** Like compile, but the event loop keeps running while the compiler does. */
  compileAsync(program): Promise<CompiledCode> {
    const { c, arity } = generateAddon(program);
    return reported(program, async () => {
      const tools = toolchain();
      return finish(tools, await buildAddonAsync(tools, c), c, arity);
    });
  },
};
