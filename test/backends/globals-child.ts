/**
 * Runs in a fresh process for globals.test.ts: imports the library, notes
 * what a few programs give, then replaces every function of Math, Number,
 * Object, Array, JSON, Reflect, String and Date (and the global isNaN,
 * isFinite, parseFloat, parseInt) with one that throws, compiles and runs
 * the same programs on the back-end named in argv[2] (sync, and async for
 * `js` module mode), restores the globals and prints one JSON line: the
 * results before and after, and any error.
 */

import {
  type BackendName,
  type CompileOptions,
  compile,
  compileAsync,
  createEnvironment,
} from "../../src/index.js";

// The parent test passes a registered name; an unknown one fails with the API's own error.
const backend = (process.argv[2] ?? "") as BackendName;
const load = process.argv[3] === "module" ? "module" : undefined;

/** Programs that reach every part of a back-end: constants, calls, branches, long code. */
const PROGRAMS: readonly [string, Record<string, number>][] = [
  ["x * 7 + 1", { x: 2 }],
  ["sin(x) ^ 2 + cos(x) ^ 2 + exp(x) - log(x + 1) + tanh(x) + cbrt(x)", { x: 0.5 }],
  ["x > 1 ? floor(x / 128) * 1e300 : -0", { x: 1000.5 }],
  [
    "min(x, y, 3) + max(x, y) + hypot(x, y) + round(y) + sign(x) + abs(-y) + x % y",
    { x: -3.5, y: 2.25 },
  ],
  ["x && !y || (x == y) + (x != y) + pi - e + -x", { x: 1, y: 0 }],
  [Array.from({ length: 300 }, (_, i) => `x * ${i + 0.5}`).join(" + "), { x: 1.25 }],
  [
    Array.from({ length: 140 }, (_, i) => `v${i}`).join(" + "),
    Object.fromEntries(Array.from({ length: 140 }, (_, i) => [`v${i}`, i])),
  ],
];

/**
 * Each program's results (checked and fast entry) on the back-end, then the
 * error offset of a syntax error. With `fresh`, every program is wrapped as
 * `(…) * 1` (the same values, -0 and NaN included), so the back-end compiles
 * code it has not seen in this process rather than reusing what it loaded.
 */
async function run(fresh: boolean): Promise<number[]> {
  const results: number[] = [];
  const options: CompileOptions = load === undefined ? { backend } : { backend, load };
  for (const [text, vars] of PROGRAMS) {
    const source = fresh ? `(${text}) * 1` : text;
    const compiled =
      load === undefined ? compile(source, options) : await compileAsync(source, options);
    results.push(compiled.evaluate(vars));
    results.push(compiled.fn(...compiled.variables.map((name) => vars[name] as number)));
    if (compiled.dump().length === 0) throw new Error("empty dump");
    compiled.dispose();
  }
  try {
    compile("1 + * 2", { backend });
  } catch (error) {
    results.push((error as { offset: number }).offset);
  }
  results.push(...(await otherEntries(fresh, options)));
  return results;
}

/**
 * The other entries (issue 20, defect 2): batches (typed, plain, broadcast,
 * chunked at 5,000 rows, `out` overlapping a column), a parallel batch,
 * `constants` and `functions`, `createEnvironment`, and the generated
 * evaluate entry (made after 128 calls). Each contributes a few numbers.
 */
