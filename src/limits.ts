/**
 * Limits on the input (LANGUAGE.md, "Limits"): what a caller may set, the
 * defaults, and the check of a caller's values. It stands beside errors.ts,
 * on the floor the parser stands on, since the parser enforces them.
 */

import { ExprOptionsError } from "./errors.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isInteger } = Number;
const { stringify } = JSON;
const { isArray } = Array;
const { freeze } = Object;

/** Limits on the input a caller may set. */
export interface Limits {
  /** Longest source accepted, in UTF-16 units. Default 1,000,000. */
  readonly maxLength?: number;
  /** Deepest syntax tree accepted, in levels. Default 2,000. */
  readonly maxDepth?: number;
}

/** The default limits. */
export const DEFAULT_LIMITS: { readonly maxLength: 1_000_000; readonly maxDepth: 2_000 } =
  // Frozen: a program writing `DEFAULT_LIMITS.maxDepth = 5` must not change every later compile.
  freeze({ maxLength: 1_000_000, maxDepth: 2_000 } as const);

/** Limits with every value decided. */
export type CheckedLimits = { readonly [K in keyof Limits]-?: number };

/** The caller's limits, checked, with defaults for those not given. Throws ExprOptionsError. */
export function checkLimits(limits: Limits | null | undefined, source: string): CheckedLimits {
  return {
    maxLength: limit(source, "maxLength", limits?.maxLength, DEFAULT_LIMITS.maxLength),
    maxDepth: limit(source, "maxDepth", limits?.maxDepth, DEFAULT_LIMITS.maxDepth),
  };
}

/** A limit option: a whole number of at least 1, or the default when absent. */
function limit(source: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && isInteger(value) && value >= 1) return value;
  throw new ExprOptionsError(
    `${name} must be a whole number of at least 1, not ${describeValue(value)}`,
    source,
  );
}

/** A caller's value as a message shows it: short, never the whole of a long string. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string ${stringify(value.slice(0, 20))}`;
  if (typeof value === "number") return String(value);
  if (isArray(value)) return "an array";
  return value === null ? "null" : typeof value;
}
