/**
 * The `bytecode` artefact: exact listings, with and without the
 * optimisations, so a change to the compiler or the table shows up here.
 */

import { describe, expect, it } from "vitest";
import { toProgram, toResolvedProgram } from "../../../src/api/frontend.js";
import type { Backend } from "../../../src/backends/backend.js";
import { vm, vmBackend } from "../../../src/backends/vm/index.js";
import { createEnvironment } from "../../../src/index.js";

/** No optimisation at all: the vm's own off, and the program not lowered. */
const PLAIN = vmBackend({ fuse: false, jumps: false });

function listing(source: string, backend: Backend = vm): string {
  const program = backend === PLAIN ? toResolvedProgram(source) : toProgram(source);
  return backend.compile(program, {}).dump();
}

describe("disassembly", () => {
  it("lists 1+1.2-5 folded to one constant", () => {
    expect(listing("1+1.2-5")).toBe(
      [
        "; 2 instructions, 1 constant, 0 variables, max stack 1",
        "0000  1:1  LOAD       -2.8",
        "0002  1:1  RETURN",
      ].join("\n"),
    );
  });

  it("lists 1+1.2-5 instruction by instruction without optimisations", () => {
    expect(listing("1+1.2-5", PLAIN)).toBe(
      [
        "; 6 instructions, 3 constants, 0 variables, max stack 2",
        "0000  1:1  LOAD       1",
        "0002  1:3  LOAD       1.2",
        "0004  1:1  ADD",
        "0005  1:7  LOAD       5",
        "0007  1:1  SUB",
        "0008  1:1  RETURN",
      ].join("\n"),
    );
  });

  it("lists a conditional with jumps, fused operands and returns from each branch", () => {
    expect(listing("x < 2 ? y * x : -y")).toBe(
      [
        "; 7 instructions, 1 constant, 2 variables (x, y), max stack 1",
        "0000  1:1   LT_MM      x 2",
        "0003  1:1   JUMP_FALSE -> 0009",
        "0005  1:9   MUL_MM     y x",
        "0008  1:9   RETURN",
        "0009  1:18  LOAD       y",
        "0011  1:17  NEG",
        "0012  1:1   RETURN",
      ].join("\n"),
    );
  });

  it("lists && as a value: a short cut to a pooled 0, BOOL only where needed", () => {
    expect(listing("a && (b + 1)")).toBe(
      [
        "; 7 instructions, 2 constants, 2 variables (a, b), max stack 1",
        "0000  1:1  LOAD       a",
        "0002  1:1  JUMP_FALSE -> 0010",
        "0004  1:7  ADD_MM     b 1",
        "0007  1:1  BOOL",
        "0008  1:1  JUMP       -> 0012",
        "0010  1:1  LOAD       0",
        "0012  1:1  RETURN",
      ].join("\n"),
    );
  });

  it("shows line:column on later lines and calls by name", () => {
    expect(listing("1 +\n  hypot(x, 3, y)")).toBe(
      [
        "; 6 instructions, 2 constants, 2 variables (x, y), max stack 3",
        "0000  2:9   LOAD       x",
        "0002  2:12  LOAD       3",
        "0004  2:15  LOAD       y",
        "0006  2:3   CALLN      hypot argc=3",
        "0009  1:1   ADD_M      1",
        "0011  1:1   RETURN",
      ].join("\n"),
    );
  });

  it("calls user functions through the chunk's table, by name, and lists each definition", () => {
    const env = createEnvironment({
      functions: {
        sq: "sq(v) = v * v",
        norm: "norm(a, b) = sqrt(sq(a) + sq(b))",
        rnd: { fn: () => 0.5, arity: 0 },
      },
    });
    expect(env.compile("norm(x, rnd()) + 1", { backend: "vm" }).dump()).toBe(
      [
        "; 5 instructions, 1 constant, 1 variable (x), max stack 2",
        "0000  1:6  LOAD       x",
        "0002  1:9  CALL_USER  rnd argc=0",
        "0005  1:1  CALL_USER  norm argc=2",
        "0008  1:1  ADD_M      1",
        "0010  1:1  RETURN",
        "",
        "; definition sq(v) = v * v",
        "; 2 instructions, 0 constants, 1 variable (v), max stack 1",
        "0000  1:9  MUL_MM     v v",
        "0003  1:9  RETURN",
        "",
        "; definition norm(a, b) = sqrt(sq(a) + sq(b))",
        "; 7 instructions, 0 constants, 2 variables (a, b), max stack 2",
        "0000  1:22  LOAD       a",
        "0002  1:19  CALL_USER  sq argc=1",
        "0005  1:30  LOAD       b",
        "0007  1:27  CALL_USER  sq argc=1",
        "0010  1:19  ADD",
        "0011  1:14  CALL1      sqrt",
        "0013  1:14  RETURN",
      ].join("\n"),
    );
  });
});
