/**
 * What the CLI does, apart from the process it runs in (so tests can call
 * it directly): parse arguments, then evaluate, dump or explain.
 */

import { createRequire } from "node:module";
import type { BackendChoice } from "../api/auto.js";
import {
  AUTO,
  BACKENDS,
  backendForArtefact,
  chooseEngine,
  dumpNames,
  onlyFor,
  refusedOption,
  tierPlan,
} from "../api/choose.js";
import { type CompileOptions, compile, compileAsync } from "../api/compile.js";
import type { Environment } from "../api/environment.js";
import { isReservedName, stages } from "../api/frontend.js";
import type { BackendName } from "../backends/backend.js";
import { ExprError, ExprOptionsError } from "../errors.js";
import { formatNumber } from "../text/number.js";
import { type Command, parseArgs, UsageError } from "./args.js";
import { runBatchCommand } from "./batch.js";
import { runCacheCommand } from "./cache.js";
import { DefinitionError, environmentOf } from "./defines.js";
import { deriveLines, explainDerivatives, gradientLines } from "./derive.js";
import { explain } from "./explain.js";
import { jsonError, jsonResult } from "./json.js";
import { runRepl } from "./repl.js";
import { explainSet, runSetCommand } from "./set.js";
import { dialectName, runDuckDBBatch, type SqlRequest, sqlOf } from "./sql.js";
import { usage } from "./usage.js";

/** Where the CLI reads and writes. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdinIsTTY: boolean;
  /** The lines of standard input, read when an expression is not given. */
  lines(): AsyncIterable<string>;
  /** Standard input as it arrives, for `exprjit batch` (default: `lines()` joined). */
  input?(): AsyncIterable<Buffer | string>;
  /** Whether stderr is a terminal (`exprjit batch` shows progress there). */
  readonly stderrIsTTY?: boolean;
  /** At a terminal: lines read with a prompt, line editing and history, for the REPL. */
  terminal?(): { readonly lines: AsyncIterable<string>; prompt(): void; close(): void };
}

/** Runs the CLI with `argv` (no node, no script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv[0] === "cache") return cache(argv.slice(1), io);
  let command: Command;
  let vars: Record<string, number>;
  let environment: Environment | undefined;
  try {
    command = parseArgs(argv);
    if (command.mode === "help") {
      io.stdout(usage());
      return 0;
    }
    if (command.mode === "version") {
      io.stdout(`exprjit ${version()}\n`);
      return 0;
    }
    checkChoices(command);
    environment = environmentOf(command, {
      maxLength: command.maxLength,
      maxDepth: command.maxDepth,
    });
    vars = bindVars(command, environment);
    // The back-end is chosen as the API chooses it; one that cannot run here is exit 1, not 2.
    if (command.backend !== undefined) chooseEngine(command.backend, { load: command.load });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`exprjit: ${error.message}\n(try exprjit --help)\n`);
      return 2;
    }
    if (error instanceof DefinitionError) {
      io.stderr(`exprjit: ${error.origin}: ${error.error.format()}\n`);
      return 1;
    }
    if (error instanceof ExprError) {
      io.stderr(`exprjit: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const context: Context = { command, vars, environment, io };
  // Formula sets (set.ts): `exprjit set FILE`, `explain --set FILE`; `batch --set FILE` below.
  if (command.mode === "set") return runSetCommand(command, vars, environment, io);
  if (command.mode === "explain" && command.set !== undefined) {
    return explainSet(command, vars, environment, io);
  }
  if (command.mode === "batch") return batch(context);
  if (command.mode === "sql") {
    return report(
      io,
      command,
      async () => void io.stdout(`${sqlOf(sqlRequest(context, command.expression as string))}\n`),
    );
  }
  if (command.expression !== undefined) {
    return report(io, command, () => once(context, command.expression as string));
  }
  if (command.mode === "repl") return startRepl(context);
  if (io.stdinIsTTY && !argv.includes("-")) {
    // At a terminal with nothing to evaluate: the REPL, unless a dump was asked for.
    if (command.dump === undefined) return startRepl(context);
    io.stderr(`exprjit: no expression given\n\n${usage()}`);
    return 2;
  }
  let status = 0;
  let lineNumber = 0;
  for await (const raw of io.lines()) {
    lineNumber++;
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (lineNumber === 1 && line.startsWith("\uFEFF")) line = line.slice(1); // a byte-order mark
    if (line.trim() === "") continue;
    const code = await report(io, command, () => once(context, line, lineNumber), lineNumber);
    if (code !== 0) status = code;
  }
  return status;
}

/** `exprjit cache info|clear`. */
function cache(args: readonly string[], io: CliIO): number {
  const [action, ...rest] = args;
  if ((action !== "info" && action !== "clear") || rest.length > 0) {
    io.stderr("exprjit: cache takes one of: info, clear\n(try exprjit --help)\n");
    return 2;
  }
  return runCacheCommand(
    action,
    (line) => io.stdout(`${line}\n`),
    (line) => io.stderr(`${line}\n`),
  );
}