async function otherEntries(fresh: boolean, options: CompileOptions): Promise<number[]> {
  const results: number[] = [];
  const suffix = fresh ? " * 1" : "";
  const make = (source: string, more: CompileOptions = {}) =>
    load === undefined
      ? Promise.resolve(compile(source + suffix, { ...options, ...more }))
      : compileAsync(source + suffix, { ...options, ...more });
  const sum = (rows: Float64Array) => {
    let total = 0;
    for (let i = 0; i < rows.length; i++) total += rows[i] as number;
    return total;
  };
  const f = await make("x + y");
  results.push(...f.evaluateBatch({ x: new Float64Array([1, 3, 5]), y: [2, 5, 6] }));
  const n = 5000;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = i * 0.5;
  const ys: number[] = [];
  for (let i = 0; i < n; i++) ys.push(n - i);
  results.push(sum(f.evaluateBatch({ x: xs, y: ys })), sum(f.evaluateBatch({ x: xs, y: 2 })));
  const overlap = new Float64Array([1, 2, 3, 4]);
  f.evaluateBatch({ x: overlap.subarray(0, 3), y: 0 }, { out: overlap.subarray(1) });
  results.push(...overlap);
  results.push(sum(await f.evaluateBatchParallel({ x: xs, y: 1 })));
  let generated = 0;
  for (let i = 0; i < 200; i++) generated += f.evaluate({ x: i, y: 1 });
  results.push(generated, f.evaluate([1, 2]));
  f.dispose();
  const g = await make("k * twice(x) + m", {
    constants: { k: 3, m: -0.5 },
    functions: { twice: "twice(v) = 2 * v" },
  });
  results.push(g.evaluate({ x: 2 }), ...g.evaluateBatch({ x: [1, 2] }));
  g.dispose();
  const environment = createEnvironment({
    constants: { c: 10 },
    functions: { half: "half(v) = v / 2", host: { fn: (v: number) => v + 1, arity: 1 } },
  });
  // Native refuses host functions (cgen.ts); it still gets the environment's constants and definitions.
  const host = backend === "native" ? "" : " + host(x)";
  const e1 = await environment.compileAsync(`half(x) + c${host}${suffix}`, options);
  const e2 = await environment.compileAsync(`half(x) - c${host}${suffix}`, options);
  results.push(e1.evaluate({ x: 4 }), ...e2.evaluateBatch({ x: [2, 4] }));
  e1.dispose();
  e2.dispose();
  return results;
}

const HOLDERS = { Math, Number, Object, Array, JSON, Reflect, String, Date } as const;
const GLOBAL_FUNCTIONS = ["isNaN", "isFinite", "parseFloat", "parseInt"] as const;

// This script's own tools, captured before anything is replaced.
const { defineProperty, getOwnPropertyDescriptor, getOwnPropertyNames, entries } = Object;
const stringify = JSON.stringify;

/** Replaces every function named above with one that throws; returns how to put them back. */
function replaceGlobals(): () => void {
  const saved: [Record<string, unknown>, string, PropertyDescriptor][] = [];
  const replace = (holder: Record<string, unknown>, key: string, label: string) => {
    const descriptor = getOwnPropertyDescriptor(holder, key);
    if (
      descriptor === undefined ||
      typeof descriptor.value !== "function" ||
      !descriptor.configurable
    )
      return;
    saved.push([holder, key, descriptor]);
    defineProperty(holder, key, {
      ...descriptor,
      value: () => {
        throw new Error(`the library called ${label} after import`);
      },
    });
  };
  for (const [name, holder] of entries(HOLDERS)) {
    for (const key of getOwnPropertyNames(holder)) {
      if (key !== "prototype")
        replace(holder as unknown as Record<string, unknown>, key, `${name}.${key}`);
    }
  }
  for (const key of GLOBAL_FUNCTIONS)
    replace(globalThis as unknown as Record<string, unknown>, key, key);
  const restore = saved.map(
    ([holder, key, descriptor]) =>
      () =>
        defineProperty(holder, key, descriptor),
  );
  return () => {
    for (let i = restore.length - 1; i >= 0; i--) (restore[i] as () => void)();
  };
}

const before = await run(false);
const restore = replaceGlobals();
let after: number[] = [];
let failure: string | undefined;
try {
  after = await run(true);
} catch (error) {
  failure = error instanceof Error ? `${error.message}\n${error.stack}` : "non-error thrown";
}
restore();
console.log(stringify({ before: before.map(String), after: after.map(String), failure }));
