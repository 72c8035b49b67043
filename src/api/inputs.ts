/**
 * Input checking, written once for every back-end: turns what a caller
 * passes to `evaluate` (an object of own properties, or positional values)
 * into the numbers a back-end's fast entry takes, or an ExprInputError
 * naming the variable and pointing at its first use.
 */

import { ExprInputError } from "../errors.js";
import type { Program } from "../semantics/program.js";
import { plural } from "../text/plural.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isArray } = Array;
const { isView } = ArrayBuffer;
const { hasOwn } = Object;

/**
 * Variable values, numbers: an object (own properties only) or positional
 * values in `variables` order. The types say numbers; what is passed is
 * still checked (a value of another type is an ExprInputError).
 */
export type Vars = Readonly<Record<string, number>> | readonly number[] | Float64Array;

/** The values of `program`'s variables, in slot order, checked. */
export function collectValues(program: Program, vars: Vars | undefined): number[] {
  const { variables } = program;
  const count = variables.length;
  if (vars === undefined || vars === null) {
    if (count > 0) throw missing(program, 0);
    return [];
  }
  if (typeof vars !== "object") {
    throw new ExprInputError(
      `variables must be given as an object or an array, not ${typeof vars}`,
      program.source,
      { offset: 0, length: program.source.length },
    );
  }
  const values = new Array<number>(count);
  if (isArray(vars) || isView(vars)) {
    const list = vars as ArrayLike<unknown>;
    if (list.length > count) {
      throw new ExprInputError(
        `expected ${plural(count, "value")} (${variables.join(", ")}), got ${list.length}`,
        program.source,
        { offset: 0, length: program.source.length },
      );
    }
    for (let i = 0; i < count; i++) {
      if (i >= list.length) throw missing(program, i);
      values[i] = checked(program, i, list[i]);
    }
    return values;
  }
  const record = vars as Readonly<Record<string, unknown>>;
  for (let i = 0; i < count; i++) {
    const name = variables[i] as string;
    // Own properties only: `constructor` or `toString` must never come from a prototype.
    if (!hasOwn(record, name)) throw missing(program, i);
    values[i] = checked(program, i, record[name]);
  }
  return values;
}

/** Is `vars` an object of named values (not positional values)? */
export function isRecord(vars: Vars | undefined): vars is Readonly<Record<string, number>> {
  return typeof vars === "object" && vars !== null && !isArray(vars) && !isView(vars);
}

/** The checked value of variable `slot` in `vars` (own properties only). */
export function ownValue(
  program: Program,
  vars: Readonly<Record<string, unknown>>,
  slot: number,
): number {
  const name = program.variables[slot] as string;
  const value = hasOwn(vars, name) ? vars[name] : undefined;
  if (typeof value === "number") return value;
  if (value === undefined && !hasOwn(vars, name)) throw missing(program, slot);
  return checked(program, slot, value);
}

function checked(program: Program, slot: number, value: unknown): number {
  if (typeof value === "number") return value;
  const got = value === null ? "null" : isArray(value) ? "an array" : typeof value;
  throw new ExprInputError(
    `variable '${program.variables[slot]}' must be a number, got ${got}`,
    program.source,
    spanOf(program, slot),
  );
}

function missing(program: Program, slot: number): ExprInputError {
  return new ExprInputError(
    `no value given for variable '${program.variables[slot]}'`,
    program.source,
    spanOf(program, slot),
  );
}

function spanOf(program: Program, slot: number): { offset: number; length: number } {
  const use = program.firstUse[slot] ?? { start: 0, end: 0 };
  return { offset: use.start, length: use.end - use.start };
}
