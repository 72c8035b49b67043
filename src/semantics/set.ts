/**
 * Formula sets (LANGUAGE.md v3, "Formula sets"): a map from names to
 * programs → ONE Program. The formulas are laid out as one text, one line
 * `name = program` each, and every formula is parsed in place in it
 * (syntax/parser.ts `parseRange`), so every span of the Program points
 * into that one text. A first pass lexes each formula (no tree is built)
 * to find the formulas it uses and its variables; the formulas are then
 * ordered so that each comes after those it uses (an iterative depth-first
 * walk: a cycle is an error naming every formula in it), and resolved in
 * that order by the resolver's set mode (resolve.ts `resolveFormulas`).
 *
 * Errors point into the formula's own text and carry its name
 * ({@link ExprFormulaError}); nothing here recurses once per formula.
 */

import {
  ExprArityError,
  ExprError,
  ExprLimitError,
  ExprNameError,
  ExprOptionsError,
  ExprSyntaxError,
} from "../errors.js";
import type { Limits } from "../limits.js";
import { Lexer } from "../syntax/lexer.js";
import { lookupName, type UserNames } from "./names.js";
import type { Program } from "./program.js";
import { type FormulaPart, resolveFormulas, type SetVariable } from "./resolve.js";

/** One formula as given: its name and its program's text. */
export interface FormulaSource {
  readonly name: string;
  readonly source: string;
}

/** What an error about one formula of a set also says: which formula. */
export interface FormulaErrorInfo {
  /** The formula the error is in; its `source` is that formula's own text. */
  readonly formula: string;
}

/** A name, as the language spells one. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How each kind of error is made again with a formula's own text. */
const REMADE = {
  syntax: ExprSyntaxError,
  name: ExprNameError,
  arity: ExprArityError,
  limit: ExprLimitError,
} as const;

/**
 * `error` (about the set's text) made again about formula `part` alone:
 * the message starts `formula 'NAME': `, the span is in the formula's own
 * text, and the error has a `formula` property. Others pass unchanged.
 */
function inFormula(error: unknown, part: FormulaPart, text: string): unknown {
  if (!(error instanceof ExprError) || !(error.kind in REMADE)) return error;
  const own = text.slice(part.from, part.to);
  const Made = REMADE[error.kind as keyof typeof REMADE];
  const remade = new Made(`formula '${part.name}': ${error.message}`, own, {
    offset: error.offset - part.from,
    length: error.length,
  });
  return Object.assign(remade, { formula: part.name } satisfies FormulaErrorInfo);
}

/**
 * A cycle among formulas: an ExprNameError at the first formula's
 * reference, whose `cycle` lists every formula in it with the reference in
 * its own text, and whose `format()` shows a caret in each.
 */
export class ExprCycleError extends ExprNameError {
  /** Each formula of the cycle, with its reference to the next (the last to the first). */
  readonly cycle: readonly ExprNameError[];
  readonly formula: string;

  constructor(message: string, cycle: readonly ExprNameError[], formula: string) {
    const first = cycle[0] as ExprNameError;
    super(message, first.source, { offset: first.offset, length: first.length });
    this.cycle = cycle;
    this.formula = formula;
  }

  override format(): string {
    return [`error: ${this.message}`, ...this.cycle.map((each) => each.format())].join("\n");
  }
}

/** A reference from one formula to another, in the set's text. */
interface Reference {
  readonly target: number;
  readonly start: number;
  readonly end: number;
}

/** What the first pass found in one formula. */
interface Scan {
  readonly part: FormulaPart;
  /** The formulas it uses, in order of first reference. */
  readonly uses: Reference[];
  /** The variables it reads, each at its first read in the formula, in order. */
  readonly reads: SetVariable[];
}

/** Options of {@link resolveSet}. */
export interface SetResolveOptions {
  /** Limits, applied to each formula on its own. */
  readonly limits?: Limits | null;
  /** The application's names. */
  readonly user?: UserNames;
  /** The formulas whose values are returned (default: all, in order); others only as needed. */
  readonly outputs?: readonly string[];
}

/** The formula set as ONE resolved (not yet lowered) Program. Throws ExprError. */
export function resolveSet(
  formulas: readonly FormulaSource[],
  options: SetResolveOptions = {},
): Program {
  const { text, parts } = layOut(formulas, options.user);
  const index = new Map(parts.map((part, i) => [part.name, i]));
  const scans: Scan[] = [];
  for (const part of parts) {
    try {
      scans.push(scan(text, part, index, options.user));
    } catch (error) {
      throw inFormula(error, part, text);
    }
  }
  const outputs = options.outputs ?? parts.map((part) => part.name);
  const wanted = outputs.map((name) => {
    const at = typeof name === "string" ? index.get(name) : undefined;
    if (at === undefined) {
      throw new ExprOptionsError(`output '${String(name)}' is not a formula of the set`, text);
    }
    return at;
  });
  const order = evaluationOrder(scans, wanted, text);
  const needed = new Set(order);
  // The variables of the formulas computed, by first read in the order the formulas were given.
  const variables: SetVariable[] = [];
  const seen = new Set<string>();
  scans.forEach((each, i) => {
    if (!needed.has(i)) return;
    for (const read of each.reads) {
      if (seen.has(read.name)) continue;
      seen.add(read.name);
      variables.push(read);
    }
  });
  return resolveFormulas(
    text,
    order.map((i) => (scans[i] as Scan).part),
    outputs,
    variables,
    options.limits ?? {},
    options.user,
    (error, part) => {
      throw inFormula(error, part, text);
    },
  );
}

