/**
 * Under CI (CI set and not empty) the native back-end must be available:
 * its suites skip where it cannot run (a laptop without a C compiler), and
 * without this a CI machine that lost its compiler or headers would pass
 * with none of them run. The browser tests refuse the same way.
 */

import { describe, expect, it } from "vitest";
import { native } from "../../../src/backends/native/index.js";

const ci = process.env.CI !== undefined && process.env.CI !== "";

describe("the native back-end", () => {
  it.runIf(ci)("is available under CI, so its suites run rather than skip", () => {
    // On failure the reason (no compiler, no headers, ...) is in the diff.
    expect(native.availability()).toEqual({ available: true });
  });
});
