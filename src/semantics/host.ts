/**
 * The one check every back-end applies to what a host function returns:
 * a JS `number`, or an ExprInputError naming the function (LANGUAGE.md,
 * "User constants and functions"). Written once so the message is the
 * same whichever back-end made the call.
 */

import { ExprInputError } from "../errors.js";
import { describeValue } from "../limits.js";

/** The error for host function `name` returning `value`, which is not a number. */
export function hostResultError(name: string, value: unknown): ExprInputError {
  const message = `host function '${name}' returned ${describeValue(value)}, not a number`;
  return new ExprInputError(message, name, { offset: 0, length: name.length });
}

/** `value` if it is a number; else throws {@link hostResultError}. */
export function checkHostResult(name: string, value: unknown): number {
  if (typeof value === "number") return value;
  throw hostResultError(name, value);
}

/**
 * A checker for host function `name`, for back-ends that call the checker
 * on each result (a closure the engine inlines).
 */
export function hostResultChecker(name: string): (value: unknown) => number {
  return (value) => {
    if (typeof value === "number") return value;
    throw hostResultError(name, value);
  };
}
