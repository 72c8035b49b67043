/**
 * The report's sentence on which technique to use under which
 * Content-Security-Policy: the fastest back-end per evaluation that each
 * policy allows (js needs `new Function`; wasm needs 'wasm-unsafe-eval';
 * closure, vm and treewalk need neither), from the evaluate phase's
 * geometric means.
 */

import type { BenchResults, EngineSummary } from "../results.js";
import { num, times } from "./format.js";

/** What each policy allows, most permissive first. */
const POLICIES = [
  { name: "where code generation is allowed", allows: ["js", "wasm", "closure", "vm", "treewalk"] },
  { name: "under 'wasm-unsafe-eval' alone", allows: ["wasm", "closure", "vm", "treewalk"] },
  { name: "under script-src 'self'", allows: ["closure", "vm", "treewalk"] },
] as const;

/** One sentence naming each policy's fastest back-end, or undefined without evaluate figures. */
export function policySentence(results: BenchResults): string | undefined {
  const byBackend = new Map<string, EngineSummary>();
  for (const engine of results.engines) {
    if (engine.kind !== "exprjit" || engine.entry !== "fn" || engine.backend === undefined)
      continue;
    const summary = results.summary.find((s) => s.engine === engine.id);
    if (summary?.evalNs !== undefined) byBackend.set(engine.backend, summary);
  }
  const parts: string[] = [];
  for (const policy of POLICIES) {
    let best: [string, EngineSummary] | undefined;
    for (const name of policy.allows) {
      const summary = byBackend.get(name);
      if (summary === undefined) continue;
      if (best === undefined || (summary.evalNs as number) < (best[1].evalNs as number)) {
        best = [name, summary];
      }
    }
    if (best === undefined) continue;
    parts.push(
      `${policy.name}, ${best[0]} (${num(best[1].evalNs)} ns, ${times(best[1].evalRatio)})`,
    );
  }
  if (parts.length === 0) return undefined;
  return `Which technique per policy (fastest per evaluation that the policy allows): ${parts.join("; ")}; auto's default tiers follow this (treewalk, then closure, then js where new Function is allowed).`;
}
