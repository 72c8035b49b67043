/**
 * The `native` back-end's own benchmark (issue 6), on the BENCHMARKS.md
 * workload, all in one run:
 * - cold compile: source → callable with an empty cache (C generation, the
 *   C compiler, dlopen), split into its stages;
 * - warm load: the same in a NEW process whose cache already holds the
 *   objects (the compiler does not run; dlopen reads the file);
 * - ns per call through `fn`, as a ratio to the hand-written JS arrow
 *   measured in the same rounds, and ns per call of every other back-end;
 * - the break-even number of evaluations against every other back-end:
 *   the n where compile + n × eval costs the same, for a cold and a warm
 *   native compile. That is the figure the seed's author set out to find.
 *
 * Run: node --expose-gc --no-compilation-cache --import tsx bench/native/native.ts [--quick]
 * Writes bench/results/native/native.json and native.md.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Backend, EvalFn } from "../../src/backends/backend.js";
import { geomean, median } from "../stats.js";
import {
  collectGarbage,
  makePositionalLoop,
  measure,
  microSampling,
  type PositionalLoop,
  type SampleOptions,
} from "../timing.js";
import { makeInputs, WORKLOAD, type WorkloadExpr } from "../workload.js";

const QUICK = process.argv.includes("--quick");
const WARM_CHILD = process.argv.includes("--warm-child");
const SAMPLING: SampleOptions = microSampling(QUICK);
const ROUNDS = QUICK ? 1 : 3;
const COMPILES = QUICK ? 5 : 100;

// The cache directory must be chosen before the back-end first probes its toolchain,
// which happens when src/index.js loads: hence the dynamic imports below.
const ownCache = WARM_CHILD ? undefined : mkdtempSync(join(tmpdir(), "exprjit-native-bench-"));
if (ownCache !== undefined) process.env.EXPRJIT_CACHE_DIR = ownCache;

const { toProgram } = await import("../../src/api/frontend.js");
const { generateAddon } = await import("../../src/backends/native/addon.js");
const { native } = await import("../../src/backends/native/index.js");
const { loadAddon } = await import("../../src/backends/native/load.js");
const { buildEntry, keyOf } = await import("../../src/backends/native/build.js");
const { cacheLimit, findEntry } = await import("../../src/backends/native/cache.js");
const { toolchain } = await import("../../src/backends/native/toolchain.js");
const { availableBackends } = await import("../../src/backends/registry.js");

const { xs, ys } = makeInputs();
let sink = 0;

const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

/** The warm-load child: ms for each expression's first compile in this process (cache full). */
function warmChild(): void {
  toolchain();
  const times = WORKLOAD.map((expr) => {
    const program = toProgram(expr.source);
    const start = process.hrtime.bigint();
    const code = native.compile(program, {});
    const end = process.hrtime.bigint();
    if (!code.how?.startsWith("loaded from the cache"))
      throw new Error(`${expr.id} missed the cache`);
    sink += code.fn(1.5, 2.5);
    return ms(start, end);
  });
  console.log(JSON.stringify(times));
}

interface ColdRow {
  readonly id: string;
  readonly codegen: number;
  readonly cc: number;
  readonly load: number;
  readonly total: number;
}

/** Cold compile of every expression into the empty cache, stage by stage (ms). */
function coldPhase(): ColdRow[] {
  const tools = toolchain(); // finds the compiler and its identity, untimed
  return WORKLOAD.map((expr) => {
    const t0 = process.hrtime.bigint();
    const program = toProgram(expr.source);
    const source = generateAddon(program);
    const { arity, fingerprint } = source;
    const t1 = process.hrtime.bigint();
    const key = keyOf(tools, source);
    if (findEntry(tools.cacheDir, key) !== undefined)
      throw new Error(`${expr.id} was already cached`);
    const file = buildEntry(tools, key, source, cacheLimit());
    const t2 = process.hrtime.bigint();
    sink += loadAddon(file, arity, fingerprint)(1.5, 2.5);
    const t3 = process.hrtime.bigint();
    return {
      id: expr.id,
      codegen: ms(t0, t1),
      cc: ms(t1, t2),
      load: ms(t2, t3),
      total: ms(t0, t3),
    };
  });
}

