/**
 * The differential properties, shared by the bounded CI run
 * (differential.test.ts) and the long run (`npm run fuzz`).
 */

import fc from "fast-check";
import { toProgram, toResolvedProgram } from "../../src/api/frontend.js";
import type { Backend } from "../../src/backends/backend.js";
import { ExprError } from "../../src/errors.js";
import { evaluateNode } from "../../src/semantics/evaluate.js";
import { validateExtension } from "../../src/semantics/extension.js";
import { lower } from "../../src/semantics/lower.js";
import type { Program } from "../../src/semantics/program.js";
import { parseExpression } from "../../src/syntax/parser.js";
import { print } from "../../src/syntax/print.js";
import { formatNumber } from "../../src/text/number.js";
import { withLibmOf } from "../support/libm.js";
import {
  ENV_VARIABLES,
  exprArbitrary,
  extensionOf,
  HostFailure,
  HostLog,
  input,
  inputs,
  programWithEnvironmentArbitrary,
  shape,
  tokenSoup,
} from "./arbitraries.js";

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

/** Values for {@link ENV_VARIABLES}, by name. */
const envInputs = fc
  .tuple(input, input, input)
  .map((values) => Object.fromEntries(ENV_VARIABLES.map((name, i) => [name, values[i] as number])));

/** How an evaluation ended: a number, or an error the harness can compare. */
type Outcome = { readonly value: number } | { readonly error: string };

function outcome(run: () => number): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof ExprError) return { error: `${error.kind}: ${error.message}` };
    if (error instanceof HostFailure) return { error: `host threw: ${error.message}` };
    throw error;
  }
}

function describeOutcome(o: Outcome): string {
  return "value" in o ? formatNumber(o.value) : o.error;
}

/**
 * With random user constants, expression functions and host functions:
 * every back-end gives treewalk's result (or its error: a host's own
 * exception, or a host result that is not a number) AND makes the same
 * host calls, with the same arguments, in the same order. A back-end that
 * cannot call host functions (native) must refuse exactly the programs
 * that call one.
 */
export function agreesWithTreewalkOnExtensions(
  backend: Backend,
): fc.IPropertyWithHooks<[{ environment: unknown; source: string }, Record<string, number>]> {
  return fc.property(programWithEnvironmentArbitrary(), envInputs, (generated, vars) => {
    const { environment, source } = generated;
    const log = new HostLog();
    const user = validateExtension(extensionOf(environment, log));
    const resolved = toResolvedProgram(source, {}, user);
    const program = lower(resolved);
    const values = program.variables.map((name) => vars[name] as number);
    const reference = backend.exact ? resolved.root : withLibmOf(backend, program.root);
    log.reset();
    const expected = outcome(() => evaluateNode(reference, values));
    const expectedCalls = [...log.calls];
    if (backend.name === "native" && program.hosts.length > 0) {
      const refused = outcome(() => backend.compile(program, {}).fn(...values));
      if (!("error" in refused) || !refused.error.startsWith("backend: ")) {
        throw new Error(`native did not refuse host calls in ${source}`);
      }
      return;
    }
    const code = backend.compile(program, {});
    try {
      log.reset();
      const actual = outcome(() => code.fn(...values));
      const same =
        "value" in expected && "value" in actual
          ? Object.is(expected.value, actual.value)
          : "error" in expected && "error" in actual && expected.error === actual.error;
      if (!same) {
        throw new Error(
          `${backend.name} gave ${describeOutcome(actual)}, treewalk ${describeOutcome(expected)} for ${source} with ${environment.definitions.join("; ")}`,
        );
      }
      if (JSON.stringify(log.calls) !== JSON.stringify(expectedCalls)) {
        throw new Error(
          `${backend.name} called ${log.calls.join(" ")}, treewalk ${expectedCalls.join(" ")} for ${source} with ${environment.definitions.join("; ")}`,
        );
      }
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
