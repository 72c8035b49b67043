/**
 * The one interface every back-end implements. A back-end turns a resolved
 * {@link Program} into code that evaluates it; the public API (src/api/)
 * checks inputs once, for all of them, so back-ends receive plain numbers.
 */

import type { Program } from "../semantics/program.js";

/**
 * The name of every back-end there is, whether or not it runs here: what
 * `backend` takes. A new back-end adds its name here.
 */
export type BackendName = "treewalk" | "vm" | "closure" | "js" | "wasm" | "native";

/** The fast entry: positional numbers in `Program.variables` order, unchecked. */
export type EvalFn = (...values: number[]) => number;

/**
 * The batch entry: evaluates rows `0 .. out.length - 1`, reading variable
 * slot `k` of row `i` from `columns[k][i]` and writing the result to
 * `out[i]`. The public API has checked everything: one column per
 * variable, each at least `out.length` long. Row `i` of `out` must be
 * exactly (`Object.is`) what `fn` gives for row `i` (LANGUAGE.md, "Batch
 * evaluation"). `out` may be one of the columns: a row's inputs are read
 * before its result is written.
 */
export type BatchFn = (columns: readonly Float64Array[], out: Float64Array) => void;

/**
 * The entry for every result (v3: a formula set, a value with its
 * partials): evaluates one row of positional values, as {@link EvalFn}
 * takes them, and writes result `r` (`Program.results[r]`) to `out[r]`,
 * every result of one evaluation (each binding evaluated once). `out` has
 * at least `Program.results.length` elements; nothing else is written.
 */
export type IntoFn = (out: Float64Array, ...values: number[]) => void;

/**
 * The batch entry for every result: like {@link BatchFn}, with one output
 * column per result, `outs[r][i]` receiving result `r` of row `i`, all in
 * one pass over the rows (every column at least `outs[0].length` long).
 * An output may be one of the input columns only if it is the sole
 * output: a row's inputs are read before any of its results is written.
 */
export type BatchIntoFn = (columns: readonly Float64Array[], outs: readonly Float64Array[]) => void;

/** Whether a back-end can run in this process, and if not, why. */
export type Availability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string };

/** Options the public API passes through to a back-end. */
export interface BackendOptions {
  /**
   * `js` only: how generated source is loaded. `"function"` (default) uses
   * `new Function`; `"module"` writes an ES module and `import()`s it
   * (asynchronous: use `compileAsync`).
   */
  readonly load?: "function" | "module";
}

/** Every option name in {@link BackendOptions}. */
export type BackendOptionName = keyof BackendOptions;

/** What a back-end's cache holds now, for `exprjit cache info` and tests. */
export interface CacheInfo {
  /** Where the cache lives: a directory, or `"memory"` for an in-process cache. */
  readonly location: string;
  /** Entries held. */
  readonly entries: number;
  /** Bytes held (of files on disk, or of source text kept in memory). */
  readonly bytes: number;
  /** The most bytes it keeps before evicting the least recently used entries, if bounded by size. */
  readonly limitBytes?: number;
}

/** A back-end's cache of compiled code: inspect it and empty it. */
export interface BackendCache {
  /** What the cache holds now. Never creates the cache. */
  info(): CacheInfo;
  /** Removes every entry this process may remove; returns how many went. */
  clear(): number;
}

/** What a back-end produced for one program. */
export interface CompiledCode {
  /** The fast entry: result 0 (the only one of a plain expression). */
  readonly fn: EvalFn;
  /** Every result of one row, into a caller's array (see {@link IntoFn}). */
  readonly fnInto: IntoFn;
  /** The text of the artefact (bytecode listing, JS source, WAT, C source, or the tree). */
  dump(): string;
  /** Frees what the code holds (files, native handles); safe to call twice. */
  dispose(): void;
  /** One line for `explain`: how the code was produced and loaded. */
  readonly how?: string;
  /**
   * The back-end's own batch path (a loop in generated code, vectorised
   * blocks, a loop in wasm or C), built on first use. Without it the API
   * loops over `fn`.
   */
  batch?(): BatchFn;
  /** The text of the batch artefact (the loop, the block program), for dumps and tests. */
  dumpBatch?(): string;
  /**
   * The back-end's own batch path for every result (one loop writing a
   * column per result), built on first use. Without it the API loops over
   * `fnInto`.
   */
  batchInto?(): BatchIntoFn;
}

/** A way of running programs. */
export interface Backend {
  /** The name users pass as `backend` (`treewalk`, `vm`, `js`, `wasm`, `native`). */
  readonly name: BackendName;
  /** One line saying what it is, for `--help` and `explain`. */
  readonly summary: string;
  /** The `--dump` name of its artefact (`bytecode`, `js`, `wat`, `c`), if it has one. */
  readonly artefact?: string;
  /**
   * `true` when every result is identical to `treewalk`. `false` only for a
   * back-end outside the JS engine, whose transcendental functions and `pow`
   * (those with `transcendental: true` in the builtin table) may differ by
   * one unit in the last place (LANGUAGE.md, "Exactness").
   */
  readonly exact: boolean;
  /** With `exact: false`: one sentence saying where results may differ, and by how much. */
  readonly allowance?: string;
  /**
   * The {@link BackendOptions} it reads (`["load"]` for `js`). The public API
   * refuses any other back-end option given with this back-end, so an option
   * that would be ignored is an error, in one place.
   */
  readonly options: readonly BackendOptionName[];
  /** Its cache of compiled code, if it keeps one. */
  readonly cache?: BackendCache;
  /** Can it run here? Cheap; may be cached. */
  availability(): Availability;
  /** Compiles synchronously. Throws `ExprError` (kind `backend`) if it cannot. */
  compile(program: Program, options: BackendOptions): CompiledCode;
  /** Compiles where loading is asynchronous (`js` with `load: "module"`); defaults to `compile`. */
  compileAsync?(program: Program, options: BackendOptions): Promise<CompiledCode>;
}
