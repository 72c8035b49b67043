/**
 * The `js` back-end measured against the hand-written JavaScript baseline on
 * the BENCHMARKS.md workload, in one run:
 *
 * 1. evaluation, ns per call: the baseline arrow function, the generated
 *    `fn` (both load modes) and `evaluate({ x, y })` with a reused object;
 *    each (engine, expression) pair in its own loop built by `new Function`
 *    from unique text, so its call site stays monomorphic and can inline;
 * 2. compile, µs from source to a called function: `compile()` with the
 *    compile cache emptied, against a bare `new Function` of the same
 *    generated expression; then a cache hit, and the ES module path.
 *
 * Run: node --expose-gc --no-compilation-cache --import tsx bench/js/jit.ts [--quick]
 *      [--only=evaluate|compile]
 * (--no-compilation-cache: V8 would otherwise reuse code for source text it has seen.)
 */

import { toProgram } from "../../src/api/frontend.js";
import { generate } from "../../src/backends/js/codegen.js";
import { js, jsCompileCache } from "../../src/backends/js/index.js";
import { type Compiled, compile, compileAsync } from "../../src/index.js";
import { makeInputs, WORKLOAD, type WorkloadExpr } from "../workload.js";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 21;
const SAMPLE_NS = quick ? 2e5 : 2e6;
const COMPILES = quick ? 10 : 300;
const MODULE_COMPILES = quick ? 3 : 40;
const WARMUP_CALLS = quick ? 20 : 300;

const { xs, ys } = makeInputs();
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** A loop over the inputs, `reps` times, summing what `call` returns. */
type Loop = (reps: number) => number;

let loopCount = 0;

/**
 * A fresh loop (unique source) around `target`, called as `call` (text):
 * one pass over the inputs per call of `pass`, so `pass` is optimised the
 * ordinary way after many calls, not on-stack in the middle of one long run.
 */
function makeLoop(target: unknown, call: string, setup = ""): Loop {
  const body = `// loop ${loopCount++}
${setup}
function pass() {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ${call};
  return s;
}
return function (reps) {
  let s = 0;
  for (let r = 0; r < reps; r++) s += pass();
  return s;
};`;
  const loop = new Function("t", "xs", "ys", body)(target, xs, ys) as Loop;
  for (let i = 0; i < WARMUP_CALLS; i++) loop(1);
  return loop;
}

interface Engine {
  readonly name: string;
  readonly loop: Loop;
}

async function enginesFor(expr: WorkloadExpr): Promise<Engine[]> {
  const compiled: Compiled = compile(expr.source, { backend: "js" });
  const asModule = await compileAsync(expr.source, { backend: "js", load: "module" });
  // The generated fn takes its variables in first-appearance order; the workload passes (x, y).
  const order = compiled.variables.map((name) => (name === "x" ? "xs[i]" : "ys[i]")).join(", ");
  return [
    { name: "baseline", loop: makeLoop(expr.baseline, "t(xs[i], ys[i])") },
    { name: "js fn", loop: makeLoop(compiled.fn, `t(${order})`) },
    { name: "js module fn", loop: makeLoop(asModule.fn, `t(${order})`) },
    {
      name: "evaluate({x,y})",
      loop: makeLoop(
        compiled,
        "(v.x = xs[i], v.y = ys[i], t.evaluate(v))",
        "const v = { x: 0, y: 0 };",
      ),
    },
  ];
}

function nsNow(): bigint {
  return process.hrtime.bigint();
}

/** Repetitions so that one sample lasts about SAMPLE_NS (doubles as warm-up). */
function calibrate(loop: Loop): number {
  let reps = 1;
  for (;;) {
    const start = nsNow();
    loop(reps);
    const ns = Number(nsNow() - start);
    if (ns > SAMPLE_NS / 4) return Math.max(1, Math.round((reps * SAMPLE_NS) / ns));
    reps *= 2;
  }
}

function sample(loop: Loop, reps: number): number {
  gc();
  const start = nsNow();
  loop(reps);
  return Number(nsNow() - start) / (reps * xs.length);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Every engine must give the baseline's results before it is timed. */
function checkAgreement(expr: WorkloadExpr, compiled: Compiled): void {
  const order = compiled.variables;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const args = order.map((name) => (name === "x" ? x : y));
    const got = compiled.fn(...args);
    const want = expr.baseline(x, y);
    if (!Object.is(got, want)) throw new Error(`${expr.id}: js gave ${got}, baseline ${want}`);
  }
}

