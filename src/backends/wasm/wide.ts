/**
 * Wide calls: a call of a JavaScript function (a builtin such as `hypot`,
 * or a host function) with more than {@link WIDE_ARGS} arguments passes
 * them through linear memory, not as wasm parameters. Codegen stores
 * argument i as an f64 at byte 8·i of the argument area and calls the
 * function's slot with one f64, the count; the slot's JavaScript reads the
 * values back and calls the function with exactly them.
 *
 * Why: a slot's trampoline imports its JavaScript function with the call's
 * signature, and Node 20's V8 compiles the wasm-to-JS wrapper of an
 * n-parameter import in time growing faster than n² (0.3 s for n = 250,
 * about 5 s for n = 1,000). A wide call's signature is `(f64) → f64`
 * whatever its width, and one trampoline per function serves every width.
 *
 * Where the area is: a scalar module imports one process-wide memory of
 * one page that cannot grow ({@link argumentMemory}); a batch module has
 * the area at the start of its own memory, and its loader points the
 * readers at that memory while its loop runs ({@link withArgumentsIn}).
 * Batch modules never call host functions, so no other module's code runs
 * meanwhile. A host function, which may evaluate other expressions, is
 * called only after its arguments have been copied out of memory.
 */

import { MAX_ARGUMENTS } from "../../semantics/resolve.js";
import { type HostMemory, host } from "./host.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { ceil } = Math;

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { apply } = Reflect;

/**
 * Calls with at most this many arguments pass them as parameters. Measured
 * (hypot, first compile in a fresh process, and time per call): through
 * memory, a call of 2 to 8 arguments took 1.5 to 2.5 times as long, some
 * 50 ns more, while Node 20 compiled its wrapper in 1 to 3 ms either way;
 * from 9 to 16 arguments memory cost 10 to 45% more per call and saved
 * Node 20 1 to 2 ms of compiling, and from 32 on it saves more than it costs.
 */
export const WIDE_ARGS = 8;

/** Bytes of the argument area: room for the most arguments one call may take. */
export const ARGUMENT_BYTES = MAX_ARGUMENTS * 8;

/** Bytes in a wasm page. */
const PAGE = 65_536;

/** Where the readers read: a memory and its current view. */
interface Source {
  readonly memory: HostMemory;
  view: Float64Array;
}

let shared: Source | undefined;
let current: Source | undefined;

/** The memory every scalar module with wide calls imports: one page, no growth. */
export function argumentMemory(): HostMemory {
  return sharedSource().memory;
}

function sharedSource(): Source {
  if (shared === undefined) {
    if (host === undefined) throw new Error("WebAssembly is not available in this process");
    const pages = ceil(ARGUMENT_BYTES / PAGE);
    const memory = new host.Memory({ initial: pages, maximum: pages });
    shared = { memory, view: new Float64Array(memory.buffer) };
  }
  return shared;
}

/**
 * Runs `body` (a batch module's loop) with wide calls reading their
 * arguments from `memory`, the batch module's own, then reads from the
 * shared memory again, even if `body` throws.
 */
export function withArgumentsIn<T>(memory: HostMemory, body: () => T): T {
  const outer = current;
  current = { memory, view: new Float64Array(memory.buffer) };
  try {
    return body();
  } finally {
    current = outer;
  }
}

/** The `count` arguments stored for the call being made, as a plain array. */
function readArguments(count: number): number[] {
  const source = current ?? sharedSource();
  // A memory that grew has a new buffer, and the old view is detached.
  if (source.view.buffer !== source.memory.buffer) {
    source.view = new Float64Array(source.memory.buffer);
  }
  const { view } = source;
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = view[i] as number;
  return values;
}

/** A wide call's slot function: reads `count` arguments from memory and calls `js` with them. */
export function wideCallee<R>(js: (...args: number[]) => R): (count: number) => R {
  return (count) => apply(js, undefined, readArguments(count));
}
