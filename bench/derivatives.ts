/**
 * Benchmark phase 9 (BENCHMARKS.md, "Derivatives"), run on its own:
 * `npm run bench:derivatives [-- --quick] [-- --backends js,vm]`.
 *
 * For each workload formula (two variables, the 1024 fixed inputs):
 * - value + full gradient (`compileGradient(...).fnInto`) against the value
 *   alone (`compile(...).fn`), per back-end, both measured in this run;
 * - on js, a five-point numerical derivative (ExprTk's stencil, step 1e-8:
 *   4 evaluations per variable, plus the value) against the exact gradient,
 *   and both methods' largest relative error against a reference that
 *   mathjs computes with 40-digit BigNumbers from its own symbolic
 *   derivative (formulas mathjs cannot differentiate get no error figure);
 * - mathjs `derivative` + `compile` (µs per gradient) and `evaluate` (ns
 *   per evaluation of both partials).
 *
 * Medians over samples (bench/timing.ts); each engine and formula gets a
 * measuring loop of its own text, so its call site stays monomorphic.
 * Writes a Markdown table to stdout and, with `--out FILE`, a JSON file.
 */

import { writeFile } from "node:fs/promises";
import * as mathjs from "mathjs";
import { compile, compileGradient } from "../src/index.js";
import { geomean } from "./stats.js";
import { measure, type SampleOptions, warmUp } from "./timing.js";
import { makeInputs, WORKLOAD } from "./workload.js";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const BACKENDS = (flag("--backends") ?? "treewalk,vm,js,wasm,auto").split(",");
const OUT = flag("--out");
const SAMPLES: SampleOptions = quick
  ? { targetNs: 5e5, samples: 3, budgetNs: 5e7, gc: false }
  : { targetNs: 2e6, samples: 9, budgetNs: 4e8 };

const { xs, ys } = makeInputs();
const N = xs.length;
let sink = 0;

/** A measuring loop of its own text over the inputs, calling `step(i)`'s body. */
function loop(id: string, body: string, bound: Record<string, unknown>): (reps: number) => void {
  const names = Object.keys(bound);
  const text = `// ${id}\nreturn function (reps) {\n  let s = 0;\n  for (let r = 0; r < reps; r++) {\n    for (let i = 0; i < ${N}; i++) {\n      const x = xs[i], y = ys[i];\n      ${body}\n    }\n  }\n  return s;\n};`;
  const make = new Function("xs", "ys", ...names, text) as (
    ...a: unknown[]
  ) => (r: number) => number;
  const run = make(xs, ys, ...names.map((n) => bound[n]));
  return (reps) => {
    sink += run(reps);
  };
}

function ns(work: (reps: number) => void): number {
  warmUp(() => work(1), quick ? 2e6 : 2e7);
  return measure(work, N, SAMPLES).nsPerUnit;
}

/** Five-point derivative (ExprTk's `derivative()`): 4 evaluations per variable. */
const H = 1e-8;
const FIVE_POINT = `const v = f(x, y);
      const dx = (-f(x + 2 * h, y) + 8 * f(x + h, y) - 8 * f(x - h, y) + f(x - 2 * h, y)) / (12 * h);
      const dy = (-f(x, y + 2 * h) + 8 * f(x, y + h) - 8 * f(x, y - h) + f(x, y - 2 * h)) / (12 * h);
      s += v + dx + dy;`;

const big = mathjs.create(mathjs.all as mathjs.FactoryFunctionMap, {
  number: "BigNumber",
  precision: 40,
});

/** mathjs's dialect of a workload formula (`&&` is `and`), or undefined when it has none. */
function mathjsText(source: string): string {
  return source.replaceAll("&&", " and ").replaceAll("||", " or ");
}

