/**
 * `exprjit repl` (and `exprjit` alone at a terminal): read expressions one
 * line at a time, print each result or its caret error, and keep state
 * between lines: variables set with `x = 3` (the REPL's own syntax, not the
 * language's) and the back-end chosen with `:backend`. At a terminal it
 * prompts, with readline's line editing and history (main.ts); with piped
 * input it prints results only, so `printf '1+2\n:quit\n' | exprjit repl`
 * prints `3`.
 */

import type { BackendChoice, TierOptions } from "../api/auto.js";
import { AUTO, BACKENDS, backendNames } from "../api/choose.js";
import { compileAsync } from "../api/compile.js";
import type { Environment } from "../api/environment.js";
import { isIdentifier, isReservedName } from "../api/frontend.js";
import { ExprError } from "../errors.js";
import type { Limits } from "../limits.js";
import { formatNumber } from "../text/number.js";
import { explain } from "./explain.js";

/** Where the REPL reads and writes. */
export interface ReplIO {
  /** Results and command output. */
  stdout(text: string): void;
  /** Errors. */
  stderr(text: string): void;
  /** The lines typed or piped in. */
  readonly lines: AsyncIterable<string>;
  /** Shows the prompt (at a terminal); absent for piped input. */
  prompt?(): void;
}

/** How the REPL starts: the CLI's options. */
export interface ReplOptions extends Limits, TierOptions {
  readonly backend?: BackendChoice | undefined;
  readonly vars?: Readonly<Record<string, number>>;
  readonly load?: "function" | "module" | undefined;
  /** The user constants and functions of `--const`, `--define` and `--define-file`. */
  readonly environment?: Environment | undefined;
}

/** The prompt shown at a terminal. */
export const PROMPT = "exprjit> ";

/** The text of `:help`. */
export const REPL_HELP = `Type an expression to evaluate it, or:
  NAME = EXPR        set a variable (EXPR may use the variables set so far)
  :var NAME=EXPR     the same
  :vars              list the variables set
  :unset NAME        forget a variable
  :backend [NAME]    show or choose the back-end (default: auto)
  :explain EXPR      every stage of EXPR: tokens, tree, each back-end's code and result
  :help              this text
  :quit              leave (also :q, :exit, or Ctrl-D)
`;

/** A REPL session's state and what each line does to it. */
export class Repl {
  private backend: BackendChoice | undefined;
  private readonly vars: Record<string, number> = Object.create(null);
  /** Lines that failed; the exit status of a piped session is 1 if any did. */
  failures = 0;

  constructor(
    private readonly out: Pick<ReplIO, "stdout" | "stderr">,
    private readonly options: ReplOptions = {},
  ) {
    this.backend = options.backend;
    Object.assign(this.vars, options.vars);
  }

