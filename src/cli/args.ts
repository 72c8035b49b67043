/**
 * Command-line arguments → what to do. Hand-written rather than a library
 * because expressions often start with `-` (`exprjit "-2^2"`): an argument
 * is an option only if it is one we know, or looks like one (`-x`, `--foo`).
 */

import { isIdentifier } from "../api/frontend.js";
import { escapeHidden } from "../text/visible.js";

/** What the user asked for. */
export interface Command {
  readonly mode:
    | "eval"
    | "explain"
    | "repl"
    | "batch"
    | "derive"
    | "sql"
    | "set"
    | "help"
    | "version";
  /** The expression (arguments joined by spaces), or undefined to read lines from stdin. */
  readonly expression: string | undefined;
  readonly backend: string | undefined;
  readonly vars: readonly (readonly [name: string, valueText: string])[];
  readonly dump: string | undefined;
  readonly maxLength: number | undefined;
  readonly maxDepth: number | undefined;
  readonly load: "function" | "module" | undefined;
  /** `--tiers LIST`: the auto back-end's tiers, as written (the API checks the names). */
  readonly tiers?: readonly string[];
  /** `--thresholds LIST`: the auto back-end's call counts between tiers. */
  readonly thresholds?: readonly number[];
  /** `--const NAME=VALUE`, in order. */
  readonly constants: readonly (readonly [name: string, valueText: string])[];
  /** `--define TEXT` and `--define-file FILE`, in order. */
  readonly defines: readonly DefineSource[];
  /** `--json`: results and errors as JSON lines on stdout. */
  readonly json?: boolean;
  /** `exprjit batch` only: the options of {@link BatchOptions}. */
  readonly batch?: BatchOptions;
  /** `--set FILE` (or `exprjit set FILE`): a formula set file (see set.ts). */
  readonly set?: string;
  /** `--wrt LIST` (repeatable): the variables of derivatives (`derive`, `--gradient`, `explain`). */
  readonly wrt?: readonly string[];
  /** `--gradient`: print (or append) each partial derivative beside the value. */
  readonly gradient?: boolean;
  /** `--dialect` and `--column`: for `exprjit sql`, `--dump sql` and `batch --engine duckdb`. */
  readonly sql?: SqlCommandOptions;
}

/** The SQL options: which dialect, and the caller's SQL for each variable. */
export interface SqlCommandOptions {
  /** `--dialect D`, as written (checked by the SQL commands). */
  readonly dialect: string | undefined;
  /** `--column NAME=SQL`, in order. */
  readonly columns: readonly (readonly [name: string, sql: string])[];
}

/** `exprjit batch`: where the CSV comes from, how the result goes out, how many threads. */
export interface BatchOptions {
  /** `--input FILE`; undefined (or `-`) reads standard input. */
  readonly input: string | undefined;
  /** `--append NAME`: write the input plus a result column NAME instead of the result alone. */
  readonly append: string | undefined;
  /** `--workers N`: evaluate with `evaluateBatchParallel` on N threads. */
  readonly workers: number | undefined;
  /** `--engine duckdb`: evaluate inside DuckDB instead of in this process. */
  readonly engine?: "duckdb" | undefined;
  /** `--output FILE`: where `--engine duckdb` writes (CSV or Parquet). */
  readonly output?: string | undefined;
}

/** Where definitions come from: one `--define`, or a `--define-file`. */
export type DefineSource =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly path: string };

/** A mistake in the command line: printed with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(message: string) {
    // It quotes what the user typed: characters that hide or reorder text are escaped.
    super(escapeHidden(message));
  }
}

const VALUE_OPTIONS = [
  "--backend",
  "--var",
  "--dump",
  "--max-length",
  "--max-depth",
  "--load",
  "--tiers",
  "--thresholds",
  "--const",
  "--define",
  "--define-file",
  "--input",
  "--append",
  "--workers",
  "--wrt",
  "--dialect",
  "--column",
  "--engine",
  "--output",
  "--set",
];
/** Options that only `exprjit batch` takes. */
const BATCH_OPTIONS = ["--input", "--append", "--workers", "--engine", "--output"];
/** A Map, so an argument such as `toString` or `__proto__` never finds a prototype's member. */
const SHORT: ReadonlyMap<string, string> = new Map([
  ["-b", "--backend"],
  ["-h", "--help"],
  ["-V", "--version"],
]);

