/**
 * Regenerates docs/playground.png, the README's picture of the playground:
 * builds it with Vite into a temporary directory, serves it on localhost,
 * and photographs it in the system's headless Chromium.
 *
 *   npm run build && npx tsx scripts/playground-screenshot.ts
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { findChromium, launchChromium, serve } from "../test/support/chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "exprjit-screenshot-"));
const executable = findChromium();
if (executable === undefined) throw new Error("no chromium on PATH");
try {
  await build({
    configFile: join(root, "playground", "vite.config.ts"),
    build: { outDir: out, emptyOutDir: true },
    logLevel: "silent",
  });
  const types: Record<string, string> = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
  };
  const server = await serve((path) => {
    const file = normalize(join(out, path === "/" ? "index.html" : path));
    try {
      return { body: readFileSync(file), type: types[extname(file)] ?? "application/octet-stream" };
    } catch {
      return undefined;
    }
  });
  const browser = await launchChromium(executable);
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1080 });
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(`${server.url}/#e=sin(x)*x%5E2%2By&x=2&y=-0.5&plot=x&from=-10&to=10`);
    await page.waitForSelector("#results tbody tr");
    await page.click("#bench");
    await page.waitForSelector("#bench-chart[data-bars]", { timeout: 60_000 });
    // The cold compile times, measured once typing pauses.
    await page.waitForFunction(
      `[...document.querySelectorAll("#results td.time")].every((td) => td.textContent !== "…")`,
    );
    await page.screenshot({ path: join(root, "docs", "playground.png"), fullPage: false });
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
