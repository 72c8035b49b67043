/**
 * The terminal summary of a run: the tables a reader needs to judge the
 * run at a glance (summary, per-expression ratios, total cost,
 * break-evens, front end, the vm's optimisations, disagreements). The rest is in the JSON and the
 * Markdown report.
 */

import type { BenchResults } from "../results.js";
import { batchTable } from "./batch.js";
import { renderText, type Table } from "./format.js";
import {
  agreementTable,
  autoVersusTable,
  breakEvenTable,
  compileTable,
  frontendTables,
  measuredTotalTable,
  optimisationsTable,
  ratioTable,
  speedupTable,
  summaryTable,
  totalTable,
  wideCallsTable,
} from "./sections.js";

/** The run as plain text. */
export function renderTerminal(results: BenchResults): string {
  const { run } = results;
  const header = `exprjit bench${run.quick ? " (quick)" : ""}: Node ${run.node}, V8 ${run.v8}, ${run.machine.cpu} (${run.machine.cores} cores)`;
  const tables: (Table | undefined)[] = [
    summaryTable(results),
    speedupTable(results),
    ratioTable(results),
    compileTable(results),
    wideCallsTable(results),
    measuredTotalTable(results),
    autoVersusTable(results),
    totalTable(results),
    breakEvenTable(results, true),
    ...frontendTables(results),
    optimisationsTable(results),
    batchTable(results),
  ];
  const agreement = agreementTable(results);
  const steps = Object.entries(run.seconds)
    .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
    .join(", ");
  const parts = [
    `${header}\nTime per step: ${steps}`,
    ...tables.filter((t) => t !== undefined).map(renderText),
  ];
  parts.push(agreement.rows.length === 0 ? (agreement.note ?? "") : renderText(agreement));
  return `${parts.join("\n\n")}\n`;
}
