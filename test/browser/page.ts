/**
 * The conformance tables run inside a browser page, against the package as
 * a bundler sees it for the browser (`import … from "exprjit"`). Bundled by
 * esbuild in browser.test.ts; the page leaves its findings in
 * `window.report` for the test to read. No vitest here: plain checks.
 */

import { type BackendName, backends, compile, compileAsync, ExprError } from "exprjit";
import { ERROR_CASES, VALUE_CASES, VARS } from "../conformance/cases.js";

/** What the page found. */
export interface PageReport {
  readonly backends: readonly string[];
  /** The back-end the default `compile` chose. */
  readonly chosen: string;
  /** Cases checked per back-end. */
  readonly checked: Record<string, number>;
  /** Every disagreement, as text (empty when all agree). */
  readonly failures: readonly string[];
  /** `js` with `load: "module"` (a Blob URL), when js runs here. */
  readonly module?: string;
}

/** Where the page leaves its findings (the project's lib has no DOM types: `globalThis` is the window). */
export type PageGlobal = { report?: PageReport | { readonly crashed: string } };
const page = globalThis as PageGlobal;

const vars = VARS as Readonly<Record<string, number>>;

function check(name: BackendName, failures: string[]): number {
  let checked = 0;
  for (const [source, expected] of VALUE_CASES) {
    // wasm/js/vm/treewalk are exact: every result is JavaScript's, bit for bit.
    try {
      const compiled = compile(source, { backend: name });
      const positional = compiled.variables.map((v) => vars[v] as number);
      for (const got of [compiled.evaluate(VARS), compiled.fn(...positional)]) {
        if (!Object.is(got, expected))
          failures.push(`${name}: ${source} gave ${got}, not ${expected}`);
      }
    } catch (error) {
      failures.push(`${name}: ${source} threw ${String(error)}`);
    }
    checked++;
  }
  for (const want of ERROR_CASES) {
    try {
      compile(want.source, { backend: name });
      failures.push(`${name}: ${JSON.stringify(want.source)} compiled`);
    } catch (error) {
      const ok =
        error instanceof ExprError &&
        error.kind === want.kind &&
        error.offset === want.offset &&
        error.length === want.length &&
        error.message.includes(want.says);
      if (!ok) failures.push(`${name}: ${JSON.stringify(want.source)} threw ${String(error)}`);
    }
    checked++;
  }
  return checked;
}

async function main(): Promise<PageReport> {
  const failures: string[] = [];
  const checked: Record<string, number> = {};
  for (const name of backends) checked[name] = check(name, failures);
  const chosen = compile("x*2+1");
  // Called past both of auto's thresholds, so the default's top tier is what runs.
  for (let i = 0; i < 20_000; i++) {
    if (chosen.fn(i) !== 2 * i + 1) failures.push(`default ${chosen.tier}: x*2+1 at ${i}`);
  }
  let module: string | undefined;
  if (backends.includes("js")) {
    const viaModule = await compileAsync("sin(x) * y + pi", { backend: "js", load: "module" });
    module = `${viaModule.fn(VARS.x, VARS.y)} ${viaModule.how}`;
  }
  return {
    backends: [...backends],
    chosen: `${chosen.backend} on ${chosen.tier}`,
    checked,
    failures,
    ...(module === undefined ? {} : { module }),
  };
}

main().then(
  (report) => {
    page.report = report;
  },
  (error: unknown) => {
    page.report = { crashed: String(error) };
  },
);
