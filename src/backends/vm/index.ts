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
import type { Backend, BatchFn, CompiledCode, EvalFn } from "../backend.js";
import {
  type BlockProgram,
  blockable,
  compileBlocks,
  createBatch,
  disassembleBlocks,
} from "./block.js";
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
      let batch: BatchFn | undefined;
      const toBlocks = () => {
        blocks ??= compileBlocks(program);
        return blocks;
      };
      const code: CompiledCode = {
        fn: entryOf(chunks),
        dump: () => disassembleProgram(chunks, program),
        dispose: () => {},
        how: "compiled to bytecode; run by a switch-dispatch stack VM, no code generation",
      };
      if (!blockable(program)) return code;
      return {
        ...code,
        batch: () => {
          batch ??= createBatch(toBlocks());
          return batch;
        },
        dumpBatch: () => disassembleBlocks(toBlocks(), program),
      };
    },
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
