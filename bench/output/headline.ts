/**
 * The report's one headline sentence: the figure a newcomer wants first
 * (how close the `js` JIT comes to hand-written JavaScript, what it costs
 * to compile, how the reference interpreter and the peer libraries
 * compare), computed from the run so it never goes stale. REPORT.md
 * prints it on a line of its own (`HEADLINE_PREFIX`); README.md quotes
 * that line verbatim, which test/docs/examples.test.ts checks.
 */

import type { BenchResults, EngineSummary } from "../results.js";
import { num, times } from "./format.js";

/** How the headline line starts in REPORT.md, so a reader (or a test) can find it. */
export const HEADLINE_PREFIX = "**Headline:** ";

/** The headline sentence, or undefined when the run lacks the figures it needs (js, treewalk). */
export function headlineSentence(results: BenchResults): string | undefined {
  const kind = new Map(results.engines.map((e) => [e.id, e]));
  const summary = new Map(results.summary.map((s) => [s.engine, s]));
  const js = summary.get("js");
  const treewalk = summary.get("treewalk");
  if (js?.evalRatio === undefined || js.evalNs === undefined) return undefined;
  if (treewalk?.evalRatio === undefined) return undefined;
  const compile =
    js.compileUs === undefined ? "" : `, compiles a new one in ${num(js.compileUs)} µs`;
  const peers = results.summary.filter(
    (s): s is EngineSummary & { evalNs: number } =>
      kind.get(s.engine)?.kind === "peer" && s.evalNs !== undefined,
  );
  const jsNs = js.evalNs;
  const faster = peers.map((p) => p.evalNs / jsNs).sort((a, b) => a - b);
  const lead = faster[0];
  const last = faster[faster.length - 1];
  const versus =
    lead === undefined || last === undefined
      ? ""
      : `, and is ${times(lead)} to ${times(last)} faster than the ${peers.length} peer libraries measured`;
  return (
    `On Node ${results.run.node}, exprjit's js back-end evaluates a workload formula in ` +
    `${times(js.evalRatio)} the time of the same formula hand-written in JavaScript` +
    `${compile}${versus}; the reference interpreter, treewalk, takes ${times(treewalk.evalRatio)}.`
  );
}
