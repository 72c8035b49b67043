/**
 * The `treewalk` back-end: the reference evaluator (semantics/evaluate.ts)
 * behind the Backend interface. Its artefact is the lowered tree itself.
 */

import { dumpProgram } from "../../semantics/dump.js";
import { evaluateNode } from "../../semantics/evaluate.js";
import type { Backend, CompiledCode } from "../backend.js";

/** The tree-walk interpreter: no compile step, walks the tree on every call. */
export const treewalk: Backend = {
  name: "treewalk",
  summary: "tree-walk interpreter: walks the lowered tree on every evaluation (the reference)",
  options: [],
  artefact: "tree",
  exact: true,
  availability: () => ({ available: true }),
  compile(program): CompiledCode {
    const { root } = program;
    return {
      fn: (...values: number[]) => evaluateNode(root, values),
      dump: () => dumpProgram(program),
      dispose: () => {},
      how: "no code generated; the tree is walked on each call",
    };
  },
};
