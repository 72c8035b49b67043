/**
 * Function tables: each module gets a fresh table whose slots call exactly
 * the builtin table's functions, through trampolines shared by all tables;
 * and compiled expressions that call functions can still be collected.
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { Callee } from "../../../src/backends/wasm/codegen.js";
import { host } from "../../../src/backends/wasm/host.js";
import { encodeTrampolines, functionTable } from "../../../src/backends/wasm/tables.js";
import { compile } from "../../../src/index.js";
import { type Builtin, lookupFunction } from "../../../src/semantics/builtins.js";

const callee = (name: string, arity: number, label = name): Callee => ({
  arity,
  label,
  js: (lookupFunction(name) as Builtin).js,
});

describe("function tables", () => {
  it("encodes trampolines that validate", () => {
    const bytes = encodeTrampolines([callee("sin", 1), callee("hypot", 3, "hypot_3")]);
    expect(host?.validate(bytes)).toBe(true);
  });

  it("gives each module its own table, slot i calling callee i", () => {
    const cbrt = callee("cbrt", 1);
    const hypot = callee("hypot", 5, "hypot_5");
    const first = functionTable([cbrt]);
    const second = functionTable([hypot, cbrt]);
    expect(second).not.toBe(first);
    expect([first.length, second.length]).toEqual([1, 2]);
    const viaCbrt = second.get(1) as (x: number) => number;
    const viaHypot = second.get(0) as (...xs: number[]) => number;
    expect(Object.is(viaCbrt(-0), -0)).toBe(true);
    expect(viaCbrt(27)).toBe(Math.cbrt(27));
    expect(viaHypot(1, 2, 3, 4, 5)).toBe(Math.hypot(1, 2, 3, 4, 5));
  });

  it("shares one trampoline per function and arity", () => {
    const a = functionTable([callee("tan", 1)]);
    const b = functionTable([callee("atan2", 2), callee("tan", 1)]);
    expect(b.get(1)).toBe(a.get(0));
  });
});

describe("compiled expressions that call functions", () => {
  it("are garbage-collected once dropped", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const refs: WeakRef<object>[] = [];
    for (let k = 0; k < 200; k++) {
      const { fn } = compile(`sin(x) + ${k}`, { backend: "wasm" });
      expect(fn(0)).toBe(k);
      refs.push(new WeakRef(fn));
    }
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const alive = refs.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBeLessThan(20);
  });
});
