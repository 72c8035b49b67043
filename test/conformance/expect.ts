/**
 * The checks behind the conformance tables, shared by every suite that
 * runs them (the shared conformance test, and `js` in module mode).
 */

import { expect } from "vitest";
import { ExprError } from "../../src/errors.js";
import type { ErrorCase } from "./cases.js";

/** `caught` is the ExprError `expected` describes: kind, exact position, and message. */
export function expectErrorCase(caught: unknown, expected: ErrorCase): void {
  expect(caught).toBeInstanceOf(ExprError);
  const error = caught as ExprError;
  expect({ kind: error.kind, offset: error.offset, length: error.length }).toEqual({
    kind: expected.kind,
    offset: expected.offset,
    length: expected.length,
  });
  expect(error.message).toContain(expected.says);
}
