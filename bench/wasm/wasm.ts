/**
 * The `wasm` back-end's own benchmark (issue 5): on the BENCHMARKS.md
 * workload, ns per evaluation through `fn` as a ratio to the hand-written
 * JavaScript arrow in the same run, and the time from source to a callable,
 * split into front end, codegen, encode, compile (`new WebAssembly.Module`),
 * instantiate and the first call.
 *
 * Run: node --expose-gc --no-compilation-cache --import tsx bench/wasm/wasm.ts [--quick]
 */

import { toProgram } from "../../src/api/frontend.js";
import type { EvalFn } from "../../src/backends/backend.js";
import { generate } from "../../src/backends/wasm/codegen.js";
import { compileModule, instantiate } from "../../src/backends/wasm/load.js";
import { encodeModule } from "../../src/backends/wasm/module.js";
import { compile } from "../../src/index.js";
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
const SAMPLING: SampleOptions = microSampling(QUICK);
const ROUNDS = QUICK ? 1 : 3;
const COMPILES = QUICK ? 20 : 400;

const { xs, ys } = makeInputs();
let sink = 0;

/** ns per evaluation of `f` through its own loop. */
function timeEval(loop: PositionalLoop, f: EvalFn): number {
  return measure((reps) => (sink += loop(f, xs, ys, reps)), xs.length, SAMPLING).nsPerUnit;
}

/** Every result of wasm must be Object.is the baseline's before anything is timed. */
function checkAgrees(expr: WorkloadExpr, f: EvalFn, variables: readonly string[]): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const got = f(...variables.map((v) => (v === "x" ? x : y)));
    if (!Object.is(got, expr.baseline(x, y))) {
      throw new Error(`${expr.id} disagrees at (${x}, ${y}): ${got} vs ${expr.baseline(x, y)}`);
    }
  }
}

interface EvalRow {
  id: string;
  js: number;
  wasm: number;
}

function evalPhase(): EvalRow[] {
  const cells = WORKLOAD.map((expr) => {
    const compiled = compile(expr.source, { backend: "wasm" });
    checkAgrees(expr, compiled.fn, compiled.variables);
    return {
      expr,
      wasm: { f: compiled.fn, loop: makePositionalLoop(`wasm ${expr.id}`, compiled.variables) },
      js: { f: expr.baseline as EvalFn, loop: makePositionalLoop(`js ${expr.id}`, ["x", "y"]) },
      times: { js: [] as number[], wasm: [] as number[] },
    };
  });
  for (let round = 0; round < ROUNDS; round++) {
    for (const cell of cells) {
      // Rotate which engine goes first, so neither always runs on a warmer machine.
      const order = round % 2 === 0 ? (["js", "wasm"] as const) : (["wasm", "js"] as const);
      for (const engine of order) {
        cell.times[engine].push(timeEval(cell[engine].loop, cell[engine].f));
      }
    }
  }
  return cells.map((c) => ({ id: c.expr.id, js: median(c.times.js), wasm: median(c.times.wasm) }));
}

const STAGES = ["front", "codegen", "encode", "compile", "instantiate", "firstCall"] as const;
type Stage = (typeof STAGES)[number];

/** Median µs of each stage from source to a first result, and of `compile()` as a whole. */
function compilePhase(expr: WorkloadExpr): Record<Stage | "total", number> {
  const stages: Record<Stage, number[]> = {
    front: [],
    codegen: [],
    encode: [],
    compile: [],
    instantiate: [],
    firstCall: [],
  };
  const totals: number[] = [];
  // Dead modules from the previous expression are collected first, not on this one's clock.
  collectGarbage();
  for (let k = 0; k < COMPILES; k++) {
    // A different constant each time, so no engine cache keyed by bytes can answer.
    const source = `${expr.source} + ${k + 1}e-300`;
    const t0 = process.hrtime.bigint();
    const program = toProgram(source);
    const t1 = process.hrtime.bigint();
    const code = generate(program);
    const t2 = process.hrtime.bigint();
    const bytes = encodeModule(code);
    const t3 = process.hrtime.bigint();
    const module = compileModule(bytes);
    const t4 = process.hrtime.bigint();
    const fn = instantiate(module, code);
    const t5 = process.hrtime.bigint();
    sink += fn(1.5, 2.5);
    const t6 = process.hrtime.bigint();
    const ts = [t0, t1, t2, t3, t4, t5, t6];
    STAGES.forEach((stage, i) => {
      stages[stage].push(Number((ts[i + 1] as bigint) - (ts[i] as bigint)) / 1e3);
    });
    const c0 = process.hrtime.bigint();
    sink += compile(`${expr.source} + ${k + 1}e-299`, { backend: "wasm" }).fn(1.5, 2.5);
    totals.push(Number(process.hrtime.bigint() - c0) / 1e3);
  }
  const result = { total: median(totals) } as Record<Stage | "total", number>;
  for (const stage of STAGES) result[stage] = median(stages[stage]);
  return result;
}

function main(): void {
  const evals = evalPhase();
  console.log("evaluation: ns per evaluation (median), wasm / hand-written JS");
  console.log("id    js ns   wasm ns  ratio");
  for (const row of evals) {
    const line = [row.id, row.js.toFixed(2), row.wasm.toFixed(2), (row.wasm / row.js).toFixed(2)];
    console.log(line.map((s, i) => (i === 0 ? s.padEnd(4) : s.padStart(8))).join(" "));
  }
  const ratio = geomean(evals.map((r) => r.wasm / r.js));
  console.log(`geomean ratio wasm/js: ${ratio.toFixed(2)}x`);

  console.log("\ncompile: µs from source to a first result (medians)");
  console.log(`id    ${[...STAGES, "total"].map((s) => s.padStart(11)).join("")}`);
  const rows = WORKLOAD.map((expr) => ({ id: expr.id, ...compilePhase(expr) }));
  for (const row of rows) {
    const cells = [...STAGES, "total" as const].map((s) => row[s].toFixed(1).padStart(11));
    console.log(`${row.id.padEnd(4)}  ${cells.join("")}`);
  }
  const callable = rows.map((r) => r.front + r.codegen + r.encode + r.compile + r.instantiate);
  const stageMedians = STAGES.map((s) => `${s} ${median(rows.map((r) => r[s])).toFixed(1)}`);
  console.log(`medians over the workload (µs): ${stageMedians.join(", ")}`);
  console.log(
    `source → callable (sum of the stages before the first call): ${median(callable).toFixed(1)} µs`,
  );
  console.log(`compile() + first call: ${median(rows.map((r) => r.total)).toFixed(1)} µs`);
  if (sink === 0.123456789) console.log("");
}

main();
