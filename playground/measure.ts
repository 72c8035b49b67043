/**
 * The playground's two measurements, made honestly within what a page can
 * do. A page's clock is coarse (Chromium rounds `performance.now()` to
 * 100 µs unless the page is cross-origin isolated), so one compile cannot
 * be timed alone; and compiling the same text again is not cold (js keeps
 * an LRU cache, V8 caches `new Function` sources and wasm modules). So a
 * cold compile is the mean over fresh variants of the expression, each
 * with a constant no earlier compile had, after the library's own code has
 * been warmed up once; no call of the compiled code is included. The
 * benchmark times `fn` in a loop long enough for the clock not to matter.
 */

import { type BackendName, type Compiled, compile } from "exprjit";

/** Never reused: every variant is new to every cache. */
let serial = 0;

/** The expression plus a constant no compile has seen (the cost of one more `+`). */
function variant(source: string): string {
  serial++;
  return `(${source}) + ${serial}e-300`;
}

const warmed = new Set<BackendName>();

/** Compiles throwaway expressions for 10 ms so the library's own code is optimised before timing. */
function warmUp(name: BackendName): void {
  if (warmed.has(name)) return;
  const started = performance.now();
  for (let i = 0; i < 20 || performance.now() - started < 10; i++) {
    compile(variant("sin(x) * y + 2 ^ z"), { backend: name }).dispose();
  }
  warmed.add(name);
}

/** Blocks per back-end; the figure is their median, so a burst of load elsewhere moves it little. */
const BLOCKS = 5;

/**
 * A cold compile's cost on each of `names`, in µs: the median over 5 blocks
 * (fewer for an expression so large that a round takes 200 ms)
 * of the mean over a block of compiles lasting at least 2 ms (20 ticks of a
 * 100 µs clock). Blocks go round the back-ends in turn, so each back-end sees
 * the same load. Returns the total count of compiles each figure rests on.
 */
export function coldCompiles(
  source: string,
  names: readonly BackendName[],
): Map<BackendName, { us: number; runs: number }> {
  for (const name of names) warmUp(name);
  const blocks = new Map(names.map((name) => [name, [] as number[]]));
  const runs = new Map(names.map((name) => [name, 0]));
  const begun = performance.now();
  // A huge expression takes long to compile: one round then, not five, so the page stays usable.
  for (let round = 0; round < BLOCKS && (round === 0 || performance.now() - begun < 200); round++) {
    for (const name of names) {
      let count = 0;
      const started = performance.now();
      let elapsed = 0;
      while (count === 0 || (elapsed < 2 && count < 1000)) {
        compile(variant(source), { backend: name }).dispose();
        count++;
        elapsed = performance.now() - started;
      }
      blocks.get(name)?.push((elapsed * 1000) / count);
      runs.set(name, (runs.get(name) ?? 0) + count);
    }
  }
  const result = new Map<BackendName, { us: number; runs: number }>();
  for (const name of names) {
    const sorted = (blocks.get(name) ?? []).sort((x, y) => x - y);
    result.set(name, {
      us: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      runs: runs.get(name) ?? 0,
    });
  }
  return result;
}

/** ns per call of `code.fn` with `args`, over at least 60 ms of calls. */
export function nsPerCall(code: Compiled, args: readonly number[]): number {
  const { fn } = code;
  let runs = 500;
  let elapsed = 0;
  let sink = 0;
  while (elapsed < 60) {
    runs *= 2;
    const started = performance.now();
    for (let i = 0; i < runs; i++) sink += fn(...args);
    elapsed = performance.now() - started;
  }
  // `sink` is read so the loop cannot be dropped; it never changes the figure.
  return (elapsed * 1e6) / runs + (sink === Number.MIN_VALUE ? 1e-9 : 0);
}
