/**
 * Command-line arguments → what to do. Hand-written rather than a library
 * because expressions often start with `-` (`exprjit "-2^2"`): an argument
 * is an option only if it is one we know, or looks like one (`-x`, `--foo`).
 */

import { isIdentifier } from "../api/frontend.js";
import { escapeHidden } from "../text/visible.js";

/** What the user asked for. */
export interface Command {
  readonly mode: "eval" | "explain" | "repl" | "batch" | "help" | "version";
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
}

/** `exprjit batch`: where the CSV comes from, how the result goes out, how many threads. */
export interface BatchOptions {
  /** `--input FILE`; undefined (or `-`) reads standard input. */
  readonly input: string | undefined;
  /** `--append NAME`: write the input plus a result column NAME instead of the result alone. */
  readonly append: string | undefined;
  /** `--workers N`: evaluate with `evaluateBatchParallel` on N threads. */
  readonly workers: number | undefined;
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
];
/** Options that only `exprjit batch` takes. */
const BATCH_OPTIONS = ["--input", "--append", "--workers"];
const SHORT: Readonly<Record<string, string>> = {
  "-b": "--backend",
  "-h": "--help",
  "-V": "--version",
};

/** Flags that take no value. */
const FLAGS = ["--json"];

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
  if (argv[0] === "explain" || argv[0] === "repl" || argv[0] === "batch") {
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
    const name = SHORT[arg] ?? (eq === -1 ? arg : arg.slice(0, eq));
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
    else values.set(name, value);
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
  if (mode === "batch" && expression === undefined) {
    throw new UsageError('batch needs an expression: exprjit batch "x*y" --input data.csv');
  }
  if (mode === "batch" && words.includes("-")) {
    throw new UsageError("batch reads standard input unless --input FILE is given; leave out '-'");
  }
  if (mode === "explain" && expression === undefined) {
    throw new UsageError('explain needs an expression: exprjit explain "1+1.2-5"');
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
    ...(mode === "batch"
      ? {
          batch: {
            input: values.get("--input"),
            append: appendName(values.get("--append")),
            workers: positiveInteger(values.get("--workers"), "--workers"),
          },
        }
      : {}),
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
  return SHORT[arg] !== undefined;
}

function splitVar(text: string, option: "--var" | "--const"): [string, string] {
  const eq = text.indexOf("=");
  const name = eq === -1 ? "" : text.slice(0, eq).trim();
  if (!isIdentifier(name)) {
    const example = option === "--var" ? "--var x=1.5" : "--const g=9.81";
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