/** Flags that take no value. */
const FLAGS = ["--json", "--gradient"];

/** Parses `argv` (without node and the script). Throws UsageError. */
export function parseArgs(argv: readonly string[]): Command {
  let mode: Command["mode"] = "eval";
  const words: string[] = [];
  const vars: [string, string][] = [];
  const constants: [string, string][] = [];
  const defines: DefineSource[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  // Alone, `-v` and `help` are what users type for the version and the help
  // (as expressions they would only name a variable that has no value).
  if (argv.length === 1 && argv[0] === "-v") return only("version");
  if (argv.length === 1 && argv[0] === "help") return only("help");
  let i = 0;
  const wrt: string[] = [];
  const sqlColumns: [string, string][] = [];
  if (
    argv[0] === "explain" ||
    argv[0] === "repl" ||
    argv[0] === "batch" ||
    argv[0] === "derive" ||
    argv[0] === "sql" ||
    argv[0] === "set"
  ) {
    mode = argv[0];
    i = 1;
  }
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(arg)) {
      words.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = SHORT.get(arg) ?? (eq === -1 ? arg : arg.slice(0, eq));
    if (name === "--help") return only("help");
    if (name === "--version") return only("version");
    if (FLAGS.includes(name) && eq === -1) {
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.includes(name)) {
      throw new UsageError(
        `unknown option '${arg}' (see exprjit --help; an expression can follow '--': exprjit -- EXPR)`,
      );
    }
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`option '${name}' needs a value`);
    }
    if (name === "--var") vars.push(splitVar(value, "--var"));
    else if (name === "--const") constants.push(splitVar(value, "--const"));
    else if (name === "--define") defines.push({ kind: "text", text: value });
    else if (name === "--define-file") defines.push({ kind: "file", path: value });
    else if (name === "--wrt") wrt.push(...value.split(",").map((w) => w.trim()));
    else if (name === "--column") sqlColumns.push(splitVar(value, "--column"));
    else values.set(name, value);
  }
  // `exprjit set FILE` is `--set FILE`.
  if (mode === "set" && !values.has("--set") && words.length === 1) {
    values.set("--set", words.pop() as string);
  }
  const set = values.get("--set");
  if (mode === "set" && (set === undefined || words.length > 0)) {
    throw new UsageError("set takes one set file: exprjit set prices.set --var price=10");
  }
  if (set !== undefined && words.length > 0) {
    throw new UsageError("--set FILE takes the place of the expression; leave the expression out");
  }
  if (set !== undefined && mode !== "set" && mode !== "batch" && mode !== "explain") {
    throw new UsageError("--set goes with exprjit set, batch or explain");
  }
  const expression =
    words.length === 0 || (words.length === 1 && words[0] === "-") ? undefined : words.join(" ");
  if (words.length > 1 && words.includes("-")) {
    throw new UsageError("'-' (read from standard input) cannot be combined with an expression");
  }
  if (mode === "repl" && words.length > 0) {
    throw new UsageError("repl reads its expressions from the terminal or standard input");
  }
  if (mode !== "batch") {
    const misplaced = BATCH_OPTIONS.find((option) => values.has(option));
    if (misplaced !== undefined) throw new UsageError(`${misplaced} goes with exprjit batch only`);
  }
  if (mode === "batch" && expression === undefined && set === undefined) {
    throw new UsageError('batch needs an expression: exprjit batch "x*y" --input data.csv');
  }
  if (mode === "batch" && words.includes("-")) {
    throw new UsageError("batch reads standard input unless --input FILE is given; leave out '-'");
  }
  if (mode === "sql" && expression === undefined) {
    throw new UsageError('sql needs an expression: exprjit sql "x*y" --dialect postgres');
  }
  if (mode === "explain" && expression === undefined && set === undefined) {
    throw new UsageError('explain needs an expression: exprjit explain "1+1.2-5"');
  }
  if (mode === "derive" && expression === undefined) {
    throw new UsageError('derive needs an expression: exprjit derive "x^2 * y" --wrt x');
  }
  return {
    mode,
    expression,
    backend: values.get("--backend"),
    vars,
    dump: values.get("--dump"),
    maxLength: positiveInteger(values.get("--max-length"), "--max-length"),
    maxDepth: positiveInteger(values.get("--max-depth"), "--max-depth"),
    load: loadMode(values.get("--load")),
    ...tierLists(values.get("--tiers"), values.get("--thresholds")),
    constants,
    defines,
    json: flags.has("--json"),
    ...(wrt.length > 0 ? { wrt } : {}),
    ...(flags.has("--gradient") ? { gradient: true } : {}),
    ...(set === undefined ? {} : { set }),
    ...(mode === "batch"
      ? {
          batch: {
            input: values.get("--input"),
            append: appendName(values.get("--append")),
            workers: positiveInteger(values.get("--workers"), "--workers"),
            engine: engineName(values.get("--engine")),
            output: values.get("--output"),
          },
        }
      : {}),
    sql: { dialect: values.get("--dialect"), columns: sqlColumns },
  };
}