  /** Handles one line; false when the session should end. */
  async line(raw: string): Promise<boolean> {
    const text = raw.trim();
    if (text === "") return true;
    try {
      if (text.startsWith(":")) return await this.command(text);
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.*)$/s.exec(text);
      if (assignment !== null) await this.assign(assignment[1] as string, assignment[2] as string);
      else this.out.stdout(`${formatNumber(await this.evaluate(text))}\n`);
    } catch (error) {
      if (!(error instanceof ExprError || error instanceof ReplError)) throw error;
      this.failures++;
      this.out.stderr(`${error instanceof ExprError ? error.format() : error.message}\n`);
    }
    return true;
  }

  private async evaluate(source: string): Promise<number> {
    const { maxLength, maxDepth, load, environment, tiers, thresholds } = this.options;
    const auto = this.backend === undefined || this.backend === AUTO;
    const compiled = await compileAsync(source, {
      backend: this.backend,
      maxLength,
      maxDepth,
      environment,
      // --tiers and --thresholds are for auto alone, as --load is for js.
      ...(auto ? { tiers, thresholds } : {}),
      // --load is for js alone; on any other back-end the API would refuse it.
      ...(this.backend === "js" && load !== undefined ? { load } : {}),
    });
    try {
      return compiled.evaluate(this.vars);
    } finally {
      compiled.dispose();
    }
  }

  private async assign(name: string, source: string): Promise<void> {
    if (isReservedName(name)) {
      throw new ReplError(`'${name}' is a builtin name and cannot be set`);
    }
    if (this.isUserName(name)) {
      throw new ReplError(`'${name}' is a user constant or function and cannot be set`);
    }
    const value = await this.evaluate(source.trim());
    this.vars[name] = value;
    this.out.stdout(`${name} = ${formatNumber(value)}\n`);
  }

  /** Whether `name` is one of the environment's constants or functions (then not a variable). */
  private isUserName(name: string): boolean {
    const { environment } = this.options;
    if (environment === undefined) return false;
    try {
      return !environment.resolveProgram(name).variables.includes(name);
    } catch {
      return true; // a function used without a call
    }
  }

  private async command(text: string): Promise<boolean> {
    const space = text.search(/\s/);
    const name = space === -1 ? text : text.slice(0, space);
    const rest = space === -1 ? "" : text.slice(space).trim();
    switch (name) {
      case ":q":
      case ":quit":
      case ":exit":
        return false;
      case ":help":
      case ":h":
      case ":?":
        this.out.stdout(REPL_HELP);
        return true;
      case ":vars":
        this.listVars();
        return true;
      case ":var": {
        const eq = rest.indexOf("=");
        if (eq === -1) throw new ReplError("usage: :var NAME=EXPR (for example :var x=1.5)");
        const variable = rest.slice(0, eq).trim();
        if (!isIdentifier(variable)) {
          throw new ReplError(`'${variable}' is not a variable name`);
        }
        await this.assign(variable, rest.slice(eq + 1));
        return true;
      }
      case ":unset":
        if (!Object.hasOwn(this.vars, rest)) throw new ReplError(`no variable '${rest}' is set`);
        delete this.vars[rest];
        return true;
      case ":backend":
      case ":b":
        this.chooseBackend(rest);
        return true;
      case ":explain":
        if (rest === "") throw new ReplError("usage: :explain EXPR");
        this.out.stdout(`${await explain(rest, this.vars, this.explainOptions())}\n`);
        return true;
      default:
        throw new ReplError(`unknown command '${name}' (:help lists them)`);
    }
  }

  private explainOptions() {
    const { maxLength, maxDepth, load, environment } = this.options;
    return { maxLength, maxDepth, environment, ...(load === undefined ? {} : { load }) };
  }

  private listVars(): void {
    const names = Object.keys(this.vars).sort();
    if (names.length === 0) {
      this.out.stdout("no variables set (set one with x = 3)\n");
      return;
    }
    for (const name of names) {
      this.out.stdout(`${name} = ${formatNumber(this.vars[name] as number)}\n`);
    }
  }

  private chooseBackend(name: string): void {
    if (name === "") {
      const current = this.backend ?? `default (${AUTO})`;
      this.out.stdout(`back-end: ${current}; available here: ${backendNames().join(", ")}\n`);
      return;
    }
    if (name === "default") {
      this.backend = undefined;
    } else {
      if (name !== AUTO) {
        // Unknown, or not available here: the API's one message says why and lists what is.
        const { problem } = BACKENDS.lookup(name, [...BACKENDS.choices(), "or default"]);
        if (problem !== undefined) throw new ReplError(problem);
      }
      this.backend = name as BackendChoice;
    }
    this.out.stdout(`back-end: ${this.backend ?? "default"}\n`);
  }
}

/** A REPL command used wrongly: one line, no caret. */
class ReplError extends Error {
  override readonly name = "ReplError";
}

/**
 * Runs a session over `io.lines` until they end or `:quit`; resolves to the
 * exit status (1 if any line failed with piped input, else 0).
 */
export async function runRepl(io: ReplIO, options: ReplOptions = {}): Promise<number> {
  const repl = new Repl(io, options);
  const interactive = io.prompt !== undefined;
  if (interactive) io.stdout(`exprjit REPL: :help for commands, :quit to leave\n`);
  io.prompt?.();
  for await (const line of io.lines) {
    if (!(await repl.line(line))) break;
    io.prompt?.();
  }
  return interactive || repl.failures === 0 ? 0 : 1;
}
