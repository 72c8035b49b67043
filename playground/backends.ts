/**
 * What the playground says about each back-end: a short technique for the
 * results table (shown even while the expression has an error) and, for
 * those that cannot run in a browser at all, why. One entry per
 * `BackendName`, so a new back-end is a type error here until described.
 * Which ones run in this page is the library's answer (`backends`), and
 * why one does not is the library's own error message (`whyNot`).
 */

import { type BackendName, backends, compile } from "exprjit";

export interface BackendInfo {
  /** One line for the results table. */
  readonly technique: string;
  /** Set when the back-end can never run in a page, whatever the policy. */
  readonly browser?: string;
}

export const BACKEND_INFO: Readonly<Record<BackendName, BackendInfo>> = {
  treewalk: { technique: "tree-walk interpreter (the reference)" },
  vm: { technique: "bytecode compiler + stack VM" },
  closure: { technique: "closure compiler: nested specialised closures" },
  js: { technique: "JIT to JavaScript (new Function)" },
  wasm: { technique: "JIT to WebAssembly, encoded byte by byte" },
  native: {
    technique: "C through the system compiler",
    browser: "needs Node and a C compiler, never a browser",
  },
};

/** Every back-end the library knows, in the table's order. */
export const ALL_BACKENDS = Object.keys(BACKEND_INFO) as BackendName[];

/** The back-ends that cannot run in this page, each with the reason. */
export function unavailable(): { name: BackendName; why: string }[] {
  return ALL_BACKENDS.filter((name) => !backends.includes(name)).map((name) => ({
    name,
    why: whyNot(name),
  }));
}

/** Why `name` does not run here: the library's own refusal, or the table's sentence. */
function whyNot(name: BackendName): string {
  const { browser } = BACKEND_INFO[name];
  if (browser !== undefined) return browser;
  try {
    compile("1", { backend: name }).dispose();
    return "not listed in `backends` here";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