async function evaluationPhase(): Promise<void> {
  const cells = new Map<string, { engines: Engine[]; reps: number[]; samples: number[][] }>();
  for (const expr of WORKLOAD) {
    checkAgreement(expr, compile(expr.source, { backend: "js" }));
    const engines = await enginesFor(expr);
    cells.set(expr.id, {
      engines,
      reps: engines.map((e) => calibrate(e.loop)),
      samples: engines.map(() => []),
    });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const cell of cells.values()) {
      // Rotate the engine order between rounds.
      for (let k = 0; k < cell.engines.length; k++) {
        const e = (k + round) % cell.engines.length;
        cell.samples[e]?.push(sample(cell.engines[e]?.loop as Loop, cell.reps[e] as number));
      }
    }
  }
  printEvaluation(cells);
}

function printEvaluation(cells: Map<string, { engines: Engine[]; samples: number[][] }>): void {
  const names = [...cells.values()][0]?.engines.map((e) => e.name) ?? [];
  const ratios: number[][] = names.map(() => []);
  console.log("\nEvaluation, ns per call (median), ratio to baseline in brackets");
  console.log(["expr", ...names].map((s) => s.padEnd(22)).join(""));
  for (const [id, cell] of cells) {
    const ns = cell.samples.map(median);
    const base = ns[0] as number;
    const row = ns.map((v, e) => {
      ratios[e]?.push(v / base);
      return `${v.toFixed(2)} (${(v / base).toFixed(2)}x)`.padEnd(22);
    });
    console.log(id.padEnd(22) + row.join(""));
  }
  console.log(
    "geomean".padEnd(22) + ratios.map((r) => `${geomean(r).toFixed(3)}x`.padEnd(22)).join(""),
  );
}

/** Median µs of each of `works`, sampled in turn `count` times so they share the heap's state. */
function interleaved(count: number, works: readonly (() => unknown)[]): number[] {
  const times = works.map((): number[] => []);
  for (let i = 0; i < count; i++) {
    works.forEach((work, w) => {
      const start = nsNow();
      work();
      times[w]?.push(Number(nsNow() - start) / 1000);
    });
  }
  return times.map(median);
}

/** Median µs of `count` runs of an asynchronous `work`. */
async function timeAsync(count: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = nsNow();
    await work();
    times.push(Number(nsNow() - start) / 1000);
  }
  return median(times);
}

/** The same generated expression as one bare function, builtins as extra parameters. */
function bareFunction(source: string): () => unknown {
  const code = generate(toProgram(source));
  const body = code.main.replace(/^function Main\([^)]*\) \{\n {2}/, "").replace(/\n\}$/, "");
  const params = [...code.params, ...code.builtins.map((b) => b.name)];
  const args = [...[1.5, 2].slice(0, code.params.length), ...code.builtins.map((b) => b.js)];
  return () => (new Function(...params, body) as (...a: unknown[]) => number)(...args);
}

async function compilePhase(): Promise<void> {
  console.log("\nCompile, µs from source to a first result (median), ratio to bare new Function");
  const head = [
    "expr",
    "bare",
    "compile()",
    "ratio",
    "front end",
    "js.compile",
    "cache hit",
    "module",
  ];
  console.log(head.map((s) => s.padEnd(12)).join(""));
  const ratios: number[] = [];
  const modules: number[] = [];
  for (const expr of WORKLOAD) {
    const program = toProgram(expr.source);
    const [bare = 0, full = 0, front = 0, backend = 0, hit = 0] = interleaved(COMPILES, [
      bareFunction(expr.source),
      () => {
        jsCompileCache.clear();
        return compile(expr.source, { backend: "js" }).fn(1.5, 2);
      },
      () => toProgram(expr.source),
      () => {
        jsCompileCache.clear();
        return js.compile(program, {}).fn(1.5, 2);
      },
      () => compile(expr.source, { backend: "js" }).fn(1.5, 2),
    ]);
    const mod = await timeAsync(MODULE_COMPILES, async () => {
      jsCompileCache.clear();
      return (await compileAsync(expr.source, { backend: "js", load: "module" })).fn(1.5, 2);
    });
    ratios.push(full / bare);
    modules.push(mod);
    const cells = [bare, full, full / bare, front, backend, hit, mod].map((v, i) =>
      i === 2 ? `${v.toFixed(2)}x` : v.toFixed(i === 6 ? 0 : 1),
    );
    console.log([expr.id, ...cells].map((s) => s.padEnd(12)).join(""));
  }
  console.log(
    `geomean compile()/bare: ${geomean(ratios).toFixed(3)}x; ES module: median ${median(modules).toFixed(0)} µs`,
  );
}

console.log(`node ${process.version}, V8 ${process.versions.v8}${quick ? " (quick)" : ""}`);
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
if (only !== "compile") await evaluationPhase();
if (only !== "evaluate") await compilePhase();
