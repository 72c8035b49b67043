/**
 * The native back-end's files import one another without a circle (the
 * toolchain was split by job: compiler, directory, cache, build), so each
 * piece can be read, and loaded, on its own.
 */

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("../../../src/backends/native/", import.meta.url));

/** Each file's imports of its siblings (type-only imports included). */
function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(`${dir}${file}`, "utf8");
    const siblings = [...text.matchAll(/from "\.\/([a-z-]+)\.js"/g)].map((m) => `${m[1]}.ts`);
    edges.set(file, siblings);
  }
  return edges;
}

/** A circle in `edges`, as the files along it, if there is one. */
function circle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file];
    state.set(file, "open");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const found = visit(next);
      if (found !== undefined) return found;
    }
    path.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of edges.keys()) {
    const found = visit(file);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe("native's modules", () => {
  it("import one another without a circle", () => {
    const edges = graph();
    expect(edges.get("build.ts")).toContain("cache.ts");
    expect(circle(edges)).toBeUndefined();
  });

  it("find a circle when there is one (the check can fail)", () => {
    const edges = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(circle(edges)).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
  });
});