/** The reference partials at each input (40-digit BigNumber), or undefined if mathjs cannot. */
function reference(source: string, count: number): [number[], number[]] | undefined {
  try {
    const text = mathjsText(source);
    const parts = ["x", "y"].map((v) => big.compile(big.derivative(text, v).toString()));
    const out: [number[], number[]] = [[], []];
    for (let i = 0; i < count; i++) {
      const scope = { x: big.bignumber(xs[i] as number), y: big.bignumber(ys[i] as number) };
      parts.forEach((part, k) => {
        out[k as 0 | 1].push(Number(part.evaluate(scope).toString()));
      });
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Largest |a - ref| / |ref| over the inputs (|a - ref| where ref is 0). */
function maxRelative(values: readonly number[], ref: readonly number[]): number {
  let worst = 0;
  values.forEach((v, i) => {
    const r = ref[i] as number;
    const e = r === 0 ? Math.abs(v) : Math.abs(v - r) / Math.abs(r);
    if (Number.isFinite(r)) worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  });
  return worst;
}

interface Row {
  id: string;
  source: string;
  value: Record<string, number>;
  gradient: Record<string, number>;
  fivePoint: number;
  errorExact?: number;
  errorFivePoint?: number;
  mathjsDeriveUs?: number;
  mathjsEvalNs?: number;
}

const rows: Row[] = [];
const ERROR_POINTS = quick ? 32 : 256;
for (const expr of WORKLOAD) {
  const row: Row = { id: expr.id, source: expr.source, value: {}, gradient: {}, fivePoint: 0 };
  for (const backend of BACKENDS) {
    const options = { backend } as Parameters<typeof compile>[1];
    const value = compile(expr.source, options);
    const gradient = compileGradient(expr.source, { ...options, wrt: ["x", "y"] });
    const order = value.variables;
    const args = ["x", "y"].filter((n) => order.includes(n));
    const call = `(${order.join(", ")})`;
    row.value[backend] = ns(loop(`${backend} value ${expr.id}`, `s += f${call};`, { f: value.fn }));
    row.gradient[backend] = ns(
      loop(
        `${backend} gradient ${expr.id}`,
        `g(out${order.length > 0 ? ", " : ""}${order.join(", ")}); s += out[0] + out[1] + out[2];`,
        { g: gradient.fnInto, out: new Float64Array(3) },
      ),
    );
    void args;
    if (backend === "js") {
      const f = compile(expr.source, { backend: "js" });
      const byName = (a: number, b: number) => f.evaluate({ x: a, y: b });
      // Positional through the program's own order, for the stencil's two-variable f(x, y).
      const positional =
        order.length === 2 && order[0] === "y"
          ? (a: number, b: number) => f.fn(b, a)
          : order.length === 2
            ? f.fn
            : order.length === 1 && order[0] === "x"
              ? (a: number) => f.fn(a)
              : order.length === 1
                ? (_a: number, b: number) => f.fn(b)
                : () => f.fn();
      void byName;
      row.fivePoint = ns(loop(`five-point ${expr.id}`, FIVE_POINT, { f: positional, h: H }));
      const ref = reference(expr.source, ERROR_POINTS);
      if (ref !== undefined) {
        const exact: [number[], number[]] = [[], []];
        const approx: [number[], number[]] = [[], []];
        const out = new Float64Array(3);
        for (let i = 0; i < ERROR_POINTS; i++) {
          const x = xs[i] as number;
          const y = ys[i] as number;
          gradient.evaluate({ x, y }).forEach((v, k) => {
            out[k] = v;
          });
          exact[0].push(out[1] as number);
          exact[1].push(out[2] as number);
          const p = positional as (a: number, b: number) => number;
          approx[0].push(
            (-p(x + 2 * H, y) + 8 * p(x + H, y) - 8 * p(x - H, y) + p(x - 2 * H, y)) / (12 * H),
          );
          approx[1].push(
            (-p(x, y + 2 * H) + 8 * p(x, y + H) - 8 * p(x, y - H) + p(x, y - 2 * H)) / (12 * H),
          );
        }
        row.errorExact = Math.max(maxRelative(exact[0], ref[0]), maxRelative(exact[1], ref[1]));
        row.errorFivePoint = Math.max(
          maxRelative(approx[0], ref[0]),
          maxRelative(approx[1], ref[1]),
        );
      }
      try {
        const text = mathjsText(expr.source);
        const reps = quick ? 3 : 20;
        const start = process.hrtime.bigint();
        let parts: mathjs.EvalFunction[] = [];
        for (let r = 0; r < reps; r++) {
          parts = ["x", "y"].map((v) => mathjs.compile(mathjs.derivative(text, v).toString()));
        }
        row.mathjsDeriveUs = Number(process.hrtime.bigint() - start) / reps / 1000;
        const scope = new Map<string, number>();
        const [px, py] = parts as [mathjs.EvalFunction, mathjs.EvalFunction];
        row.mathjsEvalNs = ns(
          loop(
            `mathjs ${expr.id}`,
            `sc.set("x", x); sc.set("y", y); s += px.evaluate(sc) + py.evaluate(sc);`,
            {
              px,
              py,
              sc: scope,
            },
          ),
        );
      } catch {
        // mathjs cannot differentiate this formula (the conditional): no figure.
      }
    }
    value.dispose();
    gradient.dispose();
  }
  rows.push(row);
  process.stderr.write(`${expr.id} `);
}
process.stderr.write("\n");

const fmt = (v: number | undefined, digits = 1): string =>
  v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(digits);
const exp = (v: number | undefined): string =>
  v === undefined ? "–" : v === 0 ? "0" : v.toExponential(1);

const lines: string[] = [];
lines.push(
  "| formula | js value ns | js value+gradient ns | ratio | five-point ns | ratio to value | max rel. error exact | max rel. error five-point | mathjs derivative+compile µs | mathjs eval ns |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const r of rows) {
  const v = r.value.js as number;
  const g = r.gradient.js as number;
  lines.push(
    `| \`${r.source}\` | ${fmt(v)} | ${fmt(g)} | ${fmt(g / v, 2)} | ${fmt(r.fivePoint)} | ${fmt(r.fivePoint / v, 2)} | ${exp(r.errorExact)} | ${exp(r.errorFivePoint)} | ${fmt(r.mathjsDeriveUs)} | ${fmt(r.mathjsEvalNs)} |`,
  );
}
lines.push("", "| back-end | geometric mean of (value + gradient) ÷ value |", "| --- | ---: |");
for (const backend of BACKENDS) {
  const ratios = rows.map((r) => (r.gradient[backend] as number) / (r.value[backend] as number));
  lines.push(`| ${backend} | ${geomean(ratios).toFixed(2)} |`);
}
const fiveRatios = rows.map((r) => r.fivePoint / (r.gradient.js as number));
lines.push(
  "",
  `five-point ÷ exact gradient on js, geometric mean: ${geomean(fiveRatios).toFixed(2)}`,
);
process.stdout.write(`${lines.join("\n")}\n`);
if (OUT !== undefined) {
  await writeFile(
    OUT,
    `${JSON.stringify({ node: process.version, quick, backends: BACKENDS, rows }, null, 1)}\n`,
  );
}
if (sink === 0.5) process.stdout.write("");
