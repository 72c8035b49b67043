/**
 * Runs in a fresh process for toolchain.test.ts (the toolchain is probed
 * once per process, so each environment needs its own): compiles the
 * expression in argv[2] with `native`, evaluates it on the numbers that
 * follow, and prints one JSON line. It imports only the front end and
 * this back-end, so other back-ends' state cannot break it.
 */

import { toProgram } from "../../../src/api/frontend.js";
import { native } from "../../../src/backends/native/index.js";
import { ExprError } from "../../../src/errors.js";

const [source = "", ...rest] = process.argv.slice(2);
const availability = native.availability();
try {
  if (source === ":clear") {
    // Not an expression: empties the cache and prints how many entries went.
    console.log(JSON.stringify({ availability, value: native.cache?.clear() }));
    process.exit(0);
  }
  const code = native.compile(toProgram(source), {});
  console.log(JSON.stringify({ availability, value: code.fn(...rest.map(Number)), how: code.how }));
} catch (error) {
  const kind = error instanceof ExprError ? error.kind : "other";
  const message = error instanceof Error ? error.message : String(error);
  console.log(JSON.stringify({ availability, error: { kind, message } }));
}