/** What every expression of one run is evaluated with. */
interface Context {
  readonly command: Command;
  readonly vars: Record<string, number>;
  /** The user constants and functions of `--const`, `--define` and `--define-file`. */
  readonly environment: Environment | undefined;
  readonly io: CliIO;
}

/** The REPL, prompting at a terminal, silent but for results with piped input. */
async function startRepl(context: Context): Promise<number> {
  const { command, vars, environment, io } = context;
  const terminal = io.stdinIsTTY ? io.terminal?.() : undefined;
  const lines = terminal?.lines ?? io.lines();
  const prompt = terminal === undefined ? {} : { prompt: () => terminal.prompt() };
  const { backend, load, maxLength, maxDepth } = command;
  // `run` checked the back-end's name against the registry.
  const options = {
    backend: backend as BackendChoice | undefined,
    ...tierOptions(command),
    vars,
    load,
    maxLength,
    maxDepth,
    environment,
  };
  try {
    return await runRepl({ stdout: io.stdout, stderr: io.stderr, lines, ...prompt }, options);
  } finally {
    // After :quit the terminal would otherwise keep the process waiting for keys.
    terminal?.close();
  }
}

/** `exprjit batch`: `parseArgs` made sure of the expression and the batch options. */
function batch(context: Context): Promise<number> {
  const { command, vars, environment, io } = context;
  if (command.batch?.engine === "duckdb") {
    const { input, output, append } = command.batch;
    const request = {
      ...sqlRequest(context, command.expression as string),
      input,
      output,
      append,
      vars,
    };
    return runDuckDBBatch(request, { ...io, stderrIsTTY: io.stderrIsTTY === true }).catch(
      (error) => {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`exprjit: ${error.message}\n`);
        return 2;
      },
    );
  }
  const { backend, load, maxLength, maxDepth } = command;
  const compileOptions: CompileOptions = {
    backend: backend as BackendChoice | undefined,
    ...tierOptions(command),
    load,
    maxLength,
    maxDepth,
    environment,
  };
  const stdin =
    io.input ??
    async function* () {
      for await (const line of io.lines()) yield `${line}\n`;
    };
  return runBatchCommand(
    {
      source: command.expression ?? "",
      ...(command.set === undefined ? {} : { set: command.set }),
      compile: compileOptions,
      vars,
      options: command.batch ?? { input: undefined, append: undefined, workers: undefined },
      ...(command.gradient === true ? { gradient: { wrt: command.wrt } } : {}),
    },
    { stdout: io.stdout, stderr: io.stderr, stderrIsTTY: io.stderrIsTTY === true, stdin },
  );
}

/** What the SQL commands (`exprjit sql`, `--dump sql`, `batch --engine duckdb`) need. */
function sqlRequest(context: Context, source: string): SqlRequest {
  const { command, environment } = context;
  return {
    source,
    dialect: command.sql?.dialect,
    columns: command.sql?.columns ?? [],
    environment,
    maxLength: command.maxLength,
    maxDepth: command.maxDepth,
  };
}

