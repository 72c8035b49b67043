/**
 * `exprjit explain EXPR`: the whole pipeline for one expression, stage by
 * stage, with the time each took: tokens, syntax tree, resolved program,
 * lowered program, the SQL of each dialect, then for every back-end
 * available here its artefact and its result.
 */

import { performance } from "node:perf_hooks";
import { allBackends, type Backend, optionsFor } from "../api/choose.js";
import { type Compiled, type CompileOptions, compileAsync } from "../api/compile.js";
import type { Environment } from "../api/environment.js";
import { guardStackAsync, stages } from "../api/frontend.js";
import type { Vars } from "../api/inputs.js";
import { userNamesOf } from "../api/scope.js";
import { ExprBackendError, ExprError, ExprLimitError } from "../errors.js";
import type { Limits } from "../limits.js";
import { DIALECT_NAMES } from "../sql/dialects.js";
import { toSQL } from "../sql/index.js";
import { formatNumber } from "../text/number.js";

/** How to explain: the limits, the `js` back-end's load mode, and the user names. */
export interface ExplainOptions extends Limits {
  readonly load?: "function" | "module";
  /** User constants and functions (`--const`, `--define`). */
  readonly environment?: Environment | undefined;
}

/** The explanation of `source` as text; throws ExprError if the front end rejects it. */
export function explain(source: string, vars: Vars, options: ExplainOptions): Promise<string> {
  return guardStackAsync(source, () => explainAll(source, vars, options));
}

async function explainAll(source: string, vars: Vars, options: ExplainOptions): Promise<string> {
  const { load, environment, ...limits } = options;
  const user = userNamesOf({ environment }, limits, source);
  const out: string[] = [`expression: ${source}`];
  const tokens = timed(() => stages.tokens(source));
  section(out, "tokens", tokens.ms, stages.dumpTokens(tokens.value, source));
  const ast = timed(() => stages.tree(source, limits));
  section(out, "syntax tree (parse)", ast.ms, stages.dumpTree(ast.value));
  const program = timed(() => stages.resolve(ast.value, source, user));
  const names = program.value.variables;
  const resolved = [`variables in order: ${names.length === 0 ? "(none)" : names.join(", ")}`];
  if (user !== undefined) resolved.push(stages.dumpUserNames(program.value));
  section(out, "resolve", program.ms, resolved.join("\n"));
  const lowered = timed(() => stages.lower(program.value));
  const note =
    lowered.value === program.value
      ? "(nothing to fold or rewrite)"
      : stages.dumpProgram(lowered.value);
  section(
    out,
    "lower (constant folding, exact rewrites): every back-end's input",
    lowered.ms,
    note,
  );
  out.push("", ...(await explainAuto(source, vars, { ...limits, environment })));
  out.push("", ...explainSql(source, { ...limits, environment }));
  for (const backend of allBackends()) {
    // Each back-end is given only the back-end options it takes.
    const backendOptions = {
      ...limits,
      ...optionsFor(backend, { load }),
      backend: backend.name,
      environment,
    };
    out.push("", ...(await explainBackend(backend, source, vars, backendOptions)));
  }
  return out.join("\n");
}

/** The SQL of each dialect, or why a dialect refuses the program. */
function explainSql(
  source: string,
  options: Limits & { environment?: Environment | undefined },
): string[] {
  const out: string[] = [];
  for (const dialect of DIALECT_NAMES) {
    const sql = timed(() => {
      try {
        return toSQL(source, { ...options, dialect });
      } catch (error) {
        if (error instanceof ExprBackendError) return `(refused: ${error.message})`;
        // The SQL text's own limits (its length, the emitter's stack) stop only this section.
        if (error instanceof ExprLimitError) return `(not emitted: ${error.message})`;
        throw error;
      }
    });
    section(out, `sql (${dialect})`, sql.ms, sql.value);
  }
  return out;
}

/** The default back-end: its tiers and thresholds, and what it runs on at first. */
async function explainAuto(source: string, vars: Vars, options: CompileOptions): Promise<string[]> {
  const head = "== back-end auto (the default): interpret first, compile what is called often";
  let compiled: Compiled;
  try {
    compiled = await compileAsync(source, { ...options, backend: "auto" });
  } catch (error) {
    if (error instanceof ExprError) return [head, `   compile failed: ${error.message}`];
    throw error;
  }
  try {
    const lines = [head, `   how: ${compiled.how}`];
    try {
      lines.push(`   result: ${formatNumber(compiled.evaluate(vars))} (on ${compiled.tier})`);
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      lines.push(`   result: not evaluated: ${error.message} (give it with --var)`);
    }
    return lines;
  } finally {
    compiled.dispose();
  }
}

async function explainBackend(
  backend: Backend,
  source: string,
  vars: Vars,
  options: CompileOptions,
): Promise<string[]> {
  const head = `== back-end ${backend.name}: ${backend.summary}`;
  const availability = backend.availability();
  if (!availability.available) return [head, `   not available here: ${availability.reason}`];
  let compiled: Compiled;
  const started = performance.now();
  try {
    compiled = await compileAsync(source, options);
  } catch (error) {
    if (error instanceof ExprError) return [head, `   compile failed: ${error.message}`];
    throw error;
  }
  try {
    const lines = [head, `   compile: ${ms(performance.now() - started)}`];
    const how = compiled.how;
    if (how !== undefined) lines.push(`   how: ${how}`);
    if (backend.allowance !== undefined) lines.push(`   note: ${backend.allowance}`);
    lines.push(
      `   artefact (--dump ${backend.artefact ?? backend.name}):`,
      indent(compiled.dump()),
    );
    try {
      const result = timed(() => compiled.evaluate(vars));
      lines.push(`   result: ${formatNumber(result.value)}   (first evaluation: ${ms(result.ms)})`);
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      lines.push(`   result: not evaluated: ${error.message} (give it with --var)`);
    }
    return lines;
  } finally {
    compiled.dispose();
  }
}

function section(out: string[], title: string, took: number, body: string): void {
  out.push("", `== ${title}: ${ms(took)}`, indent(body));
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `   ${line}`)
    .join("\n");
}

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(2)} ms`;
}
