/**
 * Child process of the cold-compile measurement (phases/cold.ts): compiles
 * each expression given on stdin once with one back-end and prints the µs
 * each took, as JSON. Run with a fresh, empty `EXPRJIT_CACHE_DIR`, so a
 * back-end with a disk cache (native) really runs its compiler.
 *
 * stdin: {"backend": "native", "sources": ["(y + x)", …]}
 * stdout: {"us": [1234.5, …]}
 */

import { readFileSync } from "node:fs";
import { type BackendName, compile } from "../src/index.js";

interface Request {
  readonly backend: BackendName;
  readonly sources: readonly string[];
}

const request = JSON.parse(readFileSync(0, "utf8")) as Request;
// A first compile of an expression outside the workload pays the one-time
// costs (probing the toolchain, loading modules) off the clock.
compile("x * 0.5 + 0.25", { backend: request.backend }).dispose();
const us = request.sources.map((source) => {
  const start = process.hrtime.bigint();
  const compiled = compile(source, { backend: request.backend });
  const args = compiled.variables.map(() => 1.5);
  compiled.fn(...args);
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  compiled.dispose();
  return elapsed;
});
process.stdout.write(JSON.stringify({ us }));
