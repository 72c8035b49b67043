#!/usr/bin/env node
/**
 * The `exprjit` command: evaluate an expression, read expressions line by
 * line from standard input, dump a stage, or explain the whole pipeline.
 * Errors go to stderr as ExprError.format() renders them (exit 1); usage
 * mistakes exit 2.
 */

import { createInterface } from "node:readline";
import { watchOutput } from "./output.js";
import { run } from "./run.js";

watchOutput(process);
const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdinIsTTY: process.stdin.isTTY === true,
  lines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
});
process.exitCode = code;