/**
 * The set's one text, a line `name = program` per formula, and where each
 * program stands in it. Names are checked here: identifiers, not builtin
 * or user names.
 */
function layOut(
  formulas: readonly FormulaSource[],
  user: UserNames | undefined,
): { text: string; parts: FormulaPart[] } {
  const pieces: string[] = [];
  const parts: FormulaPart[] = [];
  let at = 0;
  for (const { name, source } of formulas) {
    if (typeof name !== "string" || !IDENTIFIER.test(name)) {
      const shown = String(name);
      throw new ExprNameError(`formula name ${JSON.stringify(shown)} is not a name`, shown, {
        offset: 0,
        length: shown.length,
      });
    }
    const known = lookupName(name, user);
    if (known !== undefined) {
      const what =
        known.kind === "constant"
          ? "a constant"
          : known.kind === "builtin"
            ? "a builtin function"
            : "a user function";
      throw Object.assign(
        new ExprNameError(`formula '${name}' cannot be named so: '${name}' is ${what}`, name, {
          offset: 0,
          length: name.length,
        }),
        { formula: name },
      );
    }
    if (typeof source !== "string") {
      throw new ExprOptionsError(
        `formula '${name}' must be a string of text, not ${typeof source}`,
        name,
      );
    }
    const head = `${name} = `;
    const from = at + head.length;
    parts.push({ name, from, to: from + source.length });
    pieces.push(head + source);
    at = from + source.length + 1;
  }
  return { text: pieces.join("\n"), parts };
}

/**
 * The first pass over one formula, by the lexer alone: the formulas it
 * uses (names of the set not bound before in the formula) and the
 * variables it reads, each at its first read. Syntax errors in tokens
 * surface here; the rest of the grammar is checked when the formula is
 * resolved.
 */
function scan(
  text: string,
  part: FormulaPart,
  index: ReadonlyMap<string, number>,
  user: UserNames | undefined,
): Scan {
  const lexer = new Lexer(text, part.from, part.to);
  const own = new Set<string>();
  const seen = new Set<string>();
  const reads: SetVariable[] = [];
  const uses: Reference[] = [];
  const usedTargets = new Set<number>();
  let partStart = true;
  for (lexer.advance(); lexer.type !== "EOF"; lexer.advance()) {
    const { type, start, end } = lexer;
    const atStart = partStart;
    partStart = type === "SEMICOLON";
    if (type !== "IDENT") continue;
    const name = text.slice(start, end);
    if (atStart && lexer.nextIsBindingEquals()) {
      own.add(name);
      continue;
    }
    if (own.has(name) || lexer.nextIsOpenParen()) continue;
    const target = index.get(name);
    if (target !== undefined) {
      if (!usedTargets.has(target)) {
        usedTargets.add(target);
        uses.push({ target, start, end });
      }
      continue;
    }
    if (lookupName(name, user) !== undefined || seen.has(name)) continue;
    seen.add(name);
    reads.push({ name, start, end });
  }
  return { part, uses, reads };
}

/**
 * The formulas to compute, each after those it uses: a depth-first walk
 * from each wanted formula (in given order), with an explicit stack. A
 * formula met again while it is still on the stack closes a cycle.
 */
function evaluationOrder(
  scans: readonly Scan[],
  wanted: readonly number[],
  text: string,
): number[] {
  const DONE = 2;
  const OPEN = 1;
  const state = new Uint8Array(scans.length);
  const order: number[] = [];
  // Each frame: a formula and how many of its uses have been followed.
  const stack: number[] = [];
  const next: number[] = [];
  const roots = [...wanted].sort((a, b) => a - b);
  for (const root of roots) {
    if (state[root] === DONE) continue;
    stack.push(root);
    next.push(0);
    state[root] = OPEN;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const at = stack[top] as number;
      const uses = (scans[at] as Scan).uses;
      const k = next[top] as number;
      if (k === uses.length) {
        stack.pop();
        next.pop();
        state[at] = DONE;
        order.push(at);
        continue;
      }
      next[top] = k + 1;
      const target = (uses[k] as Reference).target;
      if (state[target] === DONE) continue;
      if (state[target] === OPEN) throw cycleError(scans, stack, target, text);
      state[target] = OPEN;
      stack.push(target);
      next.push(0);
    }
  }
  return order;
}

/** The error for the cycle that closes at `target`, on the walk's `stack`. */
function cycleError(
  scans: readonly Scan[],
  stack: readonly number[],
  target: number,
  text: string,
): ExprCycleError {
  const members = stack.slice(stack.indexOf(target));
  const names = members.map((i) => (scans[i] as Scan).part.name);
  const frames = members.map((i, k) => {
    const { part, uses } = scans[i] as Scan;
    const to = members[(k + 1) % members.length] as number;
    const reference = uses.find((use) => use.target === to) as Reference;
    const toName = (scans[to] as Scan).part.name;
    const error = new ExprNameError(
      `formula '${part.name}' uses '${toName}' here`,
      text.slice(part.from, part.to),
      { offset: reference.start - part.from, length: reference.end - reference.start },
    );
    return Object.assign(error, { formula: part.name });
  });
  const path = [...names, names[0]].join(" → ");
  const message =
    members.length === 1
      ? `formula '${names[0]}' uses itself (${path}); a formula cannot depend on its own value`
      : `formulas ${names.map((n) => `'${n}'`).join(", ")} form a cycle (${path}); a formula cannot depend on its own value`;
  return new ExprCycleError(message, frames, names[0] as string);
}
