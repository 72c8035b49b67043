/**
 * The CLI's derivatives: `exprjit derive EXPR --wrt x` (the derivative as
 * source), `--gradient` when evaluating (the value, then each partial),
 * and the derivative programs `explain --wrt x` appends.
 */

import type { CompileOptions } from "../api/compile.js";
import { derivativesOf, derivativeText } from "../api/derivative.js";
import { stages } from "../api/frontend.js";
import { compileGradient } from "../api/gradient.js";
import type { Vars } from "../api/inputs.js";
import { formatNumber } from "../text/number.js";

/**
 * `exprjit derive`: the derivative's text alone for one variable; for
 * several (or all, without `--wrt`), one `d/dx = …` line each.
 */
export function deriveLines(
  source: string,
  wrt: readonly string[] | undefined,
  options: CompileOptions,
): string {
  const found = derivativesOf(source, wrt, options);
  const texts = found.resolved.map((program) => derivativeText(program, options));
  if (wrt?.length === 1) return `${texts[0]}\n`;
  return found.wrt.map((name, i) => `d/d${name} = ${texts[i]}\n`).join("");
}

/** Evaluating with `--gradient`: the value, then `d/dx = …` for each partial. */
export function gradientLines(
  source: string,
  wrt: readonly string[] | undefined,
  vars: Vars,
  options: CompileOptions,
): string {
  const gradient = compileGradient(source, { ...options, wrt });
  try {
    const [value, ...partials] = gradient.evaluate(vars);
    const lines = [formatNumber(value as number)];
    gradient.wrt.forEach((name, i) => {
      lines.push(`d/d${name} = ${formatNumber(partials[i] as number)}`);
    });
    return `${lines.join("\n")}\n`;
  } finally {
    gradient.dispose();
  }
}

/** `explain --wrt x`: each derivative's text, then the one program of the value and its partials. */
export function explainDerivatives(
  source: string,
  wrt: readonly string[],
  options: CompileOptions,
): string {
  const found = derivativesOf(source, wrt, options);
  const lines = found.resolved.map(
    (program, i) => `== derivative by ${found.wrt[i]}: ${derivativeText(program, options)}`,
  );
  const results = ["the value", ...found.wrt.map((name) => `d/d${name}`)].join(", ");
  lines.push(`== gradient program (results: ${results})`, stages.dumpProgram(found.gradient));
  return lines.join("\n");
}
