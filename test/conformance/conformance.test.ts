/**
 * The conformance tables, run on every back-end available here: values
 * through `evaluate(object)`, `evaluate(positional)` and `fn`, and errors
 * with their exact kind and position.
 */

import { describe, expect, it } from "vitest";
import { toProgram } from "../../src/api/frontend.js";
import { compile, createEnvironment, ExprBackendError } from "../../src/index.js";
import { BACKENDS } from "../support/backends.js";
import { programAllowance, programUsesTranscendental, ulpDistance } from "../support/exactness.js";
import {
  ERROR_CASES,
  USER_ERROR_CASES,
  USER_EXTENSION,
  USER_VALUE_CASES,
  VALUE_CASES,
  VARS,
} from "./cases.js";
import { expectErrorCase } from "./expect.js";

function valuesFor(variables: readonly string[]): number[] {
  return variables.map((name) => (VARS as Readonly<Record<string, number>>)[name] as number);
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))("back-end %s", (name, backend) => {
  it.each(VALUE_CASES)("%s", (source, expected) => {
    const compiled = compile(source, { backend: name });
    try {
      const positional = valuesFor(compiled.variables);
      const results = [
        compiled.evaluate(VARS),
        compiled.evaluate(positional),
        compiled.fn(...positional),
      ];
      const program = toProgram(source);
      const inexact = !backend.exact && programUsesTranscendental(program);
      for (const result of results) {
        if (inexact)
          expect(ulpDistance(result, expected)).toBeLessThanOrEqual(
            programAllowance(backend, program),
          );
        else expect(Object.is(result, expected), `${result} is not ${expected}`).toBe(true);
      }
    } finally {
      compiled.dispose();
    }
  });

  const environment = createEnvironment(USER_EXTENSION);

  it.each(USER_VALUE_CASES)("user names: %s", (source, expected, callsHost) => {
    if (callsHost && name === "native") {
      expect(() => environment.compile(source, { backend: name })).toThrow(ExprBackendError);
      return;
    }
    const compiled = environment.compile(source, { backend: name });
    try {
      const positional = valuesFor(compiled.variables);
      const results = [
        compiled.evaluate(VARS),
        compiled.evaluate(positional),
        compiled.fn(...positional),
      ];
      const inexact =
        !backend.exact && programUsesTranscendental(environment.resolveProgram(source));
      for (const result of results) {
        if (inexact) expect(ulpDistance(result, expected)).toBeLessThanOrEqual(1);
        else expect(Object.is(result, expected), `${result} is not ${expected}`).toBe(true);
      }
    } finally {
      compiled.dispose();
    }
  });

  it.each(USER_ERROR_CASES)("user names, error: $source", (errorCase) => {
    let caught: unknown;
    try {
      environment.compile(errorCase.source, { backend: name });
    } catch (error) {
      caught = error;
    }
    expectErrorCase(caught, errorCase);
  });

  it.each(ERROR_CASES)("error: $source", (errorCase) => {
    let caught: unknown;
    try {
      compile(errorCase.source, { backend: name });
    } catch (error) {
      caught = error;
    }
    expectErrorCase(caught, errorCase);
  });
});
