/**
 * `createEngine` (src/api/engine.ts): the package's entry points over a
 * caller's list of back-ends, choosing only among them, with the same
 * checks and errors as the default entry.
 */

import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/api/engine.js";
import { treewalk } from "../../src/backends/treewalk/index.js";
import { vm } from "../../src/backends/vm/index.js";
import { ExprBackendError, ExprOptionsError } from "../../src/errors.js";

/** The class and message of what `work` throws. */
function failure(work: () => unknown): [string, string] {
  try {
    work();
  } catch (error) {
    return [(error as Error).constructor.name, (error as Error).message];
  }
  throw new Error("did not throw");
}

describe("an engine made from a list of back-ends", () => {
  it("chooses among its own only: auto tiers over them, others are unknown", () => {
    const engine = createEngine([treewalk, vm]);
    expect([...engine.backends]).toEqual(["treewalk", "vm"]);
    const f = engine.compile("x * 2 + 1");
    for (let i = 0; i < 200; i++) f.fn(i);
    expect(f.promotions).toEqual([
      { tier: "treewalk", at: 0 },
      { tier: "vm", at: 128 },
    ]);
    expect(failure(() => engine.compile("x", { backend: "js" }))).toEqual([
      "ExprBackendError",
      "unknown back-end 'js' (known: auto, treewalk, vm)",
    ]);
    expect(failure(() => engine.compile("x", { tiers: ["treewalk", "wasm"] }))).toEqual([
      "ExprOptionsError",
      "tiers: unknown back-end 'wasm' (known: treewalk, vm)",
    ]);
  });

  it("evaluates on treewalk when it has it, otherwise on its default", () => {
    expect(createEngine([treewalk, vm]).evaluate("x + 1", { x: 2 })).toBe(3);
    const vmOnly = createEngine([vm]);
    expect(vmOnly.evaluate("x + 1", { x: 2 })).toBe(3);
    expect(vmOnly.compile("x").tier).toBe("vm");
    expect(() => vmOnly.compile("x", { backend: "treewalk" })).toThrow(ExprBackendError);
  });

  it("gives environments and parallel batches (on the calling thread without a loader)", async () => {
    const engine = createEngine([vm]);
    const environment = engine.createEnvironment({ constants: { k: 3 } });
    expect(environment.compile("x * k").tier).toBe("vm");
    expect(environment.evaluate("k + 1")).toBe(4);
    const x = new Float64Array(1 << 17).map((_, i) => i);
    const out = await engine.compile("x * 2").evaluateBatchParallel({ x }, { workers: 2 });
    expect([out[0], out[7], out.length]).toEqual([0, 14, 1 << 17]);
  });

  it("refuses a list that is not one", () => {
    expect(failure(() => createEngine([]))).toEqual([
      "ExprOptionsError",
      "createEngine takes a list of one or more back-ends, not an empty list",
    ]);
    expect(() => createEngine([vm, vm])).toThrow(
      new ExprOptionsError("createEngine: 'vm' is listed twice", ""),
    );
    expect(() => createEngine(["vm" as never])).toThrow(ExprOptionsError);
  });
});