/** Evaluates, dumps or explains one expression, writing the result. */
async function once(context: Context, source: string, inputLine?: number): Promise<void> {
  const { command, vars, environment, io } = context;
  const limits = { maxLength: command.maxLength, maxDepth: command.maxDepth };
  if (command.mode === "explain") {
    const options = { ...limits, load: command.load, environment };
    io.stdout(`${await explain(source, vars, options)}\n`);
    if (command.wrt !== undefined) {
      io.stdout(`\n${explainDerivatives(source, command.wrt, { ...limits, environment })}\n`);
    }
    return;
  }
  if (command.mode === "derive") {
    return void io.stdout(deriveLines(source, command.wrt, { ...limits, environment }));
  }
  const dump = command.dump;
  if (dump === "tokens")
    return void io.stdout(`${stages.dumpTokens(stages.tokens(source), source)}\n`);
  if (dump === "ast") return void io.stdout(`${stages.dumpTree(stages.tree(source, limits))}\n`);
  if (dump === "sql") return void io.stdout(`${sqlOf(sqlRequest(context, source))}\n`);
  const options: CompileOptions = {
    ...limits,
    // `run` checked the name against the registry before it got here.
    ...(dump === undefined
      ? { backend: command.backend as BackendChoice | undefined, ...tierOptions(command) }
      : { backend: backendForArtefact(dump)?.name }),
    load: command.load,
    environment,
  };
  if (command.gradient === true) {
    return void io.stdout(gradientLines(source, command.wrt, vars, options));
  }
  const compiled = await compileAsync(source, options);
  try {
    if (dump !== undefined) io.stdout(`${compiled.dump()}\n`);
    else if (command.json === true) io.stdout(jsonResult(compiled.evaluate(vars), inputLine));
    else io.stdout(`${formatNumber(compiled.evaluate(vars))}\n`);
  } finally {
    compiled.dispose();
  }
}

/**
 * Runs `work`; an ExprError is printed as format() renders it and gives exit
 * code 1. For line `inputLine` of standard input, the message says which
 * line and the frame numbers it the same way.
 */
async function report(
  io: CliIO,
  command: Command,
  work: () => Promise<void>,
  inputLine?: number,
): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof ExprError && command.json === true) {
      io.stdout(jsonError(error, inputLine));
      return 1;
    }
    if (error instanceof ExprError) {
      const where = inputLine === undefined ? "" : `line ${inputLine}: `;
      io.stderr(`${where}${error.format({ firstLine: inputLine ?? 1 })}\n`);
      return 1;
    }
    throw error;
  }
}

/** Combinations of options that make no sense, and unknown names: usage errors (exit 2). */
function checkChoices(command: Command): void {
  if (command.sql?.dialect !== undefined) dialectName(command.sql.dialect);
  if (command.dump !== undefined && command.dump !== "sql" && !dumpNames().includes(command.dump)) {
    throw new UsageError(`--dump takes one of ${dumpNames().join(", ")}; got '${command.dump}'`);
  }
  if (command.mode === "batch" && command.dump !== undefined) {
    throw new UsageError(
      "batch prints results; leave out --dump (exprjit --dump STAGE EXPR shows one)",
    );
  }
  if (command.mode === "batch" && command.json === true) {
    throw new UsageError("batch writes CSV; leave out --json");
  }
  if (
    command.json === true &&
    (command.dump !== undefined || (command.mode !== "eval" && command.mode !== "set"))
  ) {
    throw new UsageError(
      "--json prints results and errors; it goes with neither --dump, explain nor repl",
    );
  }
  if (command.dump !== undefined && command.mode === "repl") {
    throw new UsageError("the REPL prints results; leave out --dump (:explain shows every stage)");
  }
  checkDerivativeChoices(command);
  if (command.dump !== undefined && command.mode === "explain") {
    throw new UsageError("explain shows every stage already; leave out --dump");
  }
  if (command.backend !== undefined && command.dump !== undefined) {
    throw new UsageError("--dump picks its back-end by the artefact; leave out --backend");
  }
  checkTiers(command);
  if (command.backend === undefined) return;
  if (command.backend === AUTO) {
    if (command.load !== undefined) {
      throw new UsageError(`--load ${onlyFor("load")}, not '${AUTO}'`);
    }
    return;
  }
  // Unknown is a usage error (exit 2); not available here is the environment's (exit 1, below).
  const { backend, problem, known } = BACKENDS.lookup(command.backend);
  if (backend === undefined) {
    if (!known) throw new UsageError(problem);
    return;
  }
  const refused = refusedOption(backend, { load: command.load });
  if (refused !== undefined) {
    throw new UsageError(`--${refused} ${onlyFor(refused)}, not '${command.backend}'`);
  }
}

