/**
 * The `treewalk` back-end: the reference evaluator (semantics/evaluate.ts)
 * behind the Backend interface. Its artefact is the lowered tree itself.
 */

import { dumpProgram } from "../../semantics/dump.js";
import { evaluateFirst, evaluateProgram } from "../../semantics/evaluate.js";
import type { Program } from "../../semantics/program.js";
import type { Backend, BatchFn, BatchIntoFn, CompiledCode } from "../backend.js";

/** The tree-walk interpreter: no compile step, walks the tree on every call. */
export const treewalk: Backend = {
  name: "treewalk",
  summary: "tree-walk interpreter: walks the lowered tree on every evaluation (the reference)",
  options: [],
  artefact: "tree",
  exact: true,
  availability: () => ({ available: true }),
  compile(program): CompiledCode {
    return {
      fn: (...values: number[]) => evaluateFirst(program, values),
      fnInto: (out, ...values) => {
        evaluateProgram(program, values, out);
      },
      dump: () => dumpProgram(program),
      dispose: () => {},
      how: "no code generated; the tree is walked on each call",
      batch: () => referenceBatch(program),
      batchInto: () => referenceBatchInto(program),
    };
  },
};

/** The reference batch: the tree walked once per row, in row order. */
function referenceBatch(program: Program): BatchFn {
  const values = new Float64Array(program.variables.length);
  return (columns, out) => {
    for (let row = 0; row < out.length; row++) {
      for (let slot = 0; slot < values.length; slot++) {
        values[slot] = (columns[slot] as Float64Array)[row] as number;
      }
      out[row] = evaluateFirst(program, values);
    }
  };
}

/** The reference batch of every result: all of one row's results, row after row. */
function referenceBatchInto(program: Program): BatchIntoFn {
  const values = new Float64Array(program.variables.length);
  const row = new Float64Array(program.results.length);
  return (columns, outs) => {
    const n = outs.length === 0 ? 0 : (outs[0] as Float64Array).length;
    for (let i = 0; i < n; i++) {
      for (let slot = 0; slot < values.length; slot++) {
        values[slot] = (columns[slot] as Float64Array)[i] as number;
      }
      evaluateProgram(program, values, row);
      for (let r = 0; r < outs.length; r++) (outs[r] as Float64Array)[i] = row[r] as number;
    }
  };
}
