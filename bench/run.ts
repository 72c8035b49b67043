/**
 * One benchmark run, start to finish, without any printing or files:
 * pick the engines and expressions, check agreement with the baseline,
 * run the chosen phases, and gather everything into {@link BenchResults}.
 */

import os from "node:os";
import { ALL_BACKENDS, availableBackends } from "../src/backends/registry.js";
import { checkAll, timeableFrom } from "./agree.js";
import { type Engine, GROUPS, loadEngines, PEER_NAMES } from "./engines.js";
import { type BenchOptions, PHASES } from "./options.js";
import { BATCH_NS, runBatch } from "./phases/batch.js";
import { runColdCompile } from "./phases/cold.js";
import { runCompile } from "./phases/compile.js";
import { runEvaluate } from "./phases/evaluate.js";
import { runFrontend } from "./phases/frontend.js";
import {
  FULL_MEASURED,
  measuredAt,
  measuresTotal,
  QUICK_MEASURED,
  runMeasuredTotal,
} from "./phases/measured-total.js";
import { findNumexpr, numexprRun } from "./phases/numexpr.js";
import { optimisationEngines, runOptimisations } from "./phases/optimisations.js";
import { runTotal, summarise } from "./phases/total.js";
import { runWideCalls, WIDE_FUNCTION, WIDE_WIDTHS } from "./phases/wide.js";
import type { Progress } from "./progress.js";
import type {
  BatchResult,
  BenchResults,
  CompileCell,
  EngineInfo,
  ExpressionInfo,
  OptimisationsResult,
  RunInfo,
  WideCallsResult,
} from "./results.js";
import type { SampleOptions } from "./timing.js";
import { makeInputs, makeLargeExpression, WORKLOAD, type WorkloadExpr } from "./workload.js";

/** Wall-clock seconds per step of the run, for the report and for tuning `--quick`. */
class StepClock {
  readonly seconds: Record<string, number> = {};

  time<T>(step: string, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.seconds[step] = Math.round(performance.now() - start) / 1000;
    }
  }
}

/** Runs the benchmark `options` describe. Throws Error for an unknown engine or expression. */
export async function runBench(options: BenchOptions, progress: Progress): Promise<BenchResults> {
  const workload = pickExpressions(options.exprs);
  checkEngineNames(options.engines);
  const clock = new StepClock();
  const sampling = samplingOf(options);
  const { phases } = options;
  // The front end first, before the engines (mathjs above all) fill the heap and slow every collection.
  const large = () => makeLargeExpression(options.quick ? 100_000 : 990_000);
  const frontend = phases.has("frontend")
    ? clock.time("frontend", () =>
        runFrontend(workload, large(), { ...sampling, rounds: options.rounds }, progress),
      )
    : undefined;
  const engines = await pickEngines(options.engines, options.autoThresholds);
  const inputs = makeInputs();
  const agreement = clock.time("agreement", () => checkAll(engines, workload, inputs));
  const timeable = timeableFrom(agreement);
  const problems: string[] = [];
  const wantCompile = phases.has("compile") || phases.has("total");
  const compile = wantCompile
    ? compilePhase(engines, workload, timeable, options, clock, problems, progress)
    : undefined;
  const wideCalls = phases.has("compile")
    ? wideCallsPhase(engines, options, clock, problems, progress)
    : undefined;
  const evaluate =
    phases.has("evaluate") || phases.has("total")
      ? clock.time("evaluate", () =>
          runEvaluate(
            engines,
            workload,
            timeable,
            inputs,
            { ...sampling, rounds: options.rounds },
            progress,
          ),
        )
      : undefined;
  // Right after evaluate, whose ns/eval it extrapolates with, before the batch phase fills the heap.
  const measured =
    phases.has("total") && evaluate !== undefined && engines.some(measuresTotal)
      ? clock.time("total (measured)", () =>
          runMeasuredTotal(
            engines,
            workload,
            timeable,
            inputs,
            evaluate,
            options.totalNs !== undefined
              ? measuredAt(options.totalNs, options.quick)
              : options.quick
                ? QUICK_MEASURED
                : FULL_MEASURED,
            progress,
          ),
        )
      : undefined;
  const optimisations = phases.has("optimisations")
    ? await optimisationsPhase(workload, inputs, options, clock, progress)
    : undefined;
  const batch = phases.has("batch")
    ? await batchPhase(engines, workload, options, clock, problems, progress)
    : undefined;
  progress.done();
  const cached = wantCompile ? engines.filter((e) => e.cache !== undefined) : [];
  const referenced = wantCompile ? engines.filter((e) => e.reference !== undefined) : [];
  const infos = [
    ...engines.map(engineInfo),
    ...cached.map(cachedInfo),
    ...referenced.map(referenceInfo),
  ];
  const summary = summarise(
    infos.map((e) => e.id),
    compile ?? [],
    evaluate ?? [],
  );
  const total =
    phases.has("total") && compile !== undefined && evaluate !== undefined
      ? {
          ...runTotal(
            // Not auto: compile + n × one ns/eval cannot describe a tiered engine (its measured total can).
            infos
              .filter((e) => (e.entry === undefined || e.entry === "fn") && e.backend !== "auto")
              .map((e) => e.id),
            new Set(["baseline"]),
            compile,
            evaluate,
          ),
          ...(measured === undefined ? {} : { measured }),
        }
      : undefined;
  return {
    schema: 1,
    run: runInfo(options, clock.seconds),
    engines: infos,
    expressions: workload.map((x) => expressionInfo(engines, x)),
    agreement,
    ...(frontend === undefined ? {} : { frontend }),
    ...(compile === undefined ? {} : { compile }),
    ...(wideCalls === undefined ? {} : { wideCalls }),
    ...(evaluate === undefined ? {} : { evaluate }),
    summary,
    ...(total === undefined ? {} : { total }),
    ...(optimisations === undefined ? {} : { optimisations }),
    ...(batch === undefined ? {} : { batch }),
    skipped: [...skippedParts(options), ...problems],
  };
}

