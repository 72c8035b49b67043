/**
 * The suite's command line: options, their defaults (full run and
 * `--quick`), `--help`, and the Node flags a run needs. Parsing only;
 * main.ts acts on the result.
 */

import { spawnSync } from "node:child_process";

/** Phases that can be picked with `--phases`. */
export const PHASES = [
  "frontend",
  "compile",
  "evaluate",
  "total",
  "optimisations",
  "batch",
] as const;
export type Phase = (typeof PHASES)[number];

/** What a run should do. */
export interface BenchOptions {
  readonly mode: "run" | "help" | "compare" | "list";
  readonly quick: boolean;
  /** `--full`: the batch phase also runs 10^7 rows. */
  readonly full: boolean;
  /** Engine ids or groups (`exprjit`, `peers`); empty: all. */
  readonly engines: readonly string[];
  /** Expression ids (`e04`) or numbers (`4`); empty: all. */
  readonly exprs: readonly string[];
  readonly phases: ReadonlySet<Phase>;
  readonly outDir: string;
  readonly rounds: number;
  readonly samples: number;
  readonly targetMs: number;
  /** Write the Markdown report and charts (JSON and the table are always written). */
  readonly report: boolean;
  /** `--compare OLD NEW`. */
  readonly compare?: readonly [string, string];
  /** `--beside FILE`: results.json files of runs on other Node versions, for the report. */
  readonly beside: readonly string[];
  /** `--auto-thresholds LIST`: an engine `auto@T` for each T (auto promoting after T calls). */
  readonly autoThresholds: readonly number[];
  /** `--total-ns LIST`: the n the measured total times, instead of 1 … 10^5 (quick: 10^3). */
  readonly totalNs?: readonly number[];
}

export const HELP = `Usage: npm run bench -- [options]
       npm run bench:compare -- OLD.json NEW.json

Benchmarks exprjit's back-ends against hand-written JS and the peers
(mathjs, expr-eval-fork, filtrex, fparser): front end, compile, evaluate,
total cost (compile + n calls: timed end to end for exprjit's exact
back-ends and auto, modelled for the rest) and break-evens; the vm's
optimisations one at a time; and
batch throughput over columns (with numexpr, when Python has it).
Every engine is first checked against the hand-written baseline;
disagreeing pairs are reported and not timed.

Options:
  --quick              short pass for CI: checks agreement, times a little,
                       exits 1 if any engine disagrees (never judges speed)
  --full               the batch phase also measures 10^7 rows
  --engines LIST       comma-separated engine ids or groups: exprjit, peers,
                       treewalk, js, js/evaluate, mathjs, ... (see --list);
                       the baseline is always included
  --exprs LIST         expression ids or numbers: e04,e17 or 4,17
  --phases LIST        frontend,compile,evaluate,total,optimisations,batch
                       (default: all)
  --out DIR            where results.json, REPORT.md and the charts go
                       (default: bench/results)
  --rounds N           measuring rounds (default 7, compile at most 3;
                       --quick 1); figures are medians over rounds
  --samples N          samples per measurement (default 9; --quick 2)
  --target-ms N        duration of one sample (default 2; --quick 0.5)
  --no-report          write only the JSON (no Markdown, no charts)
  --auto-thresholds LIST
                       comma-separated call counts: adds an engine auto@T per
                       T (auto promoting to its compiled tier after T calls)
                       to every phase, so the measured total cost can pick
                       the default threshold
  --total-ns LIST      the call counts the measured total times (default
                       1,10,100,1000,10000,100000; --quick up to 1000);
                       beyond the largest, 10^6 and 10^7 are extrapolated
  --beside FILE        a results.json from a run on another Node version; the
                       report gets a section with both runs' headline figures
                       side by side (repeatable; scripts/bench-nodes.sh uses it)
  --compare OLD NEW    print NEW/OLD per cell of two results.json files
  --list               list engines and expressions, then exit
  --help               this text
`;

