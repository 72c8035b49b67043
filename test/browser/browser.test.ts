/**
 * The package in a real browser: test/browser/page.ts, bundled by esbuild
 * for the browser from the package as users import it, runs the
 * conformance tables in headless Chromium on every back-end the page has;
 * once as an ordinary page (treewalk, vm, js, wasm, and js's module mode
 * through a Blob URL), once under `Content-Security-Policy: script-src
 * 'self'`, where code generation is forbidden and the default compile must
 * still work (vm), and once with `'wasm-unsafe-eval'` added (wasm, not js). Skipped only outside CI when no Chromium is installed.
 * It bundles dist/, which `npm test` builds first.
 */

import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CASES, VALUE_CASES } from "../conformance/cases.js";
import { type Browser, findChromium, launchChromium, serve } from "../support/chromium.js";
import type { PageGlobal, PageReport } from "./page.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const executable = findChromium();
const ci = process.env.CI !== undefined && process.env.CI !== "";

describe.skipIf(executable === undefined && !ci)("in Chromium", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  // Made in beforeAll, not here: a run that filters these tests out must leave nothing behind.
  let work = "";

  beforeAll(async () => {
    if (executable === undefined) throw new Error("no chromium on PATH (.ci/run installs it)");
    work = mkdtempSync(join(tmpdir(), "exprjit-browser-"));
    // `exprjit` resolves to this checkout as an installed package would (its browser field included).
    mkdirSync(join(work, "node_modules"));
    symlinkSync(ROOT, join(work, "node_modules", "exprjit"), "dir");
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      nodePaths: [join(work, "node_modules")],
      // The repository's tsconfig maps `exprjit` to src/ for the type checker; a user's bundler
      // never sees that, so this one must not either.
      tsconfigRaw: {},
      logLevel: "silent",
    });
    const script = bundle.outputFiles[0]?.text ?? "";
    const html =
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>';
    server = await serve((path) => {
      if (path === "/page.js") return { body: script, type: "text/javascript" };
      if (path === "/") return { body: html, type: "text/html" };
      if (path === "/strict") {
        const csp = { "content-security-policy": "script-src 'self'" };
        return { body: html, type: "text/html", headers: csp };
      }
      if (path === "/wasm-only") {
        const csp = { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'" };
        return { body: html, type: "text/html", headers: csp };
      }
      return undefined;
    });
    browser = await launchChromium(executable);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  /** Opens `path`, waits for the page's report, and returns it with the console's errors. */
  async function report(path: string): Promise<{ report: PageReport; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    try {
      await page.goto(`${server.url}${path}`);
      await page.waitForFunction(() => (globalThis as PageGlobal).report !== undefined, undefined, {
        timeout: 60_000,
      });
      const found = await page.evaluate(() => (globalThis as PageGlobal).report);
      if (found === undefined || "crashed" in found)
        throw new Error(`page crashed: ${JSON.stringify(found)}`);
      return { report: found, errors };
    } finally {
      await page.close();
    }
  }

  const perBackend = VALUE_CASES.length + ERROR_CASES.length;

  it("runs the conformance tables on treewalk, vm, closure, js and wasm", async () => {
    const { report: found, errors } = await report("/");
    expect(errors).toEqual([]);
    expect(found.failures).toEqual([]);
    expect(found.backends).toEqual(["treewalk", "vm", "closure", "js", "wasm"]);
    expect(found.checked).toEqual({
      treewalk: perBackend,
      vm: perBackend,
      closure: perBackend,
      js: perBackend,
      wasm: perBackend,
    });
    expect(found.chosen).toBe("auto on js");
    expect(found.module).toBe(
      `${Math.sin(1.5) * -2.25 + Math.PI} generated ES module import()ed from a Blob URL, URL revoked, Main checked (2 parameters)`,
    );
  });

  it("under script-src 'self', has treewalk, vm and closure, and the default compile ends on closure", async () => {
    const { report: found } = await report("/strict");
    // Chromium logs each refused eval and wasm compile as a CSP violation; those are expected.
    expect(found.failures).toEqual([]);
    expect(found.backends).toEqual(["treewalk", "vm", "closure"]);
    expect(found.checked).toEqual({ treewalk: perBackend, vm: perBackend, closure: perBackend });
    expect(found.chosen).toBe("auto on closure");
  });

  it("with 'wasm-unsafe-eval' alone, has wasm back but not js, and the default compile ends on closure (faster per evaluation than wasm)", async () => {
    const { report: found } = await report("/wasm-only");
    expect(found.failures).toEqual([]);
    expect(found.backends).toEqual(["treewalk", "vm", "closure", "wasm"]);
    expect(found.chosen).toBe("auto on closure");
  });
});
