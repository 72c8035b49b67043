/**
 * The measuring primitives (BENCHMARKS.md, "Method"): `hrtime.bigint()`
 * clocks, a `gc()` before each measurement so one cell's garbage is not
 * collected on the next cell's clock, repetitions calibrated so one sample
 * lasts about `targetNs`, a discarded warm-up sample, and the median of
 * the samples.
 */

import { median } from "./stats.js";

/** How hard to measure one cell. */
export interface SampleOptions {
  /** Wanted duration of one sample, ns (about 2 ms in the full run). */
  readonly targetNs: number;
  /** Samples per measurement (the median is taken). */
  readonly samples: number;
  /** Stop taking samples once a measurement has used this many ns (at least 3 samples are kept). */
  readonly budgetNs: number;
  /**
   * Collect garbage before each measurement. A full collection costs tens
   * of ms once mathjs is loaded, so the quick pass (which judges no speed)
   * turns it off. Default: on.
   */
  readonly gc?: boolean;
}

/** Runs `reps` repetitions of the work being measured. */
export type Work = (reps: number) => void;

/** One measurement: the median and every sample, in ns per unit. */
export interface Measurement {
  readonly nsPerUnit: number;
  readonly samples: readonly number[];
  /** The repetitions per sample that calibration chose. */
  readonly reps: number;
}

/** Collects garbage if the process runs with `--expose-gc` (main.ts makes sure it does). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

/** Nanoseconds taken by `work(reps)`. */
export function timeOnce(work: Work, reps: number): number {
  const start = process.hrtime.bigint();
  work(reps);
  return Number(process.hrtime.bigint() - start);
}

/**
 * Repetitions for one sample of about `targetNs`: grows from 1 until a run
 * takes a quarter of the target, then scales. Each step keeps the fastest
 * of three runs, so a moment without the CPU (a shared machine) does not
 * pass for slow code. Doubles as warm-up.
 */
export function calibrate(work: Work, targetNs: number): number {
  let reps = 1;
  for (;;) {
    const ns = Math.min(timeOnce(work, reps), timeOnce(work, reps), timeOnce(work, reps));
    if (ns >= targetNs / 4 || reps >= 1e9) {
      return Math.max(1, Math.round((reps * targetNs) / Math.max(ns, 1)));
    }
    reps *= Math.min(100, Math.max(2, Math.ceil(targetNs / 4 / Math.max(ns, 1))));
  }
}

/**
 * Measures `work`: gc, then (unless `reps` is given) calibrate and settle,
 * then one discarded warm-up sample, then samples until `samples` are
 * taken or the budget is spent. `unitsPerRep` converts a sample to ns per
 * unit (per evaluation, per compile, per expression). `afterSample` runs
 * untimed after each sample (to dispose what the work built).
 */
export function measure(
  work: Work,
  unitsPerRep: number,
  options: SampleOptions,
  reps?: number,
  afterSample?: () => void,
): Measurement {
  if (options.gc !== false) collectGarbage();
  let chosen = reps;
  if (chosen === undefined) {
    chosen = settle(work, calibrate(work, options.targetNs), options.targetNs, afterSample);
  }
  afterSample?.();
  timeOnce(work, chosen);
  afterSample?.();
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < options.samples && (samples.length < 3 || spent < options.budgetNs)) {
    const ns = timeOnce(work, chosen);
    afterSample?.();
    spent += ns;
    samples.push(ns / (chosen * unitsPerRep));
  }
  return { nsPerUnit: median(samples), samples, reps: chosen };
}

/**
 * Calibration runs the code while it is still cold (interpreted, not yet
 * optimised), so it picks too few repetitions and the first samples are
 * slow. Runs samples until two in a row agree within 10% (at most 12),
 * then rescales the repetitions to the target from the settled speed.
 */
function settle(work: Work, reps: number, targetNs: number, afterSample?: () => void): number {
  let previous = Number.POSITIVE_INFINITY;
  let current = timeOnce(work, reps);
  afterSample?.();
  for (let i = 0; i < 12 && Math.abs(current - previous) > 0.1 * current; i++) {
    previous = current;
    current = timeOnce(work, reps);
    afterSample?.();
  }
  const settled = Math.min(current, previous);
  return Math.max(1, Math.round((reps * targetNs) / Math.max(settled, 1)));
}

/**
 * Runs `once` repeatedly for about `budgetNs` (at least `minReps` times,
 * at most `maxReps`): a warm-up that lets V8 optimise the code under test
 * before anything is timed.
 */
export function warmUp(once: () => void, budgetNs: number, minReps = 3, maxReps = 100_000): void {
  const start = process.hrtime.bigint();
  for (let i = 0; i < maxReps; i++) {
    once();
    if (i + 1 >= minReps && Number(process.hrtime.bigint() - start) >= budgetNs) return;
  }
}
