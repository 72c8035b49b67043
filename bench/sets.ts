/**
 * Formula sets (issue 22): how a set compiles as it grows, and how fast it
 * runs against hand-written JavaScript computing the same outputs in one
 * function and one loop. Run: `node --expose-gc --import tsx bench/sets.ts`
 * (`--quick` for fewer samples). Prints a Markdown report on stdout.
 *
 * - Compile time: sets of 100, 1,000 and 10,000 formulas, each using one to
 *   three earlier ones (about 100 characters each: 1 MB at 10,000), on js
 *   and vm, and the front end's throughput on them (MB/s).
 * - The workload set: the ExprTk formulas of the workload (bench/workload.ts)
 *   as outputs e01…, plus formulas combining them, at least 20 outputs; its
 *   batch (`evaluateBatch`, one loop on every back-end) against one
 *   hand-written fused loop, and its row entry (`fnInto`) against one
 *   hand-written function, side by side in one run, medians.
 */

import { compileSet, setPrograms } from "../src/api/set.js";
import type { BackendName } from "../src/backends/backend.js";
import { makeInputs, WORKLOAD } from "./workload.js";

const quick = process.argv.includes("--quick");
const SAMPLES = quick ? 5 : 15;

/** A deterministic set of `count` formulas, each using 1 to 3 earlier ones. */
export function generatedSet(count: number): Record<string, string> {
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const formulas: Record<string, string> = { f0: "x * 1.5 + y" };
  const shapes = [
    (a: string, b: string, c: string) => `${a} * 0.5 + ${b} - x / (1 + ${c} * ${c})`,
    (a: string, b: string) => `sqrt(abs(${a})) + ${b} * y - 0.25 * (x + 2.5)`,
    (a: string) => `t = ${a} * x - 1.0625; t / (1 + abs(t)) + min(x, y) * 0.75`,
    (a: string, b: string, c: string) =>
      `(${a} > ${b} ? ${a} - ${c} : ${b} + ${c}) * 0.999 + 0.001 * y`,
  ];
  for (let i = 1; i < count; i++) {
    const pick = () => `f${next(i)}`;
    const shape = shapes[next(shapes.length)] as (a: string, b: string, c: string) => string;
    formulas[`f${i}`] = shape(pick(), pick(), pick());
  }
  return formulas;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(work: () => void, samples = SAMPLES): number {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

function sizeOf(formulas: Record<string, string>): number {
  let chars = 0;
  for (const [name, text] of Object.entries(formulas)) chars += name.length + 3 + text.length + 1;
  return chars;
}

const lines: string[] = ["# Formula sets", ""];
lines.push(
  `Node ${process.version}, ${quick ? "quick" : "full"} run; medians of ${SAMPLES} samples.`,
  "",
);
lines.push("## Compile time against set size", "");
lines.push(
  "| formulas | characters | front end (ms) | front end (MB/s) | js compile (ms) | vm compile (ms) |",
);
lines.push("| ---: | ---: | ---: | ---: | ---: | ---: |");
for (const count of [100, 1000, 10_000]) {
  const formulas = generatedSet(count);
  const chars = sizeOf(formulas);
  const front = time(() => void setPrograms(formulas));
  // The js back-end's cache would make a second compile of the same text free: one sample each is a fresh text.
  const js = time(() => {
    const salted = { ...formulas, salt: `${Math.random()}` };
    compileSet(salted, { backend: "js" }).fn(1, 2);
  });
  const vm = time(() => void compileSet(formulas, { backend: "vm" }).fn(1, 2));
  const mbs = chars / 1e6 / (front / 1e3);
  lines.push(
    `| ${count} | ${chars} | ${front.toFixed(2)} | ${mbs.toFixed(1)} | ${js.toFixed(2)} | ${vm.toFixed(2)} |`,
  );
}

// The workload set: every ExprTk formula, then formulas combining them.
const formulas: Record<string, string> = {};
for (const w of WORKLOAD) formulas[w.id] = w.source;
const ids = WORKLOAD.map((w) => w.id);
const combos: Record<string, string> = {
  c1: `${ids[0]} + ${ids[1]} * ${ids[2]}`,
  c2: `${ids[3]} - ${ids[4]} / (1 + abs(${ids[5]}))`,
  c3: `max(${ids[6]}, ${ids[7]}, ${ids[8]})`,
  c4: `c1 * 0.5 + c2 * 0.25 + c3 * 0.125`,
  c5: `t = c4 - ${ids[9]}; t * t`,
};
Object.assign(formulas, combos);
const baselines = WORKLOAD.map((w) => w.baseline);
const k = Object.keys(formulas).length;

/** The hand-written twin: the same outputs in one function, each formula once. */
function handRow(out: Float64Array, x: number, y: number): void {
  for (let i = 0; i < baselines.length; i++)
    out[i] = (baselines[i] as (x: number, y: number) => number)(x, y);
  const b = baselines.length;
  const c1 = (out[0] as number) + (out[1] as number) * (out[2] as number);
  const c2 = (out[3] as number) - (out[4] as number) / (1 + Math.abs(out[5] as number));
  const c3 = Math.max(out[6] as number, out[7] as number, out[8] as number);
  const c4 = c1 * 0.5 + c2 * 0.25 + c3 * 0.125;
  const t = c4 - (out[9] as number);
  out[b] = c1;
  out[b + 1] = c2;
  out[b + 2] = c3;
  out[b + 3] = c4;
  out[b + 4] = t * t;
}

/** The hand-written fused loop: one pass over the rows, every output column written. */
function handBatch(xs: Float64Array, ys: Float64Array, outs: Float64Array[]): void {
  const row = new Float64Array(k);
  for (let i = 0; i < xs.length; i++) {
    handRow(row, xs[i] as number, ys[i] as number);
    for (let r = 0; r < k; r++) (outs[r] as Float64Array)[i] = row[r] as number;
  }
}

lines.push(
  "",
  `## The workload set (${k} outputs: ${ids.length} ExprTk formulas, ${Object.keys(combos).length} combining them)`,
  "",
);
const n = 100_000;
const { xs: smallX, ys: smallY } = makeInputs();
const xs = new Float64Array(n);
const ys = new Float64Array(n);
for (let i = 0; i < n; i++) {
  xs[i] = smallX[i % smallX.length] as number;
  ys[i] = smallY[i % smallY.length] as number;
}
const outs = Array.from({ length: k }, () => new Float64Array(n));
lines.push(
  `Batch: ${n} rows; row: ${n} calls of fnInto. Ratio = engine ÷ hand-written (< 1 is faster).`,
  "",
);
lines.push(
  "| back-end | batch (ms) | hand fused loop (ms) | batch ratio | row (ms) | hand function (ms) | row ratio |",
);
lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const backend of ["js", "vm", "wasm", "treewalk"] as BackendName[]) {
  const set = compileSet(formulas, { backend });
  const named = Object.fromEntries(set.outputs.map((name, r) => [name, outs[r] as Float64Array]));
  const one = new Float64Array(k);
  const rows = backend === "treewalk" ? n / 10 : n;
  // Warm both up, then measure side by side.
  for (let i = 0; i < 3; i++) {
    set.evaluateBatch({ x: xs, y: ys }, { out: named });
    handBatch(xs, ys, outs);
  }
  const batch = time(() => void set.evaluateBatch({ x: xs, y: ys }, { out: named }));
  const hand = time(() => handBatch(xs, ys, outs));
  const row = time(() => {
    for (let i = 0; i < rows; i++) set.fnInto(one, xs[i] as number, ys[i] as number);
  });
  const handFn = time(() => {
    for (let i = 0; i < rows; i++) handRow(one, xs[i] as number, ys[i] as number);
  });
  lines.push(
    `| ${backend} | ${batch.toFixed(2)} | ${hand.toFixed(2)} | ${(batch / hand).toFixed(2)} | ${row.toFixed(2)} | ${handFn.toFixed(2)} | ${(row / handFn).toFixed(2)} |`,
  );
  set.dispose();
}
process.stdout.write(`${lines.join("\n")}\n`);
