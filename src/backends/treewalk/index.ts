/**
 * The `treewalk` back-end: the reference evaluator (semantics/evaluate.ts)
 * behind the Backend interface. Its artefact is the lowered tree itself.
 */

import { dumpProgram } from "../../semantics/dump.js";
import { evaluateNode } from "../../semantics/evaluate.js";
import type { Program } from "../../semantics/program.js";
import type { Backend, BatchFn, CompiledCode } from "../backend.js";

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
      batch: () => referenceBatch(program),
    };
  },
};

/** The reference batch: the tree walked once per row, in row order. */
function referenceBatch({ root, variables }: Program): BatchFn {
  const values = new Float64Array(variables.length);
  return (columns, out) => {
    for (let row = 0; row < out.length; row++) {
      for (let slot = 0; slot < values.length; slot++) {
        values[slot] = (columns[slot] as Float64Array)[row] as number;
      }
      out[row] = evaluateNode(root, values);
    }
  };
}
