/**
 * The workload (BENCHMARKS.md): the ExprTk expression set over `x` and `y`,
 * a constant expression and a branchy one, each with its hand-written
 * JavaScript twin (the baseline), plus the fixed inputs and the large
 * generated expression for the front end's throughput.
 *
 * The baseline functions are written out by hand, as a user would write
 * them, not generated: they are the practical limit inside a JS engine.
 */

/** One expression of the workload. */
export interface WorkloadExpr {
  /** Short stable id used in tables, JSON and `--exprs` (`e01` … `e17`). */
  readonly id: string;
  /** The expression in exprjit's language. */
  readonly source: string;
  /** The same formula written by hand in JavaScript. */
  readonly baseline: (x: number, y: number) => number;
  /** The hand-written twin's body as text, for the report (`sin`, `PI`… are `Math`'s). */
  readonly baselineText: string;
  /**
   * The formula in a peer's dialect where rewriting `pi`/`&&` is not
   * enough (the conditional); see engines.ts for the simple rewrites.
   */
  readonly dialects?: Readonly<Partial<Record<PeerName, string>>>;
}

/** The peers a user would pick instead of exprjit. */
export type PeerName = "mathjs" | "expr-eval-fork" | "filtrex" | "fparser";

/**
 * Builds an entry. The baseline's text is written out beside the function
 * (a function's own `toString()` shows whatever the TypeScript loader
 * emitted); a test checks that the two compute the same.
 */
function entry(
  id: string,
  source: string,
  baselineText: string,
  baseline: (x: number, y: number) => number,
  dialects?: Partial<Record<PeerName, string>>,
): WorkloadExpr {
  return dialects === undefined
    ? { id, source, baseline, baselineText }
    : { id, source, baseline, baselineText, dialects };
}

const { sin, cos, sqrt, abs, min, max, PI } = Math;

/** The expressions, in the order of BENCHMARKS.md. */
export const WORKLOAD: readonly WorkloadExpr[] = [
  entry("e01", "(y + x)", "y + x", (x, y) => y + x),
  entry("e02", "2 * (y + x)", "2 * (y + x)", (x, y) => 2 * (y + x)),
  entry("e03", "(2 * y + 2 * x)", "2 * y + 2 * x", (x, y) => 2 * y + 2 * x),
  entry(
    "e04",
    "((1.23 * x^2) / y) - 123.123",
    "(1.23 * x ** 2) / y - 123.123",
    (x, y) => (1.23 * x ** 2) / y - 123.123,
  ),
  entry(
    "e05",
    "(y + x / y) * (x - y / x)",
    "(y + x / y) * (x - y / x)",
    (x, y) => (y + x / y) * (x - y / x),
  ),
  entry(
    "e06",
    "x / ((x + y) + (x - y)) / y",
    "x / (x + y + (x - y)) / y",
    (x, y) => x / (x + y + (x - y)) / y,
  ),
  entry(
    "e07",
    "1 - ((x * y) + (y / x)) - 3",
    "1 - (x * y + y / x) - 3",
    (x, y) => 1 - (x * y + y / x) - 3,
  ),
  entry(
    "e08",
    "(5.5 + x) + (2 * x - 2 / 3 * y) * (x / 3 + y / 4) + (y + 7.7)",
    "5.5 + x + (2 * x - (2 / 3) * y) * (x / 3 + y / 4) + (y + 7.7)",
    (x, y) => 5.5 + x + (2 * x - (2 / 3) * y) * (x / 3 + y / 4) + (y + 7.7),
  ),
  entry(
    "e09",
    "1.1*x^1 + 2.2*y^2 - 3.3*x^3 + 4.4*y^15 - 5.5*x^23 + 6.6*y^55",
    "1.1 * x ** 1 + 2.2 * y ** 2 - 3.3 * x ** 3 + 4.4 * y ** 15 - 5.5 * x ** 23 + 6.6 * y ** 55",
    (x, y) =>
      1.1 * x ** 1 + 2.2 * y ** 2 - 3.3 * x ** 3 + 4.4 * y ** 15 - 5.5 * x ** 23 + 6.6 * y ** 55,
  ),
  entry(
    "e10",
    "sin(2 * x) + cos(pi / y)",
    "sin(2 * x) + cos(PI / y)",
    (x, y) => sin(2 * x) + cos(PI / y),
  ),
  entry(
    "e11",
    "1 - sin(2 * x) + cos(pi / y)",
    "1 - sin(2 * x) + cos(PI / y)",
    (x, y) => 1 - sin(2 * x) + cos(PI / y),
  ),
  entry(
    "e12",
    "sqrt(111.111 - sin(2 * x) + cos(pi / y) / 333.333)",
    "sqrt(111.111 - sin(2 * x) + cos(PI / y) / 333.333)",
    (x, y) => sqrt(111.111 - sin(2 * x) + cos(PI / y) / 333.333),
  ),
  entry(
    "e13",
    "(x^2 / sin(2 * pi / y)) - x / 2",
    "x ** 2 / sin((2 * PI) / y) - x / 2",
    (x, y) => x ** 2 / sin((2 * PI) / y) - x / 2,
  ),
  entry(
    "e14",
    "x + (cos(y - sin(2 / x * pi)) - sin(x - cos(2 * y / pi))) - y",
    "x + (cos(y - sin((2 / x) * PI)) - sin(x - cos((2 * y) / PI))) - y",
    (x, y) => x + (cos(y - sin((2 / x) * PI)) - sin(x - cos((2 * y) / PI))) - y,
  ),
  entry(
    "e15",
    "abs(x - y) + min(x, y) * max(x, y)",
    "abs(x - y) + min(x, y) * max(x, y)",
    (x, y) => abs(x - y) + min(x, y) * max(x, y),
  ),
  entry("e16", "1+1.2-5", "1 + 1.2 - 5", () => 1 + 1.2 - 5),
  entry(
    "e17",
    "x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)",
    "x < y ? x * y : x > 2 && y > 2 ? x - y : x + y",
    (x, y) => (x < y ? x * y : x > 2 && y > 2 ? x - y : x + y),
    {
      filtrex: "if x < y then x * y else (if x > 2 and y > 2 then x - y else x + y)",
      fparser: "ifElse(x < y, x * y, ifElse((x > 2) * (y > 2), x - y, x + y))",
    },
  ),
];

