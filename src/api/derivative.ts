/**
 * Derivatives from above the front end: `derivative(source, x)` (the
 * derivative as exprjit source) and the derivative Programs the gradient
 * entries compile (gradient.ts). Both come from one place, so the text
 * and the compiled partials are the same program: the resolved program is
 * differentiated (semantics/derive.ts), and the result is what gets
 * printed (semantics/source.ts) and, lowered, compiled.
 */

import { ExprInputError, ExprLimitError } from "../errors.js";
import { checkLimits, describeValue } from "../limits.js";
import { deriveProgram, gradientProgram } from "../semantics/derive.js";
import { lower } from "../semantics/lower.js";
import { numberNode } from "../semantics/nodes.js";
import type { Program } from "../semantics/program.js";
import { printProgram } from "../semantics/source.js";
import { guardStack, toResolvedProgram } from "./frontend.js";
import { type CompileOptions, checkOptions } from "./options.js";
import { userNamesOf } from "./scope.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A program and its derivatives with respect to some of its variables. */
export interface Derivatives {
  /** The program itself, lowered: what `compile` would run. */
  readonly value: Program;
  /** The variables differentiated by, in the order asked. */
  readonly wrt: readonly string[];
  /** For each of `wrt`, the derivative, not yet lowered (what is printed). */
  readonly resolved: readonly Program[];
  /** For each of `wrt`, the derivative lowered, on the program's variables. */
  readonly partials: readonly Program[];
  /** ONE program, lowered: results `[value, d/d wrt[0], …]`, sharing the bindings (what is compiled). */
  readonly gradient: Program;
}

/**
 * The derivatives of `source` with respect to `wrt` (default: every
 * variable, in order of first appearance). A name that is not one of the
 * program's variables has derivative 0. Throws ExprError.
 */
export function derivativesOf(
  source: string,
  wrt: readonly string[] | undefined,
  options: CompileOptions | null = {},
): Derivatives {
  options = checkOptions(options, source);
  const resolvedValue = toResolvedProgram(source, options, userNamesOf(options, options, source));
  const value = guardStack(source, () => lower(resolvedValue));
  const names = checkedWrt(wrt ?? value.variables, source);
  const { maxDepth, maxLength } = checkLimits(options, source);
  const resolved = names.map((name) => {
    const slot = resolvedValue.variables.indexOf(name);
    if (slot < 0) {
      // The bindings stay: each is evaluated once per evaluation, host calls included.
      const zero = numberNode(0, { start: 0, end: 0 });
      return { ...resolvedValue, results: [{ name: "", value: zero }] };
    }
    return guardStack(source, () =>
      deriveProgram(resolvedValue, slot, { maxDepth, maxNodes: maxLength }),
    );
  });
  const partials = resolved.map((program) => guardStack(source, () => lower(program)));
  const slots = names.map((name) => resolvedValue.variables.indexOf(name));
  const gradient = guardStack(source, () =>
    lower(gradientProgram(resolvedValue, slots, true, { maxDepth, maxNodes: maxLength })),
  );
  return { value, wrt: names, resolved, partials, gradient };
}

/**
 * The derivative of `source` with respect to `variable`, as exprjit
 * source text (LANGUAGE.md, "Derivatives"): terms that are structurally 0
 * are dropped and factors of exactly 1 omitted, so `derivative("x * y",
 * "x")` is `"y"`. Compiled with the same options, the text gives exactly
 * (`Object.is`) what the gradient entries give. Throws ExprError (for
 * instance, a host function without derivatives, naming it and the
 * variable).
 */
export function derivative(
  source: string,
  variable: string,
  options: CompileOptions | null = {},
): string {
  const { resolved } = derivativesOf(source, [variable], options);
  return derivativeText(resolved[0] as Program, options);
}

/** The text of a derivative Program (unlowered), bounded by the length limit. */
export function derivativeText(program: Program, options: CompileOptions | null = {}): string {
  const { maxLength } = checkLimits(options, program.source);
  try {
    return guardStack(program.source, () => printProgram(program, maxLength));
  } catch (error) {
    if (error instanceof ExprLimitError && error.source === "") {
      throw new ExprLimitError(`the derivative's ${error.message}`, program.source, {
        offset: 0,
        length: program.source.length,
      });
    }
    throw error;
  }
}

/** The variable names asked for: identifiers, each once. Throws ExprInputError. */
function checkedWrt(wrt: unknown, source: string): readonly string[] {
  const list: unknown[] = Array.isArray(wrt) ? wrt : [wrt];
  const seen = new Set<string>();
  for (const name of list) {
    if (typeof name !== "string" || !IDENTIFIER.test(name)) {
      throw new ExprInputError(
        `a derivative is taken with respect to a variable's name, not ${describeValue(name)}`,
        source,
        { offset: 0, length: 0 },
      );
    }
    if (seen.has(name)) {
      throw new ExprInputError(`'${name}' is asked for twice`, source, { offset: 0, length: 0 });
    }
    seen.add(name);
  }
  return [...seen];
}
