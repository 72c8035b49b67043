/**
 * The front end in one call: source → Program (lex, parse, resolve). If a
 * caller raised `maxDepth` beyond what the host's stack can take, the stack
 * overflow is turned into the limit error it really is.
 */

import { ExprLimitError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import { resolve } from "../semantics/resolve.js";
import { type Limits, parseExpression } from "../syntax/parser.js";

/** Lexes, parses and resolves `source`. Throws ExprError. */
export function toProgram(source: string, limits: Limits = {}): Program {
  return guardStack(source, () => resolve(parseExpression(source, limits), source));
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
    );
  }
  return error;
}
