/**
 * The benchmark across Node versions: `--beside` parsing, and the report's
 * heading and "Node versions side by side" section built from two runs'
 * results (made up here, so every figure in the text is known).
 */

import { describe, expect, it } from "vitest";
import { parseOptions } from "../../bench/options.js";
import { nodeSection, renderReport } from "../../bench/output/report.js";
import type { BenchResults, EngineSummary, RunInfo } from "../../bench/results.js";

function run(node: string, v8: string, quick: boolean, cpu = "Test CPU"): RunInfo {
  return {
    date: `2026-12-01T00:00:00.000Z ${node}`,
    quick,
    machine: { os: "Linux test x64", cpu, cores: 2, memoryGB: 8 },
    node,
    v8,
    flags: ["--expose-gc"],
    settings: { rounds: 1, samples: 1, targetMs: 1 },
    seconds: {},
  };
}

function results(info: RunInfo, summary: readonly EngineSummary[]): BenchResults {
  return {
    schema: 1,
    run: info,
    engines: [
      { id: "baseline", label: "hand-written JS", kind: "baseline" },
      { id: "treewalk", label: "treewalk", kind: "exprjit", backend: "treewalk", entry: "fn" },
      { id: "js/cached", label: "js again", kind: "exprjit", backend: "js", entry: "cached" },
      { id: "mathjs", label: "mathjs", kind: "peer" },
    ],
    expressions: [],
    agreement: [],
    summary,
    skipped: [],
  };
}

const on24 = results(run("v24.22.3", "13.6", false), [
  { engine: "baseline", evalNs: 12, evalRatio: 1 },
  { engine: "treewalk", evalNs: 300, evalRatio: 25, compileUs: 5 },
  { engine: "js/cached", compileUs: 8.5 },
  { engine: "mathjs", evalNs: 360, evalRatio: 30, compileUs: 21.5 },
]);
const on20 = results(run("v20.20.2", "11.3", true, "Other CPU"), [
  { engine: "baseline", evalNs: 6, evalRatio: 1 },
  { engine: "treewalk", evalNs: 120, evalRatio: 20, compileUs: 4.25 },
  { engine: "mathjs", evalNs: 360, evalRatio: 60 },
]);

describe("the benchmark on several Node versions", () => {
  it("takes --beside files, in order", () => {
    expect(parseOptions([]).beside).toEqual([]);
    expect(parseOptions(["--beside", "a.json", "--beside", "b.json"]).beside).toEqual([
      "a.json",
      "b.json",
    ]);
    expect(() => parseOptions(["--beside"])).toThrow("--beside needs a value");
  });

  it("names the Node in the report's heading, and how to regenerate it", () => {
    const alone = renderReport(on24, []);
    expect(alone.split("\n")[0]).toBe("# exprjit benchmarks on Node v24.22.3");
    expect(alone).toContain("Regenerate with `npm run bench -- --out docs/benchmarks`.");
    expect(alone).not.toContain("## Node versions side by side");
    const both = renderReport(on24, [], [{ file: "out/results-node20.json", results: on20 }]);
    expect(both).toContain("Regenerate with `scripts/bench-nodes.sh --out docs/benchmarks 24 20`.");
  });

  it("puts each Node's headline figures side by side", () => {
    const section = nodeSection(on24, [{ file: "out/results-node20.json", results: on20 }]);
    expect(section.join("\n")).toBe(
      [
        "## Node versions side by side",
        "",
        "- Node v24.22.3 (V8 13.6): this report's run of 2026-12-01T00:00:00.000Z v24.22.3.",
        "- Node v20.20.2 (V8 11.3): run of 2026-12-01T00:00:00.000Z v20.20.2 (quick pass), figures in `results-node20.json` (another machine: Other CPU, 2 cores).",
        "",
        "### Per evaluation on each Node: × hand-written JS",
        "",
        "Geometric means over the workload; each ratio is against hand-written JS on the same Node in the same round. Hand-written JS itself: 12.0 ns on Node v24.22.3, 6.00 ns on Node v20.20.2.",
        "",
        "| engine | Node v24.22.3 | Node v20.20.2 |",
        "| --- | ---: | ---: |",
        "| treewalk | 25.0× | 20.0× |",
        "| mathjs | 30.0× | 60.0× |",
        "",
        "### Compile on each Node: µs from source to first result",
        "",
        "Geometric means over the workload.",
        "",
        "| engine | Node v24.22.3 | Node v20.20.2 |",
        "| --- | ---: | ---: |",
        "| treewalk | 5.00 | 4.25 |",
        "| js/cached | 8.50 | — |",
        "| mathjs | 21.5 | — |",
        "",
      ].join("\n"),
    );
  });

  it("has no such section without runs beside it", () => {
    expect(nodeSection(on24, [])).toEqual([]);
  });
});