/** Phase 5, with numexpr beside it when a Python with numexpr is found. */
async function batchPhase(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  options: BenchOptions,
  clock: StepClock,
  problems: string[],
  progress: Progress,
): Promise<BatchResult> {
  const found = findNumexpr();
  const numexpr =
    "missing" in found
      ? undefined
      : numexprRun(found.python, found.version, os.availableParallelism());
  if ("missing" in found) problems.push(`batch: ${found.missing}`);
  const ns = options.quick ? BATCH_NS.quick : options.full ? BATCH_NS.full : BATCH_NS.default;
  const start = performance.now();
  try {
    return await runBatch(
      engines,
      workload,
      // Batches of 10^6 rows take milliseconds: three rounds are enough for a median.
      { ...samplingOf(options), rounds: Math.min(3, options.rounds), ns, quick: options.quick },
      progress,
      numexpr,
    );
  } finally {
    clock.seconds.batch = Math.round(performance.now() - start) / 1000;
  }
}

/** Rounds of compile measurements: `--rounds`, at most 3. */
function compileRounds(options: BenchOptions): number {
  return Math.min(3, options.rounds);
}

function samplingOf(options: BenchOptions): SampleOptions {
  const targetNs = options.targetMs * 1e6;
  return {
    targetNs,
    samples: options.samples,
    budgetNs: targetNs * options.samples * 2,
    gc: !options.quick,
  };
}

