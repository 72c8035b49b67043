/**
 * Loading a built addon into the process and turning it into the fast
 * positional entry.
 *
 * Why Node-API through `process.dlopen` and not an FFI package: it is
 * faster per call and needs no dependency. Measured on this workload's
 * `(y + x)` in one run: Node-API with the slot protocol of addon.ts about
 * 17 ns per call, Node-API reading its arguments with napi_get_value_double
 * about 50 ns, koffi 3.3 calling a plain `double f(double, double)` about
 * 70 ns (it converts every argument and the result on each call). No
 * prebuilt binary to trust or fetch, and Node checks the module's ABI. The
 * price: the C must include node_api.h, so Node's headers must be
 * installed, and a loaded object is never unloaded (Node has no way to
 * dlclose an addon).
 */

import type { BatchFn, EvalFn } from "../backend.js";
import { ToolchainError } from "./failure.js";
import { ABI_TAG } from "./runtime.js";

/** Captured at load, so a program replacing Math.max later cannot change what we build. */
const { max } = Math;

/** Captured at load: the entries built below must not depend on globals a program may replace. */
const NaNValue = Number.NaN;
const makeFunction = Function;
const Doubles = Float64Array;
const CodeGenerationRefused = EvalError;

/** What a generated addon exports (see addon.ts). */
interface AddonExports {
  readonly Main: () => void;
  readonly slots: ArrayBuffer;
}

/** The batch loop (`Batch`, see addon.ts) of each entry loaded, found by the entry. */
const batches = new WeakMap<EvalFn, BatchFn>();

/** The slots of each entry loaded, found by the entry: where several results are read. */
const slotsByEntry = new WeakMap<EvalFn, Float64Array>();

/** The slots of an entry {@link loadAddon} returned (`Main` writes several results there). */
export function slotsOf(fn: EvalFn): Float64Array | undefined {
  return slotsByEntry.get(fn);
}

/** The batch loop of an entry {@link loadAddon} returned, if its object exports one. */
export function batchOf(fn: EvalFn): BatchFn | undefined {
  return batches.get(fn);
}

/**
 * Loads the addon at `file`, checks that it is one of ours, built for the
 * program with `fingerprint` and `arity` variables, and returns its entry.
 * Throws ToolchainError.
 */
export function loadAddon(file: string, arity: number, fingerprint: string): EvalFn {
  const module: { exports: Record<string, unknown> } = { exports: {} };
  try {
    process.dlopen(module, file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ToolchainError(`cannot load the compiled code: ${message}`);
  }
  const exports = checkExports(module.exports, arity, fingerprint);
  const fn = entry(exports, arity);
  slotsByEntry.set(fn, new Float64Array(exports.slots));
  const { Batch } = module.exports;
  if (typeof Batch === "function") batches.set(fn, Batch as BatchFn);
  return fn;
}

/** The exports, if they are what addon.ts generates; else a ToolchainError. */
function checkExports(
  exports: Record<string, unknown>,
  arity: number,
  fingerprint: string,
): AddonExports {
  const { Main, slots, abi } = exports;
  const problem =
    abi !== ABI_TAG
      ? `its abi is ${String(abi)}, expected ${ABI_TAG}`
      : typeof Main !== "function"
        ? "it exports no function Main"
        : exports.fingerprint !== fingerprint
          ? "it was built for another program"
          : exports.arity !== arity
            ? `Main takes ${String(exports.arity)} values, expected ${arity}`
            : !(slots instanceof ArrayBuffer) || slots.byteLength < max(1, arity) * 8
              ? "its slots are missing or too small"
              : undefined;
  if (problem !== undefined) {
    throw new ToolchainError(`the compiled code is not a usable exprjit module: ${problem}`);
  }
  return { Main: Main as () => void, slots: slots as ArrayBuffer };
}

/**
 * The positional entry: writes the values into the slots, calls Main, reads
 * slot 0. It is built per module with `new Function` from the arity alone
 * (parameter names `a0`…), so each compiled expression has its own call
 * site for V8 to inline, rather than one shared megamorphic wrapper.
 * A value that is not a number becomes NaN: the fast entry is unchecked
 * but must never throw (a Symbol or BigInt would, on a Float64Array).
 */
function entry({ Main, slots }: AddonExports, arity: number): EvalFn {
  const params: string[] = [];
  const stores: string[] = [];
  for (let i = 0; i < arity; i++) {
    params.push(`a${i}`);
    stores.push(`s[${i}] = typeof a${i} === "number" ? a${i} : n;`);
  }
  const body = [
    '"use strict";',
    `return function exprjit_native(${params.join(", ")}) {`,
    stores.join("\n"),
    "main();",
    "return s[0];",
    "};",
  ].join("\n");
  const s = new Doubles(slots);
  try {
    const make = makeFunction("main", "s", "n", body) as (
      main: () => void,
      s: Float64Array,
      n: number,
    ) => EvalFn;
    return make(Main, s, NaNValue);
  } catch (error) {
    // Code generation from strings is forbidden here (a CSP, or
    // --disallow-code-generation-from-strings): one generic entry does the same.
    if (!(error instanceof CodeGenerationRefused)) throw error;
    return (...values: number[]) => {
      for (let i = 0; i < arity; i++) {
        const value = values[i];
        s[i] = typeof value === "number" ? value : NaNValue;
      }
      Main();
      return s[0] as number;
    };
  }
}