/** `derive`, `--gradient` and `--wrt`: where they make sense. */
function checkDerivativeChoices(command: Command): void {
  const { mode, gradient, wrt } = command;
  if (mode === "derive" && (command.dump !== undefined || command.json === true)) {
    throw new UsageError("derive prints the derivative's source; leave out --dump and --json");
  }
  if (gradient === true && (mode === "derive" || mode === "explain" || mode === "repl")) {
    throw new UsageError(`--gradient goes with evaluating or batch, not with ${mode}`);
  }
  if (gradient === true && (command.dump !== undefined || command.json === true)) {
    throw new UsageError(
      "--gradient prints the value and each partial; leave out --dump and --json",
    );
  }
  if (wrt !== undefined && gradient !== true && mode !== "derive" && mode !== "explain") {
    throw new UsageError("--wrt goes with derive, explain or --gradient");
  }
}

/** `--tiers` and `--thresholds` go with the auto back-end alone, and must make a plan. */
function checkTiers(command: Command): void {
  const given =
    command.tiers !== undefined
      ? "--tiers"
      : command.thresholds !== undefined
        ? "--thresholds"
        : undefined;
  if (given === undefined) return;
  if (command.backend !== undefined && command.backend !== AUTO) {
    throw new UsageError(
      `${given} goes with the auto back-end (the default), not '${command.backend}'`,
    );
  }
  if (command.dump !== undefined) {
    throw new UsageError(`${given} goes with the auto back-end; --dump picks its own`);
  }
  try {
    tierPlan(tierOptions(command), "");
  } catch (error) {
    // The API's message starts with the option's name ("tiers: …", "thresholds must …").
    if (error instanceof ExprOptionsError) throw new UsageError(`--${error.message}`);
    throw error;
  }
}

/** The auto back-end's options of `command`, as the API takes them. */
function tierOptions(command: Command): Pick<CompileOptions, "tiers" | "thresholds"> {
  const options: { tiers?: readonly BackendName[]; thresholds?: readonly number[] } = {};
  if (command.tiers !== undefined) options.tiers = command.tiers as readonly BackendName[];
  if (command.thresholds !== undefined) options.thresholds = command.thresholds;
  return options;
}

/** `--var NAME=VALUE`: the value is a constant expression (`2`, `-0`, `pi/2`, `1e-3`). */
function bindVars(command: Command, environment: Environment | undefined): Record<string, number> {
  const vars: Record<string, number> = Object.create(null);
  for (const [name, text] of command.vars) {
    if (isReservedName(name)) {
      throw new UsageError(`--var ${name}: '${name}' is a reserved name and cannot be set`);
    }
    if (environment?.names.includes(name) === true) {
      throw new UsageError(
        `--var ${name}: '${name}' is defined by --const or --define and cannot be set`,
      );
    }
    if (Object.hasOwn(vars, name)) throw new UsageError(`--var ${name} is given twice`);
    vars[name] = constantValue(name, text);
  }
  return vars;
}

function constantValue(name: string, text: string): number {
  try {
    const compiled = compile(text, { backend: "treewalk" });
    if (compiled.variables.length === 0) return compiled.fn();
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    throw new UsageError(`--var ${name}=${text}: ${error.message}`);
  }
  throw new UsageError(
    `--var ${name}=${text}: the value must be a number or a constant expression`,
  );
}

function version(): string {
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return pkg.version;
}
