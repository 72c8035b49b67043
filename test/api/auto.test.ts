/**
 * The auto back-end: it starts on treewalk, promotes after its thresholds,
 * keeps one `fn`, picks a batch's tier by its rows, records what happened,
 * refuses plans that make no sense. That it never changes a result, promoted
 * in the middle of random calls, is a differential property
 * (test/differential/properties.ts).
 */

import { describe, expect, it } from "vitest";
import { DEFAULT_JIT_THRESHOLD, DEFAULT_THRESHOLD, tierPlan } from "../../src/api/auto.js";
import type { BackendName } from "../../src/backends/backend.js";
import { native } from "../../src/backends/native/index.js";
import { ExprBackendError, ExprOptionsError } from "../../src/errors.js";
import { compile } from "../../src/index.js";

/** The message and class of what `work` throws. */
function failure(work: () => unknown): [string, string] {
  try {
    work();
  } catch (error) {
    return [(error as Error).constructor.name, (error as Error).message];
  }
  return ["none", "no error"];
}

describe("the auto back-end", () => {
  it("is the default: treewalk first, closure after the default threshold, js after the next, with one fn throughout", () => {
    const compiled = compile("x * 2 + 1");
    expect(compiled.backend).toBe("auto");
    expect(compiled.tier).toBe("treewalk");
    const fn = compiled.fn;
    for (let i = 0; i < DEFAULT_THRESHOLD; i++) expect(Object.is(fn(i), i * 2 + 1)).toBe(true);
    expect(compiled.tier).toBe("treewalk");
    expect(fn(0.5)).toBe(2);
    expect(compiled.tier).toBe("closure");
    for (let i = DEFAULT_THRESHOLD + 1; i < DEFAULT_JIT_THRESHOLD; i++) fn(i);
    expect(compiled.tier).toBe("closure");
    expect(fn(0.25)).toBe(1.5);
    expect(compiled.tier).toBe("js");
    expect(compiled.fn).toBe(fn);
    expect(compiled.promotions).toEqual([
      { tier: "treewalk", at: 0 },
      { tier: "closure", at: DEFAULT_THRESHOLD },
      { tier: "js", at: DEFAULT_JIT_THRESHOLD },
    ]);
    expect(fn(-0.5)).toBe(0);
    compiled.dispose();
  });

  it("drops the middle tier when given one threshold and no tiers", () => {
    expect(tierPlan({ thresholds: [64] }, "").tiers.map((b) => b.name)).toEqual(["treewalk", "js"]);
    expect(tierPlan({ thresholds: [64, 1000] }, "").tiers.map((b) => b.name)).toEqual([
      "treewalk",
      "closure",
      "js",
    ]);
  });

  it("goes through the tiers given, at the thresholds given, counting evaluate calls too", () => {
    const compiled = compile("x - 1", { tiers: ["treewalk", "vm", "js"], thresholds: [2, 5] });
    const seen: BackendName[] = [];
    for (let i = 0; i < 3; i++) {
      compiled.fn(i);
      seen.push(compiled.tier);
    }
    for (let i = 0; i < 3; i++) {
      compiled.evaluate({ x: i });
      seen.push(compiled.tier);
    }
    expect(seen).toEqual(["treewalk", "treewalk", "vm", "vm", "vm", "js"]);
    expect(compiled.dump().split("\n")[0]).toBe(
      "auto: treewalk → vm after 2 calls → js after 5 calls; treewalk from the start, vm from call 3, js from call 6",
    );
  });

  it("shows its plan and history in dump() and how, then the running tier's artefact", () => {
    const compiled = compile("x + 1", { thresholds: [1] });
    expect(compiled.dump()).toBe(
      "auto: treewalk → js after 1 call; treewalk from the start\n\nvariables: x=v0\nBinary +\n├─ Variable x (v0)\n└─ Number 1",
    );
    expect(compiled.how).toBe(
      "auto: treewalk → js after 1 call; treewalk from the start; no code generated; the tree is walked on each call",
    );
    compiled.fn(1);
    compiled.fn(2);
    expect(compiled.dump()).toMatch(
      /^auto: treewalk → js after 1 call; treewalk from the start, js from call 2\n\nfunction anonymous\(/,
    );
  });

  it("runs a large batch on the top tier at once, and a small one where it stands", () => {
    const compiled = compile("x * y");
    const small = compiled.evaluateBatch({ x: [1, 2, 3], y: 2 });
    expect([...small]).toEqual([2, 4, 6]);
    expect(compiled.tier).toBe("treewalk");
    const x = Float64Array.from({ length: 20_000 }, (_, i) => i - 5000.5);
    const out = compiled.evaluateBatch({ x, y: -0 });
    expect(compiled.tier).toBe("js");
    expect(compiled.promotions.slice(1)).toEqual([
      { tier: "closure", at: 3 },
      // A broadcast column goes through the API in chunks of 8,192 rows: the second one promotes.
      { tier: "js", at: 3 + 8_192 },
    ]);
    for (let i = 0; i < x.length; i++) {
      expect(Object.is(out[i], (x[i] as number) * -0)).toBe(true);
    }
  });

  it("starts on the last tier when there is one, and thresholds of 0 promote at the first call", () => {
    const only = compile("x / 3", { tiers: ["vm"], thresholds: [] });
    expect(only.tier).toBe("vm");
    expect(only.fn(1)).toBe(1 / 3);
    const eager = compile("x / 3", { thresholds: [0] });
    expect(eager.tier).toBe("treewalk");
    expect(eager.fn(1)).toBe(1 / 3);
    expect(eager.tier).toBe("js");
  });

  it("never starts the C compiler unless native is listed", () => {
    const compiled = compile("sin(x)");
    for (let i = 0; i < 20_000; i++) compiled.fn(i);
    expect(compiled.promotions.map((p) => p.tier)).toEqual(["treewalk", "closure", "js"]);
    expect(tierPlan({}, "").tiers.map((b) => b.name)).not.toContain("native");
  });

  it.skipIf(!native.availability().available)(
    "records a tier that cannot take the program and keeps running where it was",
    () => {
      const compiled = compile("twice(x) + 1", {
        functions: { twice: (v: number) => 2 * v },
        tiers: ["treewalk", "native", "js"],
        thresholds: [1, 3],
      });
      expect(compiled.fn(1)).toBe(3);
      expect(compiled.fn(2)).toBe(5);
      expect(compiled.tier).toBe("treewalk");
      expect(compiled.promotions[1]?.tier).toBe("native");
      expect(compiled.promotions[1]?.failed).toMatch(/host function/);
      expect(compiled.fn(3)).toBe(7);
      expect(compiled.fn(4)).toBe(9);
      expect(compiled.tier).toBe("js");
    },
  );

  it("refuses plans that make no sense, saying what is wrong", () => {
    expect(failure(() => compile("1", { tiers: [] }))).toEqual([
      "ExprOptionsError",
      "tiers must name at least one back-end",
    ]);
    expect(failure(() => compile("1", { tiers: ["treewalk", "jit" as BackendName] }))).toEqual([
      "ExprOptionsError",
      'tiers: the string "jit" is not a back-end (known: treewalk, vm, closure, js, wasm, native)',
    ]);
    expect(failure(() => compile("1", { tiers: ["js", "js"], thresholds: [1] }))).toEqual([
      "ExprOptionsError",
      "tiers: 'js' is listed twice",
    ]);
    expect(failure(() => compile("1", { tiers: ["treewalk", "js"], thresholds: [] }))).toEqual([
      "ExprOptionsError",
      "thresholds must give 1 call count, one for each tier after the first, got 0 numbers",
    ]);
    expect(
      failure(() => compile("1", { tiers: ["treewalk", "vm", "js"], thresholds: [10, 5] })),
    ).toEqual([
      "ExprOptionsError",
      "thresholds must be whole numbers of calls, 0 or more, each at least the one before: 5 is not",
    ]);
    expect(failure(() => compile("1", { thresholds: [1.5] }))).toEqual([
      "ExprOptionsError",
      "thresholds must be whole numbers of calls, 0 or more, each at least the one before: 1.5 is not",
    ]);
    expect(failure(() => compile("1", { backend: "vm", tiers: ["vm"] }))).toEqual([
      "ExprBackendError",
      "option 'tiers' applies only to the auto back-end, not 'vm'",
    ]);
    expect(failure(() => compile("1", { backend: "auto", load: "module" }))).toEqual([
      "ExprBackendError",
      "option 'load' applies only to the js back-end, not 'auto'",
    ]);
    expect(new ExprOptionsError("m", "s").kind).toBe("options");
    expect(new ExprBackendError("m", "s").kind).toBe("backend");
  });

  it("keeps js as the default when only js's load option is given", async () => {
    const { compileAsync } = await import("../../src/index.js");
    const compiled = await compileAsync("x + 1", { load: "module" });
    expect(compiled.backend).toBe("js");
    expect(compiled.tier).toBe("js");
    expect(compiled.fn(1)).toBe(2);
  });
});
