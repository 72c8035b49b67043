/**
 * The `native` back-end: the resolved program → C (cgen.ts, addon.ts) →
 * the system C compiler (compiler.ts, build.ts) → a verified entry of the
 * private cache (cache.ts) → `process.dlopen` (load.ts) → the fast entry.
 *
 * Each object is loaded once per process: a formula compiled again reuses
 * the entry already loaded (Node can never unload an addon, so loading it
 * again would only keep another copy of its state). A cached object that
 * fails its checks, before or after loading, is rebuilt and replaced.
 *
 * Not exact: the transcendental functions and `pow` come from the C
 * library, which may differ from V8's in the last place by the allowance
 * of spelling.ts (LANGUAGE.md, "Exactness"). Everything else is bit for
 * bit JavaScript.
 */

import { ExprBackendError } from "../../errors.js";
import type { Program } from "../../semantics/program.js";
import type {
  Availability,
  Backend,
  BackendCache,
  BatchFn,
  BatchIntoFn,
  CompiledCode,
  EvalFn,
  IntoFn,
} from "../backend.js";
import { generateAddon } from "./addon.js";
import { buildEntry, buildEntryAsync, keyOf } from "./build.js";
import { cacheContents, cacheLimit, clearCache, findEntry } from "./cache.js";
import { codeFlags, compilerVersion } from "./compiler.js";
import { asToolchainError } from "./failure.js";
import { batchOf, loadAddon, slotsOf } from "./load.js";
import { probe } from "./probe.js";
import { allowanceSentence } from "./spelling.js";
import { type Toolchain, toolchain } from "./toolchain.js";

/**
 * Whether native can build and run code here. The first call in a process
 * probes by building `1+1` (probe.ts says when that is skipped); later
 * calls return the same answer.
 */
function availability(): Availability {
  try {
    // A cap that cannot be read would fail every new formula: say so here.
    cacheLimit();
    probe();
    return { available: true };
  } catch (error) {
    return { available: false, reason: asToolchainError(error).message };
  }
}

/** Entries loaded in this process, by cache key. */
const loaded = new Map<string, EvalFn>();

/** One compile's plan: the source, its key, and the entry if this process has it already. */
interface Plan {
  readonly tools: Toolchain;
  readonly c: string;
  readonly arity: number;
  readonly fingerprint: string;
  readonly operations: number;
  readonly results: number;
  readonly key: string;
}

function plan(program: Program): Plan {
  const source = generateAddon(program);
  const tools = toolchain();
  return { tools, ...source, key: keyOf(tools, source) };
}

/** The entry from this process or from a verified cache file; undefined if it must be built. */
function reuse(job: Plan): { fn: EvalFn; how: string } | undefined {
  const known = loaded.get(job.key);
  if (known !== undefined) return { fn: known, how: "already loaded in this process" };
  const file = findEntry(job.tools.cacheDir, job.key);
  if (file === undefined) return undefined;
  try {
    const fn = remember(job, loadAddon(file, job.arity, job.fingerprint));
    return { fn, how: "loaded from the cache (compiler not run)" };
  } catch {
    // Gone meanwhile, or the object is not what its name says: build it anew.
    return undefined;
  }
}

function remember(job: Plan, fn: EvalFn): EvalFn {
  loaded.set(job.key, fn);
  return fn;
}

/** The back-end's result for an entry. */
function result(job: Plan, fn: EvalFn, how: string): CompiledCode {
  const compiler = compilerVersion(job.tools.identity, job.tools.compiler);
  const batch = batchOf(fn);
  const { results } = job;
  const slots = slotsOf(fn) as Float64Array;
  // With several results `Main` leaves them all in the slots (slot 0 is what `fn` returns).
  const fnInto: IntoFn =
    results === 1
      ? (out, ...values) => {
          out[0] = fn(...values);
        }
      : (out, ...values) => {
          fn(...values);
          for (let r = 0; r < results; r++) out[r] = slots[r] as number;
        };
  // The C `Batch` takes `(columns, out)` for one result and `(columns, outs)` for several.
  const loop = batch as unknown as ((columns: unknown, out: unknown) => void) | undefined;
  const batches =
    loop === undefined
      ? {}
      : results === 1
        ? {
            batch: () => batch as BatchFn,
            batchInto: (): BatchIntoFn => (columns, outs) => loop(columns, outs[0]),
          }
        : {
            batch: (): BatchFn => (columns, out) => {
              const outs = [out];
              for (let r = 1; r < results; r++) outs.push(new Float64Array(out.length));
              loop(columns, outs);
            },
            batchInto: (): BatchIntoFn => (columns, outs) => loop(columns, outs),
          };
  return {
    fn,
    fnInto,
    dump: () => job.c,
    // The batch loop is in the same C source: its dump is the dump.
    ...batches,
    // Node cannot unload an addon: the code stays mapped until the process exits.
    dispose: () => {},
    how: [
      `${how}; built with ${compiler} (${codeFlags(job.operations).join(" ")}), loaded with process.dlopen;`,
      `libm functions and pow may differ from V8 in the last place (${allowanceSentence()}; see README)`,
    ].join(" "),
  };
}

/** The ExprError users see for anything that went wrong under native/. */
function asExprError(program: Program, error: unknown): unknown {
  if (error instanceof ExprBackendError) return error;
  return new ExprBackendError(`native: ${asToolchainError(error).message}`, program.source);
}

/** The on-disk cache of compiled objects, for `exprjit cache` and tests. */
const cache: BackendCache = {
  info() {
    const { location, entries, bytes } = reportedAs(cacheContents);
    return { location, entries, bytes, limitBytes: reportedAs(cacheLimit) };
  },
  clear: () => reportedAs(clearCache),
};

/** Runs a cache operation, turning any failure into an ExprBackendError (with no source). */
function reportedAs<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new ExprBackendError(`native: ${asToolchainError(error).message}`, "");
  }
}

/** C through the system compiler, loaded as a Node-API addon. */
export const native: Backend = {
  name: "native",
  summary: `C via the system compiler, loaded as a Node-API addon (libm functions and pow may differ from V8: ${allowanceSentence()})`,
  options: [],
  artefact: "c",
  exact: false,
  allowance: `transcendental functions and pow come from the C library and may differ from JavaScript in the last place (${allowanceSentence()}; see README)`,
  cache,
  availability,
  compile(program): CompiledCode {
    try {
      const job = plan(program);
      const reused = reuse(job);
      if (reused !== undefined) return result(job, reused.fn, reused.how);
      const file = buildEntry(job.tools, job.key, job, cacheLimit());
      return result(job, remember(job, loadAddon(file, job.arity, job.fingerprint)), "compiled");
    } catch (error) {
      throw asExprError(program, error);
    }
  },
  /** Like compile, but the event loop keeps running while the compiler does. */
  async compileAsync(program): Promise<CompiledCode> {
    try {
      const job = plan(program);
      const reused = reuse(job);
      if (reused !== undefined) return result(job, reused.fn, reused.how);
      const file = await buildEntryAsync(job.tools, job.key, job, cacheLimit());
      // Another call may have loaded it while the compiler ran.
      const fn = loaded.get(job.key) ?? loadAddon(file, job.arity, job.fingerprint);
      return result(job, remember(job, fn), "compiled");
    } catch (error) {
      throw asExprError(program, error);
    }
  },
};
