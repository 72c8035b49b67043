/**
 * `--const`, `--define` and `--define-file`: the command line's user
 * constants and expression functions, made into one environment before
 * any expression is read. A mistake in a definition is reported with
 * where it came from (`--define`, or the file and line) and the caret
 * in the definition's own text.
 */

import { readFileSync } from "node:fs";
import { compile, createEnvironment } from "../api/compile.js";
import type { Environment } from "../api/environment.js";
import { isReservedName } from "../api/frontend.js";
import { ExprError, ExprNameError, ExprSyntaxError } from "../errors.js";
import type { Limits } from "../limits.js";
import type { Command } from "./args.js";
import { UsageError } from "./args.js";

/** A mistake in a definition, with where the definition came from. */
export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
  constructor(
    /** `--define`, or `FILE:LINE`. */
    readonly origin: string,
    readonly error: ExprError,
  ) {
    super(`${origin}: ${error.message}`);
  }
}

/** A definition's text and where it came from. */
interface Origin {
  readonly text: string;
  readonly origin: string;
}

/** The environment of `command`'s constants and definitions, or undefined if it gives none. */
export function environmentOf(command: Command, limits: Limits): Environment | undefined {
  if (command.constants.length === 0 && command.defines.length === 0) return undefined;
  const constants = constantsOf(command);
  const functions = new Map<string, string>();
  const origins = new Map<string, Origin>();
  for (const definition of definitionsOf(command)) {
    const name = definitionName(definition);
    if (functions.has(name) || constants.has(name)) {
      const first = origins.get(name)?.origin ?? "--const";
      const error = new ExprNameError(
        `'${name}' is already defined (by ${first})`,
        definition.text,
        spanOfName(definition.text, name),
      );
      throw new DefinitionError(definition.origin, error);
    }
    functions.set(name, definition.text);
    origins.set(name, definition);
  }
  try {
    return createEnvironment({ constants, functions, ...limits });
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    // The error's source is the definition's text, or the name it is about.
    for (const [name, origin] of origins) {
      if (error.source === origin.text || error.source === name) {
        throw new DefinitionError(origin.origin, error);
      }
    }
    throw new DefinitionError("--const", error);
  }
}

/** `--const NAME=VALUE`: a number or a constant expression, which may use the constants before it. */
function constantsOf(command: Command): Map<string, number> {
  const constants = new Map<string, number>();
  for (const [name, text] of command.constants) {
    if (isReservedName(name)) {
      throw new UsageError(`--const ${name}: '${name}' is a builtin name and cannot be redefined`);
    }
    if (constants.has(name)) throw new UsageError(`--const ${name} is given twice`);
    let value: number | undefined;
    try {
      const compiled = compile(text, { backend: "treewalk", constants });
      if (compiled.variables.length === 0) value = compiled.fn();
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      throw new UsageError(`--const ${name}=${text}: ${error.message}`);
    }
    if (value === undefined) {
      throw new UsageError(
        `--const ${name}=${text}: the value must be a number or a constant expression`,
      );
    }
    constants.set(name, value);
  }
  return constants;
}

/** The definitions of `--define` and `--define-file`, in the order given. */
function definitionsOf(command: Command): Origin[] {
  const definitions: Origin[] = [];
  for (const source of command.defines) {
    if (source.kind === "text") {
      definitions.push({ text: source.text, origin: "--define" });
      continue;
    }
    let content: string;
    try {
      content = readFileSync(source.path, "utf8");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UsageError(`--define-file ${source.path}: cannot read it (${reason})`);
    }
    // One definition a line; blank lines and lines starting with # are skipped.
    content.split("\n").forEach((raw, i) => {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      const text = i === 0 && line.startsWith("\uFEFF") ? line.slice(1) : line;
      if (text.trim() === "" || text.trimStart().startsWith("#")) return;
      definitions.push({ text, origin: `${source.path}:${i + 1}` });
    });
  }
  return definitions;
}

/** The name a definition starts with; a definition that starts otherwise is an error. */
function definitionName(definition: Origin): string {
  const match = /^[ \t\r\n]*([A-Za-z_][A-Za-z0-9_]*)/.exec(definition.text);
  if (match?.[1] !== undefined) return match[1];
  const at = definition.text.length - definition.text.trimStart().length;
  const error = new ExprSyntaxError(
    `a definition starts with the function's name, as in "lerp(a, b, t) = a + (b - a) * t"`,
    definition.text,
    { offset: at, length: 1 },
  );
  throw new DefinitionError(definition.origin, error);
}

function spanOfName(text: string, name: string): { offset: number; length: number } {
  return { offset: Math.max(0, text.indexOf(name)), length: name.length };
}