/** Warm loads, measured in a fresh process that shares the now-full cache. */
function warmPhase(): number[] {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ["--import", "tsx", script, "--warm-child"], {
    encoding: "utf8",
    env: process.env,
  });
  if (run.status !== 0) throw new Error(`warm child failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "[]") as number[];
}

/** Median ms of `backend.compile` from source, over COMPILES distinct sources. */
function compileMs(backend: Backend, expr: WorkloadExpr): number {
  collectGarbage();
  const times: number[] = [];
  for (let k = 0; k < COMPILES; k++) {
    // A different constant each time, so no cache keyed by text can answer.
    const source = `${expr.source} + ${k + 1}e-300`;
    const start = process.hrtime.bigint();
    const code = backend.compile(toProgram(source), {});
    sink += code.fn(1.5, 2.5);
    times.push(ms(start, process.hrtime.bigint()));
    code.dispose();
  }
  return median(times);
}

/** A loop over all inputs, from unique source text so its call site stays monomorphic. */

interface Engine {
  readonly name: string;
  readonly fn: EvalFn;
  readonly loop: PositionalLoop;
  readonly variables: readonly string[];
  readonly ns: number[];
}

/** ns per evaluation, per engine, for one expression; engines rotate between rounds. */
function evalPhase(backends: readonly Backend[], expr: WorkloadExpr): Record<string, number> {
  const program = toProgram(expr.source);
  const engines: Engine[] = [
    {
      name: "baseline",
      fn: expr.baseline as EvalFn,
      loop: makePositionalLoop(`js ${expr.id}`, ["x", "y"]),
      variables: ["x", "y"],
      ns: [],
    },
    ...backends.map((b) => ({
      name: b.name,
      fn: b.compile(program, {}).fn,
      loop: makePositionalLoop(`${b.name} ${expr.id}`, program.variables),
      variables: program.variables,
      ns: [],
    })),
  ];
  for (const engine of engines) checkAgrees(expr, engine);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < engines.length; k++) {
      const engine = engines[(k + round) % engines.length] as Engine;
      const work = (reps: number) => {
        sink += engine.loop(engine.fn, xs, ys, reps);
      };
      engine.ns.push(measure(work, xs.length, SAMPLING).nsPerUnit);
    }
  }
  return Object.fromEntries(engines.map((e) => [e.name, median(e.ns)]));
}

/**
 * Exact agreement with the baseline, except for native, whose libm results
 * may differ by an ulp per call; cancellation can grow that (e09 sums powers
 * up to y^55 with alternating signs), hence a relative bound of 1e-12.
 */
function checkAgrees(expr: WorkloadExpr, engine: Engine): void {
  for (let i = 0; i < xs.length; i++) {
    const [x, y] = [xs[i] as number, ys[i] as number];
    const got = engine.fn(...engine.variables.map((v) => (v === "x" ? x : y)));
    const want = expr.baseline(x, y);
    const close = engine.name === "native" && Math.abs(got - want) <= 1e-12 * Math.abs(want);
    if (!Object.is(got, want) && !close) {
      throw new Error(`${engine.name} disagrees on ${expr.id} at (${x}, ${y})`);
    }
  }
}

/** n where native's compile + n evaluations costs what the other's does; Infinity if never. */
function breakEven(nativeMs: number, nativeNs: number, otherMs: number, otherNs: number): number {
  if (otherNs <= nativeNs) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.ceil(((nativeMs - otherMs) * 1e6) / (otherNs - nativeNs)));
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "never");
const count = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "never");

function main(): void {
  if (!native.availability().available) {
    console.log(`native is not available: ${JSON.stringify(native.availability())}`);
    return;
  }
  const others = availableBackends().filter((b) => b.name !== "native");
  console.log(
    `native benchmark${QUICK ? " (quick)" : ""}; other back-ends: ${others.map((b) => b.name).join(", ")}`,
  );

  const cold = coldPhase();
  const warm = warmPhase();
  const compile: Record<string, number[]> = Object.fromEntries(others.map((b) => [b.name, []]));
  const evals: Record<string, number>[] = [];
  for (const expr of WORKLOAD) {
    for (const b of others) compile[b.name]?.push(compileMs(b, expr));
    evals.push(evalPhase([...others, native], expr));
  }

  const lines: string[] = [];
  const out = (line = "") => {
    lines.push(line);
    console.log(line);
  };
  out("## Compile (ms per expression, medians over the workload)");
  out();
  out(`| stage | ms |\n| --- | ---: |`);
  out(`| cold: C generation | ${fmt(median(cold.map((r) => r.codegen)), 3)} |`);
  const compiler = toolchain().identity.split("\n")[1] ?? "cc";
  out(`| cold: C compiler (${compiler}) | ${fmt(median(cold.map((r) => r.cc)))} |`);
  out(`| cold: dlopen + first call | ${fmt(median(cold.map((r) => r.load)), 3)} |`);
  out(`| **cold total** | **${fmt(median(cold.map((r) => r.total)))}** |`);
  out(`| **warm load from the cache, new process** | **${fmt(median(warm), 3)}** |`);
  for (const b of others) out(`| ${b.name} compile | ${fmt(median(compile[b.name] ?? []), 4)} |`);
  out();
  out("## Evaluation (ns per call through fn, medians)");
  out();
  const names = ["baseline", ...others.map((b) => b.name), "native"];
  out(`| id | ${names.join(" | ")} | native / JS |`);
  out(`| --- | ${names.map(() => "---:").join(" | ")} | ---: |`);
  for (const [i, expr] of WORKLOAD.entries()) {
    const row = evals[i] as Record<string, number>;
    const ratio = (row.native as number) / (row.baseline as number);
    out(
      `| ${expr.id} | ${names.map((n) => fmt(row[n] as number)).join(" | ")} | ${fmt(ratio, 1)} |`,
    );
  }
  const ratios = evals.map((row) => (row.native as number) / (row.baseline as number));
  out();
  out(`Geometric mean, native / hand-written JS: **${fmt(geomean(ratios), 1)}x**`);
  out();
  out("## Break-even evaluations (native cold | warm vs each back-end; median over the workload)");
  out();
  out("| versus | native cold | native warm | expressions where native never catches up |");
  out("| --- | ---: | ---: | ---: |");
  const breakEvens: Record<string, { cold: number; warm: number; never: number }> = {};
  for (const b of others) {
    const coldN: number[] = [];
    const warmN: number[] = [];
    for (const [i] of WORKLOAD.entries()) {
      const row = evals[i] as Record<string, number>;
      const otherMs = compile[b.name]?.[i] as number;
      coldN.push(
        breakEven(cold[i]?.total as number, row.native as number, otherMs, row[b.name] as number),
      );
      warmN.push(
        breakEven(warm[i] as number, row.native as number, otherMs, row[b.name] as number),
      );
    }
    const never = coldN.filter((n) => !Number.isFinite(n)).length;
    breakEvens[b.name] = { cold: median(coldN), warm: median(warmN), never };
    out(
      `| ${b.name} | ${count(median(coldN))} | ${count(median(warmN))} | ${never} of ${WORKLOAD.length} |`,
    );
  }
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}, V8 ${process.versions.v8}`;
  out();
  out(`Machine: ${machine}.`);

  const dir = fileURLToPath(new URL("../results/native/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "native.md"), `# native back-end benchmark\n\n${lines.join("\n")}\n`);
  const json = { machine, quick: QUICK, cold, warm, compile, evals, breakEvens, ratios };
  writeFileSync(join(dir, "native.json"), `${JSON.stringify(json, null, 2)}\n`);
  if (sink === 0.123456789) console.log("");
}

if (WARM_CHILD) {
  warmChild();
} else {
  try {
    main();
  } finally {
    if (ownCache !== undefined) rmSync(ownCache, { recursive: true, force: true });
  }
}
