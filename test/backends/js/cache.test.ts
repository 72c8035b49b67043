/**
 * The compile cache: least-recently-used eviction, both bounds, and the
 * `js` back-end reusing compiled code without ever growing past the bound.
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import { LruCache } from "../../../src/backends/js/cache.js";
import { js, jsCompileCache } from "../../../src/backends/js/index.js";
import { compile } from "../../../src/index.js";

describe("LruCache", () => {
  it("evicts the least recently used entry past maxEntries", () => {
    const cache = new LruCache<number>({ maxEntries: 2, maxKeyChars: 100 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recent
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("bounds the total key length, and never keeps a key longer than the bound", () => {
    const cache = new LruCache<number>({ maxEntries: 10, maxKeyChars: 10 });
    cache.set("aaaa", 1);
    cache.set("bbbb", 2);
    cache.set("cccc", 3);
    expect(cache.get("aaaa")).toBeUndefined();
    expect(cache.chars).toBe(8);
    cache.set("x".repeat(11), 4);
    expect(cache.get("x".repeat(11))).toBeUndefined();
    expect(cache.chars).toBe(8);
  });

  it("replaces a value under the same key without counting it twice", () => {
    const cache = new LruCache<number>({ maxEntries: 3, maxKeyChars: 100 });
    cache.set("k", 1);
    cache.set("k", 2);
    expect(cache.size).toBe(1);
    expect(cache.chars).toBe(1);
    expect(cache.get("k")).toBe(2);
  });
});

describe("the js back-end's cache", () => {
  it("hands back the same function for the same program, and says so", () => {
    const first = js.compile(toProgram("x * 3 + 0.125"), {});
    const again = js.compile(toProgram("x*3+.125"), {});
    expect(again.fn).toBe(first.fn);
    expect(again.how).toMatch(/reused from the compile cache$/);
  });

  it.each([
    ["one function", "f(x) + sin(x)", {}],
    ["a factory (beside an expression function)", "f(x) + g(x)", { g: "g(a) = a * 2" }],
  ])("binds each compile's own host functions to the cached code: %s", (_, source, defined) => {
    jsCompileCache.clear();
    const plusOne = compile(source, {
      backend: "js",
      functions: { ...defined, f: (v: number) => v + 1 },
    });
    const timesTen = compile(source, {
      backend: "js",
      functions: { ...defined, f: (v: number) => v * 10 },
    });
    expect(timesTen.how).toMatch(/reused from the compile cache$/);
    expect(jsCompileCache.size).toBe(1);
    const rest = source.includes("sin") ? Math.sin(2) : 4;
    expect(plusOne.fn(2)).toBe(3 + rest);
    expect(timesTen.fn(2)).toBe(20 + rest);
  });

  it("keys by load mode too", async () => {
    const program = toProgram("x * 5 + 0.375");
    const inMemory = js.compile(program, {});
    const asModule = await js.compileAsync?.(program, { load: "module" });
    expect(asModule?.fn).not.toBe(inMemory.fn);
    expect(asModule?.dump()).toContain("export let Main;");
  });

  it("cannot grow past its bound", () => {
    const { maxEntries } = jsCompileCache.bounds;
    for (let i = 0; i < maxEntries + 50; i++) js.compile(toProgram(`x + ${i + 0.5}`), {});
    expect(jsCompileCache.size).toBe(maxEntries);
    // The oldest of those were evicted, the newest kept.
    expect(js.compile(toProgram("x + 0.5"), {}).how).not.toMatch(/cache/);
    expect(js.compile(toProgram(`x + ${maxEntries + 49.5}`), {}).how).toMatch(/cache/);
    expect(jsCompileCache.size).toBe(maxEntries);
  });
});

describe("the js back-end's cache controls", () => {
  it("reports what the cache holds and empties it", () => {
    const cache = js.cache;
    if (cache === undefined) throw new Error("js has a cache");
    cache.clear();
    expect(cache.info()).toEqual({ location: "memory", entries: 0, bytes: 0 });
    js.compile(toProgram("x * 3 + 1"), {});
    js.compile(toProgram("x * 3 + 1"), {});
    const info = cache.info();
    expect(info.entries).toBe(1);
    expect(info.bytes).toBe(jsCompileCache.chars * 2);
    expect(info.bytes).toBeGreaterThan(0);
    expect(cache.clear()).toBe(1);
    expect(cache.info().entries).toBe(0);
  });
});
