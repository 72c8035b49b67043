/**
 * Measures the `vm` back-end's optimisations one by one (issue 3): ns per
 * evaluation through `fn` on the BENCHMARKS.md workload, as a ratio to the
 * hand-written JS baseline measured in the same run (geometric mean), with
 * treewalk for comparison, and compile time per expression.
 *
 * Run: node --import tsx bench/vm/optimisations.ts [--quick] [--compile-only]
 * Each (engine, expression) pair gets its own loop built from unique source
 * text, so its call site stays monomorphic; engines rotate between rounds
 * and each figure is the median over rounds. Times are CPU time of this
 * process (`process.cpuUsage`), which a busy shared machine disturbs far
 * less than wall-clock time. No forced `gc()` before samples: its
 * background threads would be billed to the samples that follow (and an
 * evaluation through the VM allocates nothing anyway).
 */

import { compile } from "../../src/api/compile.js";
import { toProgram } from "../../src/api/frontend.js";
import type { EvalFn } from "../../src/backends/backend.js";
import { treewalk } from "../../src/backends/treewalk/index.js";
import type { CompilerFlags } from "../../src/backends/vm/compiler.js";
import { vmBackend } from "../../src/backends/vm/index.js";
import { makeInputs, WORKLOAD } from "../workload.js";

const QUICK = process.argv.includes("--quick");
const ROUNDS = QUICK ? 1 : 5;
const SAMPLE_NS = QUICK ? 2e5 : 2e6;

/** The compiler settings compared, each adding one optimisation to the previous. */
const STEPS: readonly [string, CompilerFlags][] = [
  ["vm (none)", { fold: false, fuse: false, jumps: false }],
  ["vm +fold", { fold: true, fuse: false, jumps: false }],
  ["vm +fuse", { fold: true, fuse: true, jumps: false }],
  ["vm +jumps", { fold: true, fuse: true, jumps: true }],
];

type Loop = (reps: number) => number;

const { xs, ys } = makeInputs();

/** A compiled expression and its variables in positional order. */
interface Entry {
  readonly fn: EvalFn;
  readonly variables: readonly string[];
}

/** `fn`'s arguments for input pair `i`, in its variables' order (e.g. `y` first for `y + x`). */
function args(entry: Entry, i: number): number[] {
  return entry.variables.map((v) => (v === "x" ? xs[i] : ys[i]) as number);
}

/** A loop over all inputs calling `fn`, compiled from source unique to `tag`. */
function makeLoop(tag: string, entry: Entry): Loop {
  const call = entry.variables.map((v) => (v === "x" ? "xs[i]" : "ys[i]")).join(", ");
  const body = `/* ${tag} */ return (reps) => { let s = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < xs.length; i++) s += fn(${call});
    return s; };`;
  return new Function("fn", "xs", "ys", body)(entry.fn, xs, ys) as Loop;
}

/** ns per evaluation: calibrated reps for ~SAMPLE_NS, median of 5 samples. */
function nsPerEval(loop: Loop): number {
  let reps = 1;
  while (time(loop, reps) < SAMPLE_NS / 4) reps *= 2;
  reps = Math.max(1, Math.round((reps * SAMPLE_NS) / Math.max(1, time(loop, reps))));
  const samples = Array.from({ length: 5 }, () => time(loop, reps) / (reps * xs.length));
  return median(samples);
}

function time(loop: Loop, reps: number): number {
  const start = cpuNs();
  loop(reps);
  return cpuNs() - start;
}

