/**
 * Run by load.test.ts in a child `node --disallow-code-generation-from-strings`:
 * reports, as JSON on stdout, what the `js` back-end and the API do where the
 * engine forbids `new Function`.
 */

import { toProgram } from "../../../src/api/frontend.js";
import { js } from "../../../src/backends/js/index.js";
import { compile } from "../../../src/index.js";

function failure(work: () => unknown): string {
  try {
    work();
    return "no error";
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const availability = js.availability();
const program = toProgram("x+1");
const byDefault = compile("x+1");
// Past both of auto's thresholds, so its top tier runs: closure here, never js.
for (let i = 0; i < 20_000; i++) byDefault.fn(i);
const asModule = await js.compileAsync?.(program, { load: "module" });

process.stdout.write(
  JSON.stringify({
    available: availability.available ? "available" : `not available: ${availability.reason}`,
    byName: failure(() => compile("x+1", { backend: "js" })),
    direct: failure(() => js.compile(program, {})),
    byDefault: `${byDefault.evaluate({ x: 1 })} with ${byDefault.backend}, on ${byDefault.tier}`,
    module: String(asModule?.fn(1)),
  }),
);
