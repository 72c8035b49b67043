/**
 * `npm run bench`: the benchmark suite's entry point. Makes sure the
 * process runs with the flags of requiredNodeFlags() (re-running itself
 * with them if not; V8 caches `new Function` by source text and wasm
 * modules by their bytes, and either cache would hide the cost of
 * compiling), then runs, prints, writes the results, and in
 * `--quick` mode exits 1 if any engine disagrees with the baseline.
 */

import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { isFailure } from "./agree.js";
import { compareResults } from "./compare.js";
import { type BenchOptions, HELP, parseOptions, requiredNodeFlags } from "./options.js";
import { type BesideRun, renderReport } from "./output/report.js";
import { renderTerminal } from "./output/terminal.js";
import { optimisationEngines } from "./phases/optimisations.js";
import { makeProgress } from "./progress.js";
import type { BenchResults } from "./results.js";
import { pickEngines, runBench } from "./run.js";
import { WORKLOAD } from "./workload.js";

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.mode === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (options.mode === "compare") {
    const [older, newer] = options.compare as readonly [string, string];
    process.stdout.write(compareResults(await readResults(older), await readResults(newer)));
    return 0;
  }
  if (options.mode === "list") return list();
  const missing = requiredNodeFlags().filter((f) => !process.execArgv.includes(f));
  if (missing.length > 0) return rerunWith(missing);
  return run(options);
}

async function run(options: BenchOptions): Promise<number> {
  // Read first: a wrong --beside path should fail before the long run, not after.
  const beside = await Promise.all(
    options.beside.map(async (file) => ({ file, results: await readResults(file) })),
  );
  const results = await runBench(options, makeProgress());
  process.stdout.write(renderTerminal(results));
  await writeOutputs(results, options, beside);
  const engines = new Map(
    (await pickEngines(options.engines, options.autoThresholds)).map((e) => [e.id, e]),
  );
  const optimisations = await optimisationEngines();
  const stepEngines = new Map(optimisations.map((e) => [e.id, e]));
  const failures = [
    ...results.agreement.filter((c) => isFailure(c, engines.get(c.engine))),
    ...(results.optimisations?.agreement ?? []).filter((c) =>
      isFailure(c, stepEngines.get(c.engine)),
    ),
  ];
  const seconds = process.uptime().toFixed(1);
  process.stdout.write(`\nResults in ${options.outDir} (${seconds} s).\n`);
  if (failures.length > 0) {
    const list = failures
      .map((f) => `  ${f.engine} ${f.expr}: ${f.status} ${f.detail ?? ""}`)
      .join("\n");
    process.stderr.write(
      `\n${failures.length} engine/expression pairs disagree with hand-written JS:\n${list}\n`,
    );
    return options.quick ? 1 : 0;
  }
  return 0;
}

async function writeOutputs(
  results: BenchResults,
  options: BenchOptions,
  beside: readonly BesideRun[],
): Promise<void> {
  await mkdir(options.outDir, { recursive: true });
  await writeFile(
    path.join(options.outDir, "results.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  if (!options.report) return;
  // Imported only now: the charting library's heap would slow every gc() during the measurements.
  const { renderCharts } = await import("./output/charts.js");
  const charts = await renderCharts(results);
  for (const chart of charts) await writeFile(path.join(options.outDir, chart.file), chart.svg);
  await writeFile(path.join(options.outDir, "REPORT.md"), renderReport(results, charts, beside));
}

async function readResults(file: string): Promise<BenchResults> {
  const parsed = JSON.parse(await readFile(file, "utf8")) as BenchResults;
  if (parsed.schema !== 1) throw new Error(`${file} is not a results.json of this suite`);
  return parsed;
}

async function list(): Promise<number> {
  const engines = await pickEngines([]);
  process.stdout.write("Engines (available here):\n");
  for (const e of engines) process.stdout.write(`  ${e.id.padEnd(20)} ${e.label}\n`);
  process.stdout.write("Groups: exprjit, peers\n\nExpressions:\n");
  for (const x of WORKLOAD) process.stdout.write(`  ${x.id}  ${x.source}\n`);
  return 0;
}

/** Runs this script again under the flags the method needs; returns its exit code. */
function rerunWith(flags: readonly string[]): number {
  const script = process.argv[1] as string;
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, ...flags, script, ...process.argv.slice(2)],
    {
      stdio: "inherit",
    },
  );
  return child.status ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
