/**
 * One request per call (src/api/request.ts): the options' shape is checked
 * and the user names are looked up exactly once per compile, whichever
 * entry point it came through. The two checks are wrapped in counting
 * spies through vitest's module mock, so a second call anywhere on the
 * path (the front end, the environment, `evaluate`'s default) shows.
 */

import { afterEach, describe, expect, it, vi } from "vitest";

const calls = vi.hoisted(() => ({ checkOptions: 0, userNamesOf: 0 }));

vi.mock("../../src/api/options.js", async (original) => {
  const actual = await original<typeof import("../../src/api/options.js")>();
  return {
    ...actual,
    checkOptions: <T extends object>(options: T | null | undefined, source: string): T => {
      calls.checkOptions++;
      return actual.checkOptions(options, source);
    },
  };
});

vi.mock("../../src/api/scope.js", async (original) => {
  const actual = await original<typeof import("../../src/api/scope.js")>();
  return {
    ...actual,
    userNamesOf: (...args: Parameters<typeof actual.userNamesOf>) => {
      calls.userNamesOf++;
      return actual.userNamesOf(...args);
    },
  };
});

const { compile, compileAsync, createEnvironment, evaluate, resolveProgram } = await import(
  "../../src/index.js"
);

/** The checks `work` made, counted from zero. */
async function counted(work: () => unknown): Promise<typeof calls> {
  calls.checkOptions = 0;
  calls.userNamesOf = 0;
  await work();
  return { ...calls };
}

const ONCE = { checkOptions: 1, userNamesOf: 1 };

describe("a request is prepared once", () => {
  afterEach(() => {
    calls.checkOptions = 0;
    calls.userNamesOf = 0;
  });

  it("compile, with and without options and names, on auto and on one back-end", async () => {
    expect(await counted(() => compile("x + 1"))).toEqual(ONCE);
    expect(await counted(() => compile("x + 1", { backend: "vm" }))).toEqual(ONCE);
    expect(await counted(() => compile("x + k", { constants: { k: 2 } }))).toEqual(ONCE);
    expect(await counted(() => compile("x + 1", { tiers: ["treewalk", "vm"] }))).toEqual(ONCE);
  });

  it("compileAsync, evaluate and resolveProgram", async () => {
    expect(await counted(() => compileAsync("x + 1", { backend: "js", load: "module" }))).toEqual(
      ONCE,
    );
    expect(await counted(() => evaluate("x + 1", { x: 1 }, { maxDepth: 10 }))).toEqual(ONCE);
    expect(await counted(() => resolveProgram("x + k", { constants: { k: 1 } }))).toEqual(ONCE);
  });

  it("an environment's entries", async () => {
    const environment = createEnvironment({ constants: { k: 2 } });
    expect(await counted(() => environment.compile("x + k", { backend: "wasm" }))).toEqual(ONCE);
    expect(await counted(() => environment.evaluate("k", {}))).toEqual(ONCE);
    expect(await counted(() => environment.resolveProgram("k"))).toEqual(ONCE);
    expect(await counted(() => compile("k", { environment }))).toEqual(ONCE);
  });

  it("still refuses what it refused: options of the wrong shape, names twice", () => {
    const environment = createEnvironment({ constants: { k: 2 } });
    expect(() => environment.compile("k", "vm" as never)).toThrow(
      'options must be an object such as { backend: "vm" }, not the string "vm"',
    );
    expect(() => compile("k", { environment, constants: { k: 1 } })).toThrow(
      "give user names either as an environment or as constants and functions, not both",
    );
    expect(evaluate("k + 1", {}, { environment })).toBe(3);
  });
});
