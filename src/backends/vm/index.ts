/**
 * The `vm` back-end: compiles the program to bytecode (compiler.ts), runs it
 * on a stack VM (vm.ts), and dumps it as a clox-style listing
 * (disassemble.ts). Exact: each instruction performs the JavaScript
 * operation the reference interpreter performs (a swapped `+`, `*` or
 * mirrored comparison is bit-identical in IEEE-754), and constant folding
 * calls the interpreter itself.
 */

import { ExprBackendError } from "../../errors.js";
import type { Program } from "../../semantics/program.js";
import type { Backend, CompiledCode } from "../backend.js";
import type { Chunk } from "./chunk.js";
import { type CompilerFlags, compileChunk, DEFAULT_FLAGS } from "./compiler.js";
import { disassemble } from "./disassemble.js";
import { createEntry } from "./vm.js";

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
      const chunk = toChunk(program, flags);
      return {
        fn: createEntry(chunk),
        dump: () => disassemble(chunk, program),
        dispose: () => {},
        how: "compiled to bytecode; run by a switch-dispatch stack VM, no code generation",
      };
    },
  };
}

/** The chunk for `program`; a failed internal check becomes an ExprError. */
function toChunk(program: Program, flags: CompilerFlags): Chunk {
  try {
    return compileChunk(program, flags);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("bytecode")) throw error;
    throw new ExprBackendError(`vm: ${error.message}`, program.source);
  }
}
