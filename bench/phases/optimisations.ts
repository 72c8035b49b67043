/**
 * Phase `optimisations`: the `vm` compiler's exact optimisations switched
 * on one at a time, beside `treewalk` and the hand-written baseline, so a
 * reader sees what each one buys per evaluation and costs to compile.
 * Each step is an engine like any other: checked against the baseline,
 * then timed by the compile and evaluate phases' own code (same loops,
 * rounds, rotation and medians), so its figures compare with theirs.
 *
 * The steps switch only the compiler's own optimisations (superinstructions,
 * jumps); whatever else the front end and the compiler's defaults do
 * (constant folding) is on in every step, as in the real `vm`.
 */

import { toProgram } from "../../src/api/frontend.js";
import { type CompilerFlags, DEFAULT_FLAGS } from "../../src/backends/vm/compiler.js";
import { vmBackend } from "../../src/backends/vm/index.js";
import { checkAll, timeableFrom } from "../agree.js";
import { type Engine, loadEngines, positionalBuilt } from "../engines.js";
import type { Progress } from "../progress.js";
import type { EngineInfo, OptimisationsResult } from "../results.js";
import type { SampleOptions } from "../timing.js";
import type { WorkloadExpr } from "../workload.js";
import { runCompile } from "./compile.js";
import { runEvaluate } from "./evaluate.js";
import { summarise } from "./total.js";

/** The optimisations a step may switch, by their compiler flag. */
type Switches = Pick<CompilerFlags, "fuse" | "jumps">;

/** One step: an id, what a reader is told, and the switches (each step adds one). */
interface Step {
  readonly id: string;
  readonly label: string;
  readonly flags: Switches;
}

/** The steps, in order; the last is the `vm` back-end as shipped. */
export const STEPS: readonly Step[] = [
  { id: "vm-none", label: "vm, neither", flags: { fuse: false, jumps: false } },
  { id: "vm+fuse", label: "vm + superinstructions", flags: { fuse: true, jumps: false } },
  {
    id: "vm+fuse+jumps",
    label: "vm + superinstructions + jumps (= vm)",
    flags: { fuse: true, jumps: true },
  },
];

/** Options of the phase: the evaluate phase's sampling and rounds, and the compile phase's rounds. */
export interface OptimisationsOptions extends SampleOptions {
  readonly rounds: number;
  readonly compileRounds: number;
}

/** The engines of the phase: the baseline, `treewalk` (through `fn`) and each step. */
export async function optimisationEngines(): Promise<Engine[]> {
  const reference = await loadEngines((id) => id === "treewalk");
  return [...reference, ...STEPS.map(stepEngine)];
}

/** Runs the phase on `engines` (from {@link optimisationEngines}). */
export function runOptimisations(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  inputs: { readonly xs: Float64Array; readonly ys: Float64Array },
  options: OptimisationsOptions,
  progress: Progress,
): OptimisationsResult {
  const agreement = checkAll(engines, workload, inputs);
  const timeable = timeableFrom(agreement);
  const compile = runCompile(
    engines,
    workload,
    timeable,
    { ...options, rounds: options.compileRounds },
    progress,
  );
  const evaluate = runEvaluate(engines, workload, timeable, inputs, options, progress);
  return {
    engines: engines.map(infoOf),
    steps: STEPS.map((s) => ({ engine: s.id, flags: { ...s.flags } })),
    agreement,
    compile,
    evaluate,
    summary: summarise(
      engines.map((e) => e.id),
      compile,
      evaluate,
    ),
  };
}

/** A step as an engine: source → Program → the `vm` with the step's switches. */
function stepEngine(step: Step): Engine {
  const backend = vmBackend({ ...DEFAULT_FLAGS, ...step.flags });
  return {
    id: step.id,
    label: step.label,
    kind: "exprjit",
    backend: "vm",
    exact: true,
    timesCompile: true,
    text: (expr) => expr.source,
    build(text) {
      const program = toProgram(text);
      const code = backend.compile(program, {});
      return positionalBuilt(code.fn, program.variables, () => code.dispose());
    },
  };
}

function infoOf(engine: Engine): EngineInfo {
  const base = { id: engine.id, label: engine.label, kind: engine.kind };
  return engine.backend === undefined ? base : { ...base, backend: engine.backend, entry: "fn" };
}
