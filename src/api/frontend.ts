/**
 * The front end in one place: source → tokens → syntax tree → Program →
 * lowered Program, each stage callable alone (for `explain` and the
 * dumps) or all at once. Callers above the front end (the public API, the
 * CLI) reach the syntax and semantics modules only through here.
 *
 * If a caller raised `maxDepth` beyond what the host's stack can take, the
 * stack overflow is turned into the limit error it really is.
 */

import { ExprInputError, ExprLimitError } from "../errors.js";
import { describeValue, type Limits } from "../limits.js";
import { lookupConstant, lookupFunction } from "../semantics/builtins.js";
import { dumpProgram, dumpUserNames } from "../semantics/dump.js";
import { lower } from "../semantics/lower.js";
import type { UserNames } from "../semantics/names.js";
import type { Program } from "../semantics/program.js";
import { parseProgram, resolve } from "../semantics/resolve.js";
import type { ProgramSyntax } from "../syntax/ast.js";
import { dumpAst, dumpTokens } from "../syntax/dump.js";
import { tokenize } from "../syntax/lexer.js";
import { parseSyntax } from "../syntax/parser.js";
import type { Token } from "../syntax/token.js";
import { checkOptions } from "./options.js";

/**
 * Lexes, parses, resolves and lowers `source`, with the application's
 * names in `user`: what every back-end receives. Throws ExprError.
 */
export function toProgram(source: string, limits: Limits | null = {}, user?: UserNames): Program {
  const program = toResolvedProgram(source, limits, user);
  return guardStack(source, () => lower(program));
}

/**
 * Lexes, parses and resolves `source`, without lowering. Throws ExprError.
 * The parser builds the Program directly (no syntax tree in between).
 */
export function toResolvedProgram(
  source: string,
  limits: Limits | null = {},
  user?: UserNames,
): Program {
  checkSource(source);
  const checked = checkOptions(limits, source);
  return guardStack(source, () => parseProgram(source, checked, user));
}

/** The syntax tree of `source`. Throws ExprError (input, syntax or limit). */
export function parseSource(source: string, limits: Limits | null = {}): ProgramSyntax {
  checkSource(source);
  limits = checkOptions(limits, source);
  return guardStack(source, () => parseSyntax(source, limits));
}

/** The stages of the front end, one at a time, each with its dump: for `explain` and `--dump`. */
export const stages = {
  tokens: (source: string): readonly Token[] => {
    checkSource(source);
    return tokenize(source);
  },
  tree: parseSource,
  resolve: (tree: ProgramSyntax, source: string, user?: UserNames): Program =>
    guardStack(source, () => resolve(tree, source, user)),
  lower: (program: Program): Program => guardStack(program.source, () => lower(program)),
  dumpTokens,
  dumpTree: dumpAst,
  dumpProgram,
  dumpUserNames,
} as const;

/** Whether `name` is a builtin function or constant, so it cannot name a variable. */
export function isReservedName(name: string): boolean {
  return lookupConstant(name) !== undefined || lookupFunction(name) !== undefined;
}

/** The source must be a string: anything else is an ExprInputError, not a TypeError. */
function checkSource(source: unknown): asserts source is string {
  if (typeof source !== "string") {
    throw new ExprInputError(`the expression must be a string, not ${describeValue(source)}`, "", {
      offset: 0,
      length: 0,
    });
  }
}

/** Runs `work`, turning "Maximum call stack size exceeded" into an ExprLimitError. */
export function guardStack<T>(source: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw stackError(source, error);
  }
}

/** {@link guardStack} for asynchronous work. */
export async function guardStackAsync<T>(source: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw stackError(source, error);
  }
}

function stackError(source: string, error: unknown): unknown {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new ExprLimitError(
      "expression is nested too deeply for this process's stack; lower maxDepth",
      source,
      { offset: 0, length: source.length },
      { cause: error },
    );
  }
  return error;
}
