/**
 * Child process of the wide-calls measurement (phases/wide.ts): for each
 * back-end, compiles `hypot` with each number of arguments once and prints
 * the µs from source to first result, as JSON. A fresh process, so nothing
 * one width leaves behind (a wasm trampoline of that arity, a native
 * library in the disk cache) is there for the next sample; a first wide
 * call of another width per back-end warms the compiler's code off the
 * clock.
 *
 * stdin: {"backends": ["js", "wasm"], "widths": [125, 250]}
 * stdout: {"us": [[…js per width], […wasm per width]]}
 */

import { readFileSync } from "node:fs";
import { type BackendName, compile } from "../src/index.js";
import { wideCall } from "./phases/wide.js";

interface Request {
  readonly backends: readonly BackendName[];
  readonly widths: readonly number[];
}

const request = JSON.parse(readFileSync(0, "utf8")) as Request;
const us = request.backends.map((backend) => {
  compile(wideCall(100), { backend }).dispose();
  return request.widths.map((width) => {
    const source = wideCall(width);
    const start = process.hrtime.bigint();
    const compiled = compile(source, { backend });
    compiled.fn(1.5);
    const elapsed = Number(process.hrtime.bigint() - start) / 1000;
    compiled.dispose();
    return elapsed;
  });
});
process.stdout.write(JSON.stringify({ us }));
