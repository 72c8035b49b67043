/**
 * The engine's WebAssembly API, typed for what this back-end uses. The
 * project's `lib` has no WebAssembly declarations (they live in the DOM
 * lib), so we describe the few members we call and look the global up once.
 */

/** A compiled module (opaque here). */
export type HostModule = object;

/** An instantiated module: its exports. */
export interface HostInstance {
  readonly exports: Readonly<Record<string, unknown>>;
}

/** The imports object: module name → field name → value. */
export type HostImports = Record<string, Record<string, unknown>>;

/** A `funcref` table. */
export interface HostTable {
  readonly length: number;
  grow(delta: number): number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}

/** A linear memory. */
export interface HostMemory {
  /** Its bytes; a new ArrayBuffer after each growth (the old one is detached). */
  readonly buffer: ArrayBuffer;
}

/** The members of the global `WebAssembly` we use. */
export interface WebAssemblyHost {
  readonly Module: new (bytes: Uint8Array) => HostModule;
  readonly Instance: new (module: HostModule, imports: HostImports) => HostInstance;
  readonly Table: new (descriptor: { element: "anyfunc"; initial: number }) => HostTable;
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => HostMemory;
  validate(bytes: Uint8Array): boolean;
}

/** The engine's `WebAssembly`, or undefined where there is none (e.g. `--jitless`). */
export const host: WebAssemblyHost | undefined = (
  globalThis as { readonly WebAssembly?: WebAssemblyHost }
).WebAssembly;
