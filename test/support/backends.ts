/**
 * The back-ends every shared suite runs on: all registered ones that are
 * available here. Unavailable ones are reported once, with their reason.
 */

import type { Backend } from "../../src/backends/backend.js";
import { ALL_BACKENDS } from "../../src/backends/registry.js";

/** The back-ends available in this process. */
export const BACKENDS: readonly Backend[] = ALL_BACKENDS.filter((backend) => {
  const availability = backend.availability();
  if (!availability.available) {
    console.warn(`skipping back-end ${backend.name}: ${availability.reason}`);
  }
  return availability.available;
});

/** The back-ends other than the reference interpreter. */
export const CHALLENGERS: readonly Backend[] = BACKENDS.filter((b) => b.name !== "treewalk");
