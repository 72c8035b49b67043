/**
 * The `treewalk` back-end: the reference interpreter behind the Backend
 * interface. Its artefact is the resolved tree itself.
 */

import { dumpProgram } from "../../semantics/dump.js";
import type { Backend, CompiledCode } from "../backend.js";
import { interpret } from "./interpret.js";

/** The tree-walk interpreter: no compile step, walks the tree on every call. */
export const treewalk: Backend = {
  name: "treewalk",
  summary: "tree-walk interpreter: walks the resolved tree on every evaluation (the reference)",
  options: [],
  artefact: "tree",
  exact: true,
  availability: () => ({ available: true }),
  compile(program): CompiledCode {
    const { root } = program;
    return {
      fn: (...values: number[]) => interpret(root, values),
      dump: () => dumpProgram(program),
      dispose: () => {},
      how: "no code generated; the tree is walked on each call",
    };
  },
};