/** Phase 2, plus first compiles in fresh processes for back-ends with a disk cache. */
function compilePhase(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  timeable: (engine: Engine, expr: WorkloadExpr) => boolean,
  options: BenchOptions,
  clock: StepClock,
  problems: string[],
  progress: Progress,
): CompileCell[] {
  const rounds = compileRounds(options);
  const sampling = { ...samplingOf(options), rounds };
  const cells = clock.time("compile", () =>
    runCompile(engines, workload, timeable, sampling, progress),
  );
  for (const engine of engines.filter((e) => e.cache?.kind === "disk")) {
    const exprs = workload.filter((x) => timeable(engine, x));
    try {
      const first = clock.time(`first compiles ${engine.id}`, () =>
        runColdCompile(engine.backend as string, exprs, rounds, progress),
      );
      cells.push(...first);
    } catch (error) {
      problems.push(
        `first compiles of ${engine.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return cells;
}

/**
 * Phase 2's wide calls, on the exprjit back-ends selected; native (seconds
 * of C compiling per sample) not under `--quick`.
 */
function wideCallsPhase(
  engines: readonly Engine[],
  options: BenchOptions,
  clock: StepClock,
  problems: string[],
  progress: Progress,
): WideCallsResult | undefined {
  const backends = engines
    .filter((e) => e.kind === "exprjit" && e.timesCompile && e.backend !== undefined)
    .map((e) => e.backend as string)
    .filter((backend) => !(options.quick && backend === "native"));
  if (backends.length === 0) return undefined;
  // One process per sample: single first compiles are noisy, so five of them outside `--quick`.
  const samples = options.quick ? 1 : 5;
  try {
    const cells = clock.time("wide calls", () =>
      runWideCalls(backends, WIDE_WIDTHS, samples, progress),
    );
    return { fn: WIDE_FUNCTION, widths: WIDE_WIDTHS, cells };
  } catch (error) {
    problems.push(`wide calls: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The vm's optimisations one at a time, sampled as phases 2 and 3 are. */
async function optimisationsPhase(
  workload: readonly WorkloadExpr[],
  inputs: { xs: Float64Array; ys: Float64Array },
  options: BenchOptions,
  clock: StepClock,
  progress: Progress,
): Promise<OptimisationsResult> {
  const engines = await optimisationEngines();
  const sampling = {
    ...samplingOf(options),
    rounds: options.rounds,
    compileRounds: compileRounds(options),
  };
  return clock.time("optimisations", () =>
    runOptimisations(engines, workload, inputs, sampling, progress),
  );
}

/** An expression for the results: its text, its baseline, and each peer's dialect where it differs. */
function expressionInfo(engines: readonly Engine[], expr: WorkloadExpr): ExpressionInfo {
  return {
    id: expr.id,
    source: expr.source,
    baseline: expr.baselineText,
    dialects: dialectsOf(engines, expr),
  };
}

/** What each peer is given where its dialect differs from exprjit's text. */
function dialectsOf(engines: readonly Engine[], expr: WorkloadExpr): Record<string, string> {
  const dialects: Record<string, string> = {};
  for (const engine of engines) {
    const text = engine.kind === "peer" ? engine.text(expr) : undefined;
    if (text !== undefined && text !== expr.source) dialects[engine.id] = text;
  }
  return dialects;
}

/** The workload expressions `--exprs` names (ids like `e04` or numbers like `4`); all when empty. */
export function pickExpressions(wanted: readonly string[]): WorkloadExpr[] {
  if (wanted.length === 0) return [...WORKLOAD];
  return wanted.map((name) => {
    const id = /^\d+$/.test(name) ? `e${name.padStart(2, "0")}` : name;
    const expr = WORKLOAD.find((e) => e.id === id);
    if (expr === undefined) {
      throw new Error(
        `unknown expression '${name}' (e01 … e${String(WORKLOAD.length).padStart(2, "0")})`,
      );
    }
    return expr;
  });
}

/** Fails early, before any measuring, on an engine name that cannot match. */
function checkEngineNames(wanted: readonly string[]): void {
  const ids = [...availableBackends().map((b) => b.name), "auto"].flatMap((name) => [
    name,
    `${name}/evaluate`,
  ]);
  const known = [...ids, "baseline", ...PEER_NAMES, ...GROUPS];
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown or unavailable engine '${unknown[0]}' (engines: ${known.join(", ")})`);
  }
}

/**
 * The engines `--engines` names (ids or groups); all available when empty;
 * the baseline always; an `auto@T` for each of `autoThresholds`.
 */
export async function pickEngines(
  wanted: readonly string[],
  autoThresholds: readonly number[] = [],
): Promise<Engine[]> {
  const all = wanted.length === 0;
  const matches = (id: string, kind: Engine["kind"]) =>
    all ||
    wanted.includes(id) ||
    (kind === "exprjit" && wanted.includes("exprjit")) ||
    (kind === "peer" && wanted.includes("peers"));
  checkEngineNames(wanted);
  return loadEngines(matches, autoThresholds);
}

/** The compile-only pseudo-engine `<id>/cached`: compiling an expression the back-end has cached. */
function cachedInfo(engine: Engine): EngineInfo {
  return {
    id: `${engine.id}/cached`,
    label: `${engine.label} (compiled again: cache hit)`,
    kind: engine.kind,
    backend: engine.backend as string,
    entry: "cached",
  };
}

/** The compile-only reference an engine is timed beside (js: bare `new Function`). */
function referenceInfo(engine: Engine): EngineInfo {
  const reference = engine.reference as NonNullable<Engine["reference"]>;
  return {
    id: reference.id,
    label: reference.label,
    kind: engine.kind,
    backend: engine.backend as string,
    entry: "reference",
  };
}

function engineInfo(engine: Engine): EngineInfo {
  const base = { id: engine.id, label: engine.label, kind: engine.kind };
  if (engine.backend === undefined) return base;
  const entry = engine.timesCompile ? "fn" : "evaluate";
  const info = { ...base, backend: engine.backend, entry } as const;
  return engine.thresholds === undefined ? info : { ...info, thresholds: engine.thresholds };
}

function runInfo(options: BenchOptions, seconds: Record<string, number>): RunInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    quick: options.quick,
    machine: {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
    },
    node: process.version,
    v8: process.versions.v8,
    flags: nodeFlags(process.execArgv),
    settings: { rounds: options.rounds, samples: options.samples, targetMs: options.targetMs },
    seconds,
  };
}

/** Node's flags, without the TypeScript loader's (`--import tsx` and the like). */
function nodeFlags(execArgv: readonly string[]): string[] {
  const flags: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i] as string;
    if (flag === "--import" || flag === "--require" || flag === "--loader") i++;
    else if (!/^--(import|require|loader)=/.test(flag)) flags.push(flag);
  }
  return flags;
}

function skippedParts(options: BenchOptions): string[] {
  const skipped: string[] = [];
  for (const backend of ALL_BACKENDS) {
    const availability = backend.availability();
    if (!availability.available)
      skipped.push(`back-end ${backend.name}: not available here (${availability.reason})`);
  }
  for (const phase of PHASES) {
    if (!options.phases.has(phase)) skipped.push(`${phase}: not selected (--phases)`);
  }
  if (options.quick && options.phases.has("compile")) {
    skipped.push("wide calls: native not measured (--quick)");
  }
  return skipped;
}