/** How many input pairs every engine sees. */
export const INPUT_COUNT = 1024;

/** The fixed inputs: `count` pseudo-random pairs in [0.5, 2.5), the same on every run. */
export function makeInputs(count = INPUT_COUNT): { xs: Float64Array; ys: Float64Array } {
  const next = mulberry32(0x5eed_2026);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    xs[i] = 0.5 + 2 * next();
    ys[i] = 0.5 + 2 * next();
  }
  return { xs, ys };
}

/** A small, well-known 32-bit PRNG (Mulberry32): deterministic inputs without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The large expression for front-end throughput: a balanced tree of sums
 * and products over varied leaves, just under `maxChars` (the default
 * source limit is 1,000,000). Balanced, so its depth (about 2 × log2 of the
 * leaf count) stays far below the default depth limit of 2,000, where a flat
 * sum of that length would not.
 */
export function makeLargeExpression(maxChars = 990_000): string {
  const next = mulberry32(0x1a2ce);
  const leaves: string[] = [];
  let budget = 0;
  // Each join adds "(", " + ", ")": 5 characters per leaf beyond the first.
  while (budget < maxChars - 64) {
    const leaf = makeLeaf(next);
    if (budget + leaf.length + 5 > maxChars) break;
    leaves.push(leaf);
    budget += leaf.length + 5;
  }
  return joinBalanced(leaves, 0, leaves.length, 0);
}

const LEAVES = [
  "x",
  "y",
  "1.5",
  "2.25",
  "sin(x)",
  "cos(y)",
  "sqrt(x * y)",
  "max(x, y)",
  "-x",
  "x^2",
];
const JOINS = [" + ", " * ", " - ", " / "];

function makeLeaf(next: () => number): string {
  return LEAVES[Math.floor(next() * LEAVES.length)] as string;
}

/** Joins leaves [lo, hi) into a balanced parenthesised tree; recursion depth is log2 of the count. */
function joinBalanced(leaves: readonly string[], lo: number, hi: number, level: number): string {
  if (hi - lo === 1) return leaves[lo] as string;
  const mid = (lo + hi) >>> 1;
  const op = JOINS[level % JOINS.length] as string;
  return `(${joinBalanced(leaves, lo, mid, level + 1)}${op}${joinBalanced(leaves, mid, hi, level + 1)})`;
}
