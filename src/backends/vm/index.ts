/**
 * The `vm` back-end: compiles the program to bytecode (compiler.ts), runs it
 * on a stack VM (vm.ts), and dumps it as a clox-style listing
 * (disassemble.ts). Exact: each instruction performs the JavaScript
 * operation the reference interpreter performs (a swapped `+`, `*` or
 * mirrored comparison is bit-identical in IEEE-754), and constant folding
 * calls the interpreter itself.
 */

import { ExprBackendError } from "../../errors.js";
import type { Definition, Program } from "../../semantics/program.js";
import type { Backend, BatchFn, BatchIntoFn, CompiledCode, EvalFn, IntoFn } from "../backend.js";
import {
  type BlockProgram,
  blockable,
  compileBlocks,
  createBatch,
  disassembleBlocks,
} from "./block.js";
import type { Chunk } from "./chunk.js";
import { type CompilerFlags, compileProgram, DEFAULT_FLAGS, type VmProgram } from "./compiler.js";
import { disassembleProgram } from "./disassemble.js";
import { createProgramEntry } from "./vm.js";

/** The bytecode compiler and virtual machine, every optimisation on. */
export const vm: Backend = vmBackend(DEFAULT_FLAGS);

/** The `vm` back-end with chosen optimisations (the benchmark compares them). */
export function vmBackend(flags: CompilerFlags): Backend {
  return {
    name: "vm",
    summary: "bytecode compiler + stack virtual machine (no code generation, no eval)",
    options: [],
    artefact: "bytecode",
    exact: true,
    availability: () => ({ available: true }),
    compile(program): CompiledCode {
      const chunks = toChunks(program, flags);
      // The block program is compiled on the first batch, never for scalar use.
      let blocks: BlockProgram | undefined;
      let batch: BatchIntoFn | undefined;
      const toBlocks = () => {
        blocks ??= compileBlocks(program);
        return blocks;
      };
      const toBatch = () => {
        batch ??= createBatch(toBlocks());
        return batch;
      };
      const fn = entryOf(chunks);
      const code: CompiledCode = {
        fn,
        fnInto: intoOf(fn, chunks.main),
        dump: () => disassembleProgram(chunks, program),
        dispose: () => {},
        how: "compiled to bytecode; run by a switch-dispatch stack VM, no code generation",
      };
      if (!blockable(program)) return code;
      return {
        ...code,
        batch: (): BatchFn => {
          const into = toBatch();
          const results = program.results.length;
          if (results === 1) return (columns, out) => into(columns, [out]);
          return (columns, out) => {
            const outs = [out];
            for (let r = 1; r < results; r++) outs.push(new Float64Array(out.length));
            into(columns, outs);
          };
        },
        batchInto: toBatch,
        dumpBatch: () => disassembleBlocks(toBlocks(), program),
      };
    },
  };
}

/**
 * Every result of a row: after `fn` ran, each is in its local slot of the
 * chunk's memory (a call re-entered from a host function runs on a copy,
 * so the slots read here are this call's).
 */
function intoOf(fn: EvalFn, main: Chunk): IntoFn {
  const { resultSlots: slots, memory } = main;
  if (slots.length === 0) {
    return (out, ...values) => {
      out[0] = fn(...values);
    };
  }
  return (out, ...values) => {
    fn(...values);
    for (let r = 0; r < slots.length; r++) out[r] = memory[slots[r] as number] as number;
  };
}

/** The entry of the program's chunk, the definitions' entries made first (callees first). */
function entryOf(chunks: VmProgram): EvalFn {
  const entries = new Map<Definition, EvalFn>();
  for (const { definition, chunk } of chunks.definitions) {
    entries.set(definition, createProgramEntry(chunk, entries));
  }
  return createProgramEntry(chunks.main, entries);
}

/** The chunks for `program`; a failed internal check becomes an ExprError. */
function toChunks(program: Program, flags: CompilerFlags): VmProgram {
  try {
    return compileProgram(program, flags);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("bytecode")) throw error;
    throw new ExprBackendError(`vm: ${error.message}`, program.source, { cause: error });
  }
}