/** CPU time used by this process so far, ns (microsecond resolution). */
function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Every engine's `fn` for each expression, checked against the baseline. */
function engines(): Map<string, Entry[]> {
  const table = new Map<string, Entry[]>();
  const xy = ["x", "y"];
  table.set(
    "baseline",
    WORKLOAD.map((w) => ({ fn: w.baseline as EvalFn, variables: xy })),
  );
  const backends = [
    ["treewalk", treewalk] as const,
    ...STEPS.map(([n, f]) => [n, vmBackend(f)] as const),
  ];
  for (const [name, backend] of backends) {
    table.set(
      name,
      WORKLOAD.map((w) => {
        const program = toProgram(w.source);
        return { fn: backend.compile(program, {}).fn, variables: program.variables };
      }),
    );
  }
  for (const [name, entries] of table) {
    WORKLOAD.forEach((w, i) => {
      const entry = entries[i] as Entry;
      for (let k = 0; k < xs.length; k++) {
        const want = w.baseline(xs[k] as number, ys[k] as number);
        const got = entry.fn(...args(entry, k));
        if (!Object.is(want, got)) throw new Error(`${name} ${w.id}: ${got} != ${want}`);
      }
    });
  }
  return table;
}

function evaluatePhase(): void {
  const table = engines();
  const names = [...table.keys()];
  const results = new Map<string, number[][]>(names.map((n) => [n, WORKLOAD.map(() => [])]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length] as string);
    for (const name of order) {
      (table.get(name) as Entry[]).forEach((entry, i) => {
        const ns = nsPerEval(makeLoop(`${name} ${i} ${round}`, entry));
        (results.get(name) as number[][])[i]?.push(ns);
      });
    }
  }
  const ns = new Map(names.map((n) => [n, (results.get(n) as number[][]).map(median)]));
  const base = ns.get("baseline") as number[];
  console.log(`\nns/eval (ratio to baseline); geometric mean of ratios over ${WORKLOAD.length}`);
  console.log(["expr".padEnd(6), ...names.map((n) => n.padStart(15))].join(""));
  WORKLOAD.forEach((w, i) => {
    const cells = names.map((n) => {
      const v = (ns.get(n) as number[])[i] as number;
      return `${v.toFixed(1)} (${(v / (base[i] as number)).toFixed(1)}x)`.padStart(15);
    });
    console.log([w.id.padEnd(6), ...cells].join(""));
  });
  const means = names.map((n) =>
    geomean((ns.get(n) as number[]).map((v, i) => v / (base[i] as number))),
  );
  console.log(["geo".padEnd(6), ...means.map((m) => `${m.toFixed(2)}x`.padStart(15))].join(""));
  const tw = means[names.indexOf("treewalk")] as number;
  const best = means[means.length - 1] as number;
  console.log(`vm (all) is ${(tw / best).toFixed(2)}x faster than treewalk (geometric means)`);
}

/** µs per compile: back-end only (Program → fn) and whole (source → callable). */
function compilePhase(): void {
  const programs = WORKLOAD.map((w) => toProgram(w.source));
  const vm = vmBackend(STEPS[STEPS.length - 1]?.[1] as CompilerFlags);
  const backendOnly = () => {
    for (const p of programs) vm.compile(p, {});
  };
  const whole = () => {
    for (const w of WORKLOAD) compile(w.source, { backend: "vm" });
  };
  for (const [label, work] of [
    ["vm back-end only (Program -> fn)", backendOnly],
    ["source -> callable via compile()", whole],
  ] as const) {
    // Warm up for about 0.3 s (1,000 or so compiles of each expression), so the
    // compiler itself runs optimised, as it does in a process that compiles often.
    const warmUntil = cpuNs() + (QUICK ? 3e7 : 3e8);
    while (cpuNs() < warmUntil) work();
    let reps = 1;
    while (timeReps(work, reps) < SAMPLE_NS) reps *= 2;
    const samples = Array.from({ length: 15 }, () => timeReps(work, reps));
    const us = median(samples) / (reps * WORKLOAD.length) / 1000;
    if (process.env.VMBENCH_DEBUG) console.log(reps, samples);
    console.log(`compile, ${label}: ${us.toFixed(2)} us per expression`);
  }
}

function timeReps(work: () => void, reps: number): number {
  const start = cpuNs();
  for (let r = 0; r < reps; r++) work();
  return cpuNs() - start;
}

console.log(`node ${process.version}, ${ROUNDS} round(s)${QUICK ? " (quick)" : ""}`);
if (!process.argv.includes("--compile-only")) evaluatePhase();
compilePhase();