/** Parses `argv` (without node and the script). Throws Error with a message for bad input. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes("--quick");
  let mode: BenchOptions["mode"] = "run";
  let engines: string[] = [];
  let exprs: string[] = [];
  let phases = new Set<Phase>(PHASES);
  let outDir = "bench/results";
  let rounds = quick ? 1 : 7;
  let samples = quick ? 2 : 9;
  let targetMs = quick ? 0.5 : 2;
  let report = true;
  let compare: [string, string] | undefined;
  const beside: string[] = [];
  let autoThresholds: number[] = [];
  let totalNs: number[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--quick":
      case "--full":
        break;
      case "--help":
      case "-h":
        mode = "help";
        break;
      case "--list":
        mode = "list";
        break;
      case "--engines":
        engines = splitList(value());
        break;
      case "--exprs":
        exprs = splitList(value());
        break;
      case "--phases":
        phases = parsePhases(value());
        break;
      case "--out":
        outDir = value();
        break;
      case "--rounds":
        rounds = positiveInt(arg, value());
        break;
      case "--samples":
        samples = positiveInt(arg, value());
        break;
      case "--target-ms":
        targetMs = positiveNumber(arg, value());
        break;
      case "--no-report":
        report = false;
        break;
      case "--beside":
        beside.push(value());
        break;
      case "--auto-thresholds":
        autoThresholds = parseThresholds(arg, value());
        break;
      case "--total-ns":
        totalNs = splitList(value()).map((t) => positiveInt(arg, t));
        break;
      case "--compare":
        compare = [value(), value()];
        mode = "compare";
        break;
      default:
        throw new Error(`unknown option '${arg}' (see --help)`);
    }
  }
  const options = {
    mode,
    quick,
    full: argv.includes("--full"),
    engines,
    exprs,
    phases,
    outDir,
    rounds,
    samples,
    targetMs,
    report,
    beside,
    autoThresholds,
  };
  const withNs = totalNs === undefined ? options : { ...options, totalNs };
  return compare === undefined ? withNs : { ...withNs, compare };
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Whole call counts, 0 or more, without repeats (each names an engine). */
function parseThresholds(option: string, text: string): number[] {
  const thresholds = splitList(text).map((t) => {
    const n = Number(t);
    if (!Number.isSafeInteger(n) || n < 0 || t.trim() === "")
      throw new Error(`${option} needs whole call counts, 0 or more, not '${t}'`);
    return n;
  });
  return [...new Set(thresholds)];
}

function parsePhases(text: string): Set<Phase> {
  const phases = new Set<Phase>();
  for (const name of splitList(text)) {
    if (!(PHASES as readonly string[]).includes(name)) {
      throw new Error(`unknown phase '${name}' (phases: ${PHASES.join(", ")})`);
    }
    phases.add(name as Phase);
  }
  return phases;
}

function positiveInt(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${option} needs a positive integer, not '${text}'`);
  return n;
}

function positiveNumber(option: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n))
    throw new Error(`${option} needs a positive number, not '${text}'`);
  return n;
}

/**
 * The flags the suite must run under: `--expose-gc` for `gc()` between
 * measurements, and V8's JS and wasm compilation caches off, since either
 * cache would hide the cost of compiling. The wasm flag was renamed
 * between V8 12 (Node 22: `--wasm-native-module-cache-enabled`) and V8 13
 * (Node 24: `--wasm-native-module-cache`), and Node refuses to start with a
 * V8 flag it does not know, so the name is read from the running Node's
 * own `--v8-options`.
 */
export function requiredNodeFlags(): string[] {
  const help = spawnSync(process.execPath, ["--v8-options"], { encoding: "utf8" }).stdout ?? "";
  const known = (flag: string) => new RegExp(`^\\s*--${flag}\\s`, "m").test(help);
  const wasm = ["wasm-native-module-cache-enabled", "wasm-native-module-cache"].find(known);
  if (wasm === undefined) {
    throw new Error(
      `this Node (${process.version}) has no flag to turn off V8's wasm module cache`,
    );
  }
  return ["--expose-gc", "--no-compilation-cache", `--no-${wasm}`];
}
