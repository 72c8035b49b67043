/**
 * The `closure` back-end: closure compilation. The lowered Program is
 * translated once into nested JavaScript closures, each specialised to
 * its node's shape (scalar.ts, scalar-ops.ts), so an evaluation is a chain
 * of direct calls with no dispatch on node kinds and no generated source;
 * batches run kernels over blocks of rows (block.ts). It needs neither
 * `new Function`, `eval` nor WebAssembly, so it runs under a
 * Content-Security-Policy of `script-src 'self'`. Exact: every closure
 * performs the JavaScript operation the reference evaluator performs.
 */

import type { Program } from "../../semantics/program.js";
import type { Backend, BatchFn, BatchIntoFn, CompiledCode } from "../backend.js";
import { type BlockClosures, blockable, buildBlocks } from "./block.js";
import { dumpClosures } from "./dump.js";
import { buildScalar } from "./scalar.js";

/** The closure compiler. */
export const closure: Backend = {
  name: "closure",
  summary:
    "closure compiler: nested closures specialised by node shape (no code generation, no eval, no wasm)",
  options: [],
  artefact: "closures",
  exact: true,
  availability: () => ({ available: true }),
  compile(program): CompiledCode {
    const { fn, fnInto } = buildScalar(program);
    const code: CompiledCode = {
      fn,
      fnInto,
      dump: () => dumpClosures(program),
      dispose: () => {},
      how: "compiled to nested closures specialised by node shape; no code generation",
    };
    if (!blockable(program)) return code;
    // The block program is built on the first batch, never for scalar use.
    let blocks: BlockClosures | undefined;
    const toBlocks = () => {
      blocks ??= buildBlocks(program);
      return blocks;
    };
    return {
      ...code,
      batch: (): BatchFn => toBlocks().batch,
      batchInto: (): BatchIntoFn => toBlocks().batchInto,
      dumpBatch: () => dumpBlocks(toBlocks(), program),
    };
  },
};

/** The batch kernels as a listing: registers, block size, one kernel a line. */
function dumpBlocks(blocks: BlockClosures, program: Program): string {
  const views = program.variables.map((name, slot) => `r${slot}=${name}`).join(", ");
  const head =
    `block kernels: ${blocks.registers} registers of ${blocks.blockRows} rows` +
    (views === "" ? "" : `; views of columns: ${views}`);
  return [head, ...blocks.listing.map((line, i) => `${String(i).padStart(4, "0")}  ${line}`)].join(
    "\n",
  );
}
