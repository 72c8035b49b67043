/**
 * Phase 2, compile: µs from source text to a callable, the first
 * evaluation included (V8 compiles `new Function` bodies lazily and wasm
 * may tier up lazily, so "callable" means "has returned a result"). Run
 * under `--no-compilation-cache` (main.ts sees to it): V8 otherwise caches
 * `new Function` by source text and hides the code generation cost.
 * What a sample built is disposed after the clock stops.
 *
 * A back-end with a compile cache gets two figures: `<id>`, a compile of an
 * expression it has not seen (its memory cache cleared before each one; a
 * disk cache is handled by phases/cold.ts), and `<id>/cached`, compiling
 * the same expression again. A back-end with a compile-only reference
 * (js: bare `new Function` of its generated text, bench/reference.ts) gets
 * it timed beside it, in the same rounds, as `<reference id>`.
 */

import type { Built, Engine } from "../engines.js";
import type { Progress } from "../progress.js";
import type { CompileReference } from "../reference.js";
import type { CompileCell } from "../results.js";
import { median } from "../stats.js";
import { measure, type SampleOptions, type Work, warmUp } from "../timing.js";
import type { WorkloadExpr } from "../workload.js";

let sink = 0;

/** One compile measurement: an engine on an expression, with its cache cleared or not. */
interface Cell {
  readonly engine: string;
  readonly expr: string;
  readonly work: Work;
  readonly dispose: () => void;
  reps?: number;
  readonly us: number[];
}

/**
 * Runs phase 2 for every pair `timeable` allows, in `rounds` rounds (every
 * cell once per round, median over rounds, as in phase 3).
 */
export function runCompile(
  engines: readonly Engine[],
  workload: readonly WorkloadExpr[],
  timeable: (engine: Engine, expr: WorkloadExpr) => boolean,
  options: SampleOptions & { readonly rounds: number },
  progress: Progress,
): CompileCell[] {
  const pairs = engines
    .filter((e) => e.timesCompile)
    .flatMap((engine) => workload.map((expr) => ({ engine, expr })))
    .filter(({ engine, expr }) => timeable(engine, expr));
  // Every compiler sees every shape before any clock runs.
  pairs.forEach(({ engine, expr }, i) => {
    progress.step("compile warm-up", `${engine.id} ${expr.id}`, i, pairs.length);
    const text = engine.text(expr) as string;
    warmUp(() => {
      if (engine.cache?.kind === "memory") engine.cache.clear();
      const b = engine.build(text, expr);
      sink += b.at(1.5, 0.75);
      b.dispose();
    }, options.targetNs * 2);
    if (engine.reference !== undefined) warmUp(engine.reference.prepare(expr), options.targetNs);
  });
  const cells = pairs.flatMap(({ engine, expr }) => cellsOf(engine, expr));
  for (let round = 0; round < options.rounds; round++) {
    cells.forEach((cell, i) => {
      progress.step(
        `compile ${round + 1}/${options.rounds}`,
        `${cell.engine} ${cell.expr}`,
        i,
        cells.length,
      );
      // No gc() (see phases/frontend.ts): compiling allocates on every call, and forced full
      // collections between cells made these figures 2–3× slower at random on a shared machine.
      const m = measure(cell.work, 1, { ...options, gc: false }, cell.reps, cell.dispose);
      cell.reps = m.reps;
      cell.us.push(m.nsPerUnit / 1000);
    });
  }
  return cells.map((c) => ({ engine: c.engine, expr: c.expr, us: median(c.us), rounds: c.us }));
}

/**
 * The cells of one pair: one, or for a back-end with a memory cache two
 * (cache cleared before each compile, and `/cached`); a disk-cached one
 * gets only `/cached` here (phases/cold.ts times its first compiles); and
 * the engine's compile-only reference, if it has one.
 */
function cellsOf(engine: Engine, expr: WorkloadExpr): Cell[] {
  const reference = engine.reference === undefined ? [] : [referenceCell(engine.reference, expr)];
  const cache = engine.cache;
  if (cache === undefined) return [cell(engine.id, engine, expr), ...reference];
  const cached = cell(`${engine.id}/cached`, engine, expr);
  if (cache.kind === "disk") return [cached, ...reference];
  return [cell(engine.id, engine, expr, () => cache.clear()), cached, ...reference];
}

/** A cell timing `reference` on `expr`: nothing to dispose, the functions it made are garbage. */
function referenceCell(reference: CompileReference, expr: WorkloadExpr): Cell {
  const once = reference.prepare(expr);
  const work = (reps: number) => {
    for (let i = 0; i < reps; i++) sink += once();
  };
  return { engine: reference.id, expr: expr.id, work, dispose: () => {}, us: [] };
}

/** A cell compiling `expr` with `engine`; `before` runs before each compile, on the clock (clearing a cache is cheap). */
function cell(id: string, engine: Engine, expr: WorkloadExpr, before?: () => void): Cell {
  const text = engine.text(expr) as string;
  const built: Built[] = [];
  const work = (reps: number) => {
    for (let i = 0; i < reps; i++) {
      before?.();
      const b = engine.build(text, expr);
      sink += b.at(1.5, 0.75);
      built.push(b);
    }
  };
  const dispose = () => {
    for (const b of built) b.dispose();
    built.length = 0;
  };
  return { engine: id, expr: expr.id, work, dispose, us: [] };
}

/** Keeps the first evaluations observable. */
export function compileSink(): number {
  return sink;
}
