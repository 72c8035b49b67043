/**
 * The report's headline sentence (bench/output/headline.ts), from the
 * committed run's results.json: its exact text, its line in REPORT.md, and
 * nothing when the run lacks the engines it quotes.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HEADLINE_PREFIX, headlineSentence } from "../../bench/output/headline.js";
import { renderReport } from "../../bench/output/report.js";
import type { BenchResults } from "../../bench/results.js";

const committed = JSON.parse(
  readFileSync(new URL("../../docs/benchmarks/results.json", import.meta.url), "utf8"),
) as BenchResults;

describe("the headline sentence", () => {
  it("is computed from the run's figures", () => {
    expect(headlineSentence(committed)).toBe(
      "On Node v24.22.3, exprjit's js back-end evaluates a workload formula in 1.01× the time of the same formula hand-written in JavaScript, compiles a new one in 23.4 µs, and is 38.6× to 371× faster than the 4 peer libraries measured; the reference interpreter, treewalk, takes 24.1×.",
    );
  });

  it("leaves the peers out when none were measured, and is absent without js", () => {
    const kind = new Map(committed.engines.map((e) => [e.id, e.kind]));
    const noPeers = {
      ...committed,
      summary: committed.summary.filter((s) => kind.get(s.engine) !== "peer"),
    };
    expect(headlineSentence(noPeers)).toContain("in 23.4 µs; the reference interpreter");
    const noJs = { ...committed, summary: committed.summary.filter((s) => s.engine !== "js") };
    expect(headlineSentence(noJs)).toBeUndefined();
    expect(renderReport(noJs, [])).not.toContain(HEADLINE_PREFIX);
  });

  it("has a line of its own in the report, before the key figures", () => {
    const lines = renderReport(committed, []).split("\n");
    const at = lines.findIndex((l) => l.startsWith(HEADLINE_PREFIX));
    expect(lines[at]).toBe(`${HEADLINE_PREFIX}${headlineSentence(committed)}`);
    expect(at).toBeLessThan(lines.indexOf("## Key figures"));
  });
});
