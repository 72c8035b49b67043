/**
 * The vm's vectorised batch mode: the block program (its listing, its
 * registers), block boundaries, and `&&`, `||`, `?:` computed for whole
 * blocks yet giving exactly the scalar result of every row.
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../src/api/frontend.js";
import { BLOCK_ROWS, compileBlocks } from "../../src/backends/vm/block.js";
import { compile } from "../../src/index.js";
import { batchColumns } from "../differential/properties.js";

describe("the block program", () => {
  it("is listed by the disassembler: registers, constants, one line per instruction", () => {
    const c = compile("x < 2 && y ? -x : max(x, y, 3) % 2", { backend: "vm" });
    expect(c.dumpBatch()).toBe(
      [
        "; block program: 8 instructions over blocks of 1024 rows, 7 registers of 1024 doubles",
        "; r2 = 2 (constant)",
        "; r5 = 3 (constant)",
        "0000         LOAD   r0 x",
        "0001         LOAD   r1 y",
        "0002  1:1    LT     r3 r0 r2",
        "0003  1:1    AND    r3 r3 r1",
        "0004  1:14   NEG    r4 r0",
        "0005  1:19   CALL   r6 max r0 r1 r5",
        "0006  1:19   MOD    r6 r6 r2",
        "0007  1:1    SELECT r6 r3 r4 r6",
        "; result: r6",
      ].join("\n"),
    );
  });

  it("reuses temporaries as soon as they are read", () => {
    // A left-leaning chain needs one temporary however long it is.
    const blocks = compileBlocks(toProgram("x + 1 + 2 + 3 + 4 + 5 + 6"));
    expect(blocks.registers).toBe(8); // x, six constants, one temporary
    expect(blocks.blockRows).toBe(BLOCK_ROWS);
  });

  it("shrinks its blocks when a program needs many registers", () => {
    // Right-leaning: every left operand waits in a register.
    const source = `${Array.from({ length: 600 }, (_, i) => `(x${i} + `).join("")}1${")".repeat(600)}`;
    const blocks = compileBlocks(toProgram(source));
    expect(blocks.registers).toBeGreaterThan(600);
    expect(blocks.blockRows * blocks.registers).toBeLessThanOrEqual(1 << 18);
    expect(blocks.blockRows).toBe(256);
  });
});

describe("vectorised results are the scalar results", () => {
  const cases = [
    "x && y",
    "x || y",
    "!x || y > 0",
    "x ? y : -y",
    "x != x ? 1 : x == y",
    "(x > 0 ? sqrt(x) : nan) + y ^ 2",
    "min(x, y) - max(x, y, -0) + hypot(x, y, 1)",
    "x % y - atan2(x, y)",
  ];
  it.each(cases)("%s, across block boundaries", (source) => {
    const vm = compile(source, { backend: "vm" });
    const reference = compile(source, { backend: "treewalk" });
    for (const n of [BLOCK_ROWS - 1, BLOCK_ROWS, BLOCK_ROWS * 2 + 1]) {
      const columns = batchColumns(vm.variables.length, n, ["typed", "plain"], n);
      const got = vm.evaluateBatch(columns);
      const want = reference.evaluateBatch(columns);
      for (let i = 0; i < n; i++) {
        if (!Object.is(got[i], want[i])) expect.fail(`row ${i}: vm ${got[i]}, treewalk ${want[i]}`);
      }
    }
  });
});

describe("expression functions in the block program", () => {
  const functions = {
    lerp: "lerp(a, b, t) = a + (b - a) * t",
    id: "id(q) = q",
    sq: "sq(v) = v * v",
  };

  it("are inlined, listed at their call, each argument computed once", () => {
    const c = compile("lerp(x, y, x) + id(y)", { backend: "vm", functions });
    expect(c.dumpBatch()).toBe(
      [
        "; block program: 6 instructions over blocks of 1024 rows, 3 registers of 1024 doubles",
        "0000         LOAD   r0 x",
        "0001         LOAD   r1 y",
        "0002  1:1    SUB    r2 r1 r0",
        "0003  1:1    MUL    r2 r2 r0",
        "0004  1:1    ADD    r2 r0 r2",
        "0005  1:1    ADD    r2 r2 r1",
        "; result: r2",
      ].join("\n"),
    );
  });

  it.each([
    "sq(id(x + 1)) - lerp(sq(y), id(x), sq(2))",
    "x < 0 ? sq(x) : lerp(x, y, 0.25)",
    "id(id(id(x))) * id(y + 1)",
  ])("give exactly the scalar results: %s", (source) => {
    const vm = compile(source, { backend: "vm", functions });
    const columns = batchColumns(vm.variables.length, BLOCK_ROWS + 1, ["typed"], 3);
    const got = vm.evaluateBatch(columns);
    const want = compile(source, { backend: "treewalk", functions }).evaluateBatch(columns);
    for (let i = 0; i < got.length; i++) {
      if (!Object.is(got[i], want[i])) expect.fail(`row ${i}: vm ${got[i]}, treewalk ${want[i]}`);
    }
  });
});
