/**
 * The shape of the options object every entry point takes, checked once:
 * a caller passing `compile("1+1", "vm")` or `{ backend: 5 }` gets an
 * ExprOptionsError saying what is wrong, never a silently ignored value.
 * Limits are checked where they are read (src/limits.ts), the js back-end's
 * `load` where it is read.
 */

import { ExprOptionsError } from "../errors.js";
import { describeValue } from "../limits.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isArray } = Array;

/** `options` as an object (`{}` for null or undefined). Throws ExprOptionsError. */
export function checkOptions<T extends object>(options: T | null | undefined, source: string): T {
  if (options === null || options === undefined) return {} as T;
  if (typeof options !== "object" || isArray(options)) {
    throw new ExprOptionsError(
      `options must be an object such as { backend: "vm" }, not ${describeValue(options)}`,
      typeof source === "string" ? source : "",
    );
  }
  const { backend } = options as { backend?: unknown };
  if (backend !== undefined && typeof backend !== "string") {
    throw new ExprOptionsError(
      `backend must be a back-end's name, not ${describeValue(backend)}`,
      typeof source === "string" ? source : "",
    );
  }
  return options;
}
