#!/usr/bin/env node
/**
 * The `exprjit` command: evaluate an expression, read expressions line by
 * line from standard input, dump a stage, explain the whole pipeline, or
 * (at a terminal with nothing to evaluate, or `exprjit repl`) the REPL.
 * Errors go to stderr as ExprError.format() renders them (exit 1); usage
 * mistakes exit 2.
 */

import { createInterface } from "node:readline";
import { watchOutput } from "./output.js";
import { PROMPT } from "./repl.js";
import { run } from "./run.js";

watchOutput(process);
const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdinIsTTY: process.stdin.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  input: () => process.stdin,
  lines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
  terminal: () => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      prompt: PROMPT,
      historySize: 1000,
      removeHistoryDuplicates: true,
    });
    // Ctrl-C clears the line being typed; on an empty line it leaves, as Ctrl-D does.
    rl.on("SIGINT", () => {
      if (rl.line === "") return rl.close();
      rl.write(null, { ctrl: true, name: "u" });
      process.stdout.write("^C\n");
      rl.prompt();
    });
    return { lines: rl, prompt: () => rl.prompt(), close: () => rl.close() };
  },
});
process.exitCode = code;