/** `--tiers js,wasm` and `--thresholds 100,1000` as lists; the API checks what they say. */
function tierLists(
  tiers: string | undefined,
  thresholds: string | undefined,
): { tiers?: readonly string[]; thresholds?: readonly number[] } {
  const lists: { tiers?: readonly string[]; thresholds?: readonly number[] } = {};
  if (tiers !== undefined) lists.tiers = tiers.split(",").map((name) => name.trim());
  if (thresholds !== undefined) {
    lists.thresholds = thresholds.split(",").map((text) => {
      const n = Number(text.trim());
      if (text.trim() === "" || !Number.isSafeInteger(n) || n < 0) {
        throw new UsageError(
          `--thresholds takes whole numbers of calls separated by commas, got '${thresholds}'`,
        );
      }
      return n;
    });
  }
  return lists;
}

function engineName(text: string | undefined): "duckdb" | undefined {
  if (text === undefined || text === "duckdb") return text;
  throw new UsageError(`--engine takes 'duckdb', got '${text}'`);
}

function appendName(text: string | undefined): string | undefined {
  if (text === undefined || text !== "") return text;
  throw new UsageError("--append takes the name of the result column, got ''");
}

function only(mode: "help" | "version"): Command {
  return {
    mode,
    expression: undefined,
    backend: undefined,
    vars: [],
    dump: undefined,
    maxLength: undefined,
    maxDepth: undefined,
    load: undefined,
    constants: [],
    defines: [],
  };
}

/**
 * `--anything` is an option; of single-dash words only the known short
 * options are, so `-2^2`, `-x` and `-pi` are expressions.
 */
function looksLikeOption(arg: string): boolean {
  if (arg.startsWith("--")) return arg.length > 2;
  return SHORT.has(arg);
}

function splitVar(text: string, option: "--var" | "--const" | "--column"): [string, string] {
  const eq = text.indexOf("=");
  const name = eq === -1 ? "" : text.slice(0, eq).trim();
  if (!isIdentifier(name)) {
    const example = {
      "--var": "--var x=1.5",
      "--const": "--const g=9.81",
      "--column": "--column x=price",
    }[option];
    throw new UsageError(`${option} takes NAME=VALUE (for example ${example}), got '${text}'`);
  }
  return [name, text.slice(eq + 1)];
}

function positiveInteger(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${option} takes a positive whole number, got '${text}'`);
  }
  return n;
}

function loadMode(text: string | undefined): Command["load"] {
  if (text === undefined || text === "function" || text === "module") return text;
  throw new UsageError(`--load takes 'function' or 'module', got '${text}'`);
}
