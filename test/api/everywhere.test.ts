/**
 * What lets the package run everywhere, checked in this process: `backends`
 * worked out on first read, the browser's registry, the wasm back-end's
 * probe of a refusing engine, and `cause` on errors that wrap another.
 */

import { describe, expect, it } from "vitest";
import { lazyFrozenList } from "../../src/api/lazy.js";
import * as browserRegistry from "../../src/backends/registry.browser.js";
import * as nodeRegistry from "../../src/backends/registry.js";
import { ExprBackendError, ExprError } from "../../src/errors.js";

describe("lazyFrozenList", () => {
  it("computes nothing until read, then once, and behaves as a frozen array", () => {
    let calls = 0;
    const list = lazyFrozenList(() => {
      calls++;
      return ["a", "b"];
    });
    expect(calls).toBe(0);
    expect(Array.isArray(list)).toBe(true);
    expect(calls).toBe(0);
    expect(list.length).toBe(2);
    expect([...list]).toEqual(["a", "b"]);
    expect(list[1]).toBe("b");
    expect(JSON.stringify(list)).toBe('["a","b"]');
    expect(Object.keys(list)).toEqual(["0", "1"]);
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => (list as string[]).push("c")).toThrow(TypeError);
    expect(calls).toBe(1);
  });

  it("shows its elements when logged before anything else read it", async () => {
    const { inspect } = await import("node:util");
    const list = lazyFrozenList(() => [1, 2]);
    expect(inspect(list)).toBe("[ 1, 2 ]");
  });
});

describe("the browser's registry", () => {
  it("is the Node registry without native, with the same exports", () => {
    expect(Object.keys(browserRegistry).sort()).toEqual(Object.keys(nodeRegistry).sort());
    const withoutNative = nodeRegistry.ALL_BACKENDS.filter((b) => b.name !== "native");
    expect(browserRegistry.ALL_BACKENDS).toEqual(withoutNative);
    expect(browserRegistry.findBackend("native")).toBeUndefined();
    expect(browserRegistry.findBackend("vm")?.name).toBe("vm");
    expect(browserRegistry.availableBackends().map((b) => b.name)).toEqual([
      "treewalk",
      "vm",
      "closure",
      "js",
      "wasm",
    ]);
  });
});

describe("cause", () => {
  it("is set on an error that wraps another, and absent otherwise", () => {
    const inner = new Error("engine said no");
    const wrapped = new ExprBackendError("wasm: rejected", "1+1", { cause: inner });
    expect(wrapped.cause).toBe(inner);
    expect(wrapped).toBeInstanceOf(ExprError);
    expect("cause" in new ExprBackendError("plain", "1")).toBe(false);
  });
});

describe("an engine that forbids generating code (a strict Content-Security-Policy)", () => {
  it("leaves js and wasm out of backends, and the default compile's tiers end on vm", async () => {
    const { spawnSync } = await import("node:child_process");
    const index = new URL("../../src/index.ts", import.meta.url).href;
    // As under `script-src 'self'`: new Function throws EvalError, WebAssembly compiles nothing.
    const script = [
      'WebAssembly.Module = function Module() { throw new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile"); };',
      `const m = await import(${JSON.stringify(index)});`,
      'const f = m.compile("x*2+1");',
      "for (let i = 0; i < 100; i++) f.fn(i);",
      "let accessor = 0; for (let i = 0; i < 200; i++) accessor += f.evaluate({ x: i });",
      "let byName;",
      'try { m.compile("1", { backend: "wasm" }); } catch (e) { byName = e.message; }',
      "console.log(JSON.stringify({ backends: [...m.backends], chosen: f.backend, tier: f.tier, value: f.fn(20), accessor, checked: f.evaluate([20]), byName }));",
    ].join("\n");
    const run = spawnSync(
      process.execPath,
      [
        "--disallow-code-generation-from-strings",
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        script,
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(run.stderr).toBe("");
    const seen = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(seen.backends).toEqual(expect.arrayContaining(["treewalk", "vm", "closure"]));
    expect(seen.backends).not.toContain("js");
    expect(seen.backends).not.toContain("wasm");
    // The checked entry keeps its generic path where no code may be generated: same results.
    expect(seen).toMatchObject({
      chosen: "auto",
      tier: "closure",
      value: 41,
      accessor: 40000,
      checked: 41,
    });
    expect(seen.byName).toMatch(
      /^back-end 'wasm' is not available here: this JavaScript engine refuses to compile WebAssembly, as under a Content-Security-Policy without 'wasm-unsafe-eval' \(WebAssembly.Module\(\): Refused to compile\) \(available: treewalk, vm, closure/,
    );
  });
});
