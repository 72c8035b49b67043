/**
 * The differential properties, shared by the bounded CI run
 * (differential.test.ts) and the long run (`npm run fuzz`).
 */

import fc from "fast-check";
import { toProgram, toResolvedProgram } from "../../src/api/frontend.js";
import type { Backend } from "../../src/backends/backend.js";
import { ExprError } from "../../src/errors.js";
import { evaluateNode } from "../../src/semantics/evaluate.js";
import { lower } from "../../src/semantics/lower.js";
import type { Program } from "../../src/semantics/program.js";
import { parseExpression } from "../../src/syntax/parser.js";
import { print } from "../../src/syntax/print.js";
import { formatNumber } from "../../src/text/number.js";
import { withLibmOf } from "../support/libm.js";
import { exprArbitrary, inputs, shape, tokenSoup } from "./arbitraries.js";

/** `parse(print(ast))` has the shape of `ast`. */
export const printParseRoundTrip = fc.property(exprArbitrary(), (ast) => {
  const text = print(ast);
  const again = parseExpression(text);
  if (JSON.stringify(shape(again)) !== JSON.stringify(shape(ast))) {
    throw new Error(`print/parse changed the tree of ${text}`);
  }
});

/** Every back-end gives `Object.is`-identical results to treewalk (within the allowance). */
export function agreesWithTreewalk(
  backend: Backend,
): fc.IPropertyWithHooks<[import("../../src/syntax/ast.js").Expr, Record<string, number>]> {
  return fc.property(exprArbitrary(), inputs, (ast, vars) => {
    // The back-end gets the lowered program, as the API gives it; an exact one
    // is held to the reference evaluator on the program before lowering, so
    // this checks the lowering pass too. An inexact one is held to its own
    // libm results on the lowered program (folding computes with JS's libm).
    const resolved = toResolvedProgram(print(ast));
    const program = lower(resolved);
    const values = program.variables.map((name) => vars[name] as number);
    const reference = backend.exact ? resolved.root : withLibmOf(backend, program.root);
    const expected = evaluateNode(reference, values);
    const code = backend.compile(program, {});
    try {
      const actual = code.fn(...values);
      check(backend, program, expected, actual);
    } finally {
      code.dispose();
    }
  });
}

function check(backend: Backend, program: Program, expected: number, actual: number): void {
  if (Object.is(expected, actual)) return;
  throw new Error(
    `${backend.name} gave ${formatNumber(actual)}, treewalk ${formatNumber(expected)} for ${program.source}`,
  );
}

/** Any text at all either compiles or raises an ExprError: never another error. */
export const onlyExprErrors = fc.property(
  fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 30 }), tokenSoup),
  (text) => {
    try {
      const program = toProgram(text);
      evaluateNode(
        program.root,
        program.variables.map(() => 1),
      );
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
    }
  },
);
