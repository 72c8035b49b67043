/**
 * The CLI's formula sets: `exprjit set FILE --var …` prints each output,
 * `exprjit explain --set FILE` shows the set's program and each back-end's
 * one artefact for it, and `exprjit batch --set FILE` (in batch.ts)
 * appends one column per output. The file format is setfile.ts.
 */

import { readFileSync } from "node:fs";
import type { BackendChoice } from "../api/auto.js";
import { allBackends } from "../api/choose.js";
import type { Environment } from "../api/environment.js";
import { stages } from "../api/frontend.js";
import { compileSet, type SetOptions, setPrograms } from "../api/set.js";
import { ExprError } from "../errors.js";
import { formatNumber } from "../text/number.js";
import type { Command } from "./args.js";
import { parseSetFile, type SetFile } from "./setfile.js";

/** Where a set command writes. */
export interface SetIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Reads and parses the set file named by `--set`; undefined after printing why not (exit 1). */
export function readSetFile(path: string, io: SetIO): SetFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`exprjit: cannot read the set file ${path}: ${reason}\n`);
    return undefined;
  }
  try {
    return parseSetFile(text);
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    io.stderr(`exprjit: ${path}: ${error.format()}\n`);
    return undefined;
  }
}

/** Prints an ExprError about the set: for one formula, with the file and the formula's line. */
export function reportSetError(error: unknown, path: string, file: SetFile, io: SetIO): number {
  if (!(error instanceof ExprError)) throw error;
  const formula = (error as ExprError & { formula?: string }).formula;
  const line = formula === undefined ? undefined : file.lines.get(formula);
  const where = line === undefined ? path : `${path}:${line}`;
  io.stderr(`exprjit: ${where}: ${error.format(line === undefined ? {} : { firstLine: line })}\n`);
  return 1;
}

/** The compile options a set command takes from the command line. */
export function setOptions(command: Command, environment: Environment | undefined): SetOptions {
  return {
    backend: command.backend as BackendChoice | undefined,
    ...(command.tiers === undefined ? {} : { tiers: command.tiers as SetOptions["tiers"] }),
    ...(command.thresholds === undefined ? {} : { thresholds: command.thresholds }),
    load: command.load,
    maxLength: command.maxLength,
    maxDepth: command.maxDepth,
    environment,
  };
}

/** `exprjit set FILE`: every output, `name = value` a line (or one JSON object with --json). */
export function runSetCommand(
  command: Command,
  vars: Readonly<Record<string, number>>,
  environment: Environment | undefined,
  io: SetIO,
): number {
  const path = command.set as string;
  const file = readSetFile(path, io);
  if (file === undefined) return 1;
  try {
    const set = compileSet(file.formulas, setOptions(command, environment));
    try {
      const values = set.evaluate(vars);
      if (command.json === true) {
        const shown: Record<string, string | number> = {};
        for (const name of set.outputs) {
          const value = values[name] as number;
          shown[name] =
            Number.isFinite(value) && !Object.is(value, -0) ? value : formatNumber(value);
        }
        io.stdout(`${JSON.stringify(shown)}\n`);
      } else {
        const width = Math.max(...set.outputs.map((name) => name.length));
        for (const name of set.outputs) {
          io.stdout(`${name.padEnd(width)} = ${formatNumber(values[name] as number)}\n`);
        }
      }
    } finally {
      set.dispose();
    }
    return 0;
  } catch (error) {
    return reportSetError(error, path, file, io);
  }
}

/** `exprjit explain --set FILE`: the formulas, the set's one program, each back-end's one artefact. */
export function explainSet(
  command: Command,
  vars: Readonly<Record<string, number>>,
  environment: Environment | undefined,
  io: SetIO,
): number {
  const path = command.set as string;
  const file = readSetFile(path, io);
  if (file === undefined) return 1;
  try {
    const options = setOptions(command, environment);
    const { resolved, lowered } = setPrograms(file.formulas, options);
    const out: string[] = [`set: ${path} (${Object.keys(file.formulas).length} formulas)`, ""];
    out.push("== the set's text (one line per formula)", indent(resolved.source), "");
    out.push(`== outputs: ${lowered.results.map((r) => r.name).join(", ")}`);
    out.push(`== variables in order: ${lowered.variables.join(", ") || "(none)"}`, "");
    out.push(
      "== resolve: one program, each formula a binding",
      indent(stages.dumpProgram(resolved)),
      "",
    );
    out.push("== lower: every back-end's input", indent(stages.dumpProgram(lowered)));
    for (const backend of allBackends()) {
      const availability = backend.availability();
      out.push("", `== back-end ${backend.name}: ${backend.summary}`);
      if (!availability.available) {
        out.push(`   not available here: ${availability.reason}`);
        continue;
      }
      try {
        const set = compileSet(file.formulas, { ...options, backend: backend.name });
        try {
          out.push(indent(set.dump()));
          const missing = set.variables.filter((name) => vars[name] === undefined);
          if (missing.length === 0) {
            const values = set.evaluate(vars);
            const shown = set.outputs.map(
              (name) => `${name} = ${formatNumber(values[name] as number)}`,
            );
            out.push(`   results: ${shown.join(", ")}`);
          } else
            out.push(
              `   results: not evaluated: no value for ${missing.join(", ")} (give it with --var)`,
            );
        } finally {
          set.dispose();
        }
      } catch (error) {
        if (!(error instanceof ExprError)) throw error;
        out.push(`   ${error.message}`);
      }
    }
    io.stdout(`${out.join("\n")}\n`);
    return 0;
  } catch (error) {
    return reportSetError(error, path, file, io);
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `   ${line}`)
    .join("\n");
}
