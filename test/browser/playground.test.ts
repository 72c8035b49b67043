/**
 * The playground, built by Vite as `npm run playground:build` builds it,
 * served from localhost and driven in headless Chromium: it loads with no
 * console error, `1+1.2-5` shows -2.8 on every back-end, an error shows its
 * caret, the URL round-trips, the plot draws and the benchmark charts a bar
 * per back-end. It bundles dist/, which `npm test` builds first.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeState, encodeState } from "../../playground/state.js";
import { type Browser, findChromium, launchChromium, serve } from "../support/chromium.js";

const executable = findChromium();
const ci = process.env.CI !== undefined && process.env.CI !== "";
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};

describe("the playground's URL state", () => {
  it("round-trips the expression, variables and plot range", () => {
    const state = {
      expression: "x^2 + y ? 1 : 0",
      vars: { x: 1.5, y: -0.25 },
      plot: "y",
      from: -2,
      to: 3,
    };
    expect(decodeState(`#${encodeState(state)}`)).toEqual(state);
    expect(encodeState(state)).toBe("e=x%5E2+%2B+y+%3F+1+%3A+0&x=1.5&y=-0.25&plot=y&from=-2&to=3");
  });

  it("falls back to defaults for what is missing or malformed", () => {
    expect(decodeState("#e=1&from=abc&x=nope&2bad=1")).toEqual({
      expression: "1",
      vars: {},
      from: -10,
      to: 10,
    });
  });
});

describe.skipIf(executable === undefined && !ci)("the playground in Chromium", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  // Made in beforeAll, not here: a run that filters these tests out must leave nothing behind.
  let out = "";

  beforeAll(async () => {
    if (executable === undefined) throw new Error("no chromium on PATH (.ci/run installs it)");
    out = mkdtempSync(join(tmpdir(), "exprjit-playground-"));
    await build({
      configFile: fileURLToPath(new URL("../../playground/vite.config.ts", import.meta.url)),
      build: { outDir: out, emptyOutDir: true },
      logLevel: "silent",
    });
    server = await serve((path) => {
      const file = normalize(join(out, path === "/" ? "index.html" : path));
      if (!file.startsWith(out)) return undefined;
      try {
        return {
          body: readFileSync(file),
          type: TYPES[extname(file)] ?? "application/octet-stream",
        };
      } catch {
        return undefined;
      }
    });
    browser = await launchChromium(executable);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (out !== "") rmSync(out, { recursive: true, force: true });
  });

  async function open(hash = ""): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${server.url}/${hash}`);
    await page.waitForSelector("#results tbody tr");
    return { page, errors };
  }

  const results = (page: Page) =>
    page.$$eval("#results tbody tr", (rows) =>
      rows.map((row) => [
        row.getAttribute("data-backend"),
        row.querySelector(".result")?.textContent,
      ]),
    );

  it("shows -2.8 on every back-end for 1+1.2-5, with each stage, and no console error", async () => {
    const { page, errors } = await open();
    await page.fill("#expression", "1+1.2-5");
    expect(await results(page)).toEqual([
      ["treewalk", "-2.8"],
      ["vm", "-2.8"],
      ["closure", "-2.8"],
      ["js", "-2.8"],
      ["wasm", "-2.8"],
    ]);
    const stages = await page.$$eval("#stages details", (all) =>
      all.map((d) => d.getAttribute("data-stage")),
    );
    expect(stages).toEqual([
      "tokens",
      "syntax tree",
      "lowered program (what every back-end receives): tree",
      "vm: bytecode",
      "closure: closure tree",
      "js: generated JavaScript",
      "wasm: WebAssembly text (WAT)",
    ]);
    expect(
      await page.textContent("#stages details[data-stage='wasm: WebAssembly text (WAT)'] pre"),
    ).toContain("f64.const -2.8");
    expect(new URL(page.url()).hash).toBe("#e=1%2B1.2-5&from=-10&to=10");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the caret error while the expression is wrong", async () => {
    const { page } = await open();
    await page.fill("#expression", "1 + * 2");
    expect(await page.isVisible("#error")).toBe(true);
    expect(await page.textContent("#error")).toBe(
      "error: expected an operand after '+', found '*'\n  1 | 1 + * 2\n    |     ^",
    );
    await page.fill("#expression", "1 + 2");
    expect(await page.isVisible("#error")).toBe(false);
    await page.close();
  });

  it("reproduces a link: expression, slider values and the plot, which draws", async () => {
    const { page } = await open("#e=x*y&x=2&y=-3&plot=y&from=-5&to=5");
    expect(await page.inputValue("#expression")).toBe("x*y");
    expect(await results(page)).toContainEqual(["vm", "-6"]);
    expect(await page.inputValue("#plot-var")).toBe("y");
    expect(Number(await page.getAttribute("#plot", "data-points"))).toBe(481);
    // Moving a slider updates the results and the URL.
    await page.$eval("input[data-var='x']", (slider) => {
      (slider as unknown as { value: string }).value = "0.5";
      slider.dispatchEvent(new Event("input"));
    });
    expect(await results(page)).toContainEqual(["wasm", "-1.5"]);
    expect(new URL(page.url()).hash).toBe("#e=x*y&x=0.5&y=-3&plot=y&from=-5&to=5");
    await page.close();
  });

  it("plots the chosen variable's column with the others at their sliders' values", async () => {
    // sqrt(y - x) with x = 1 over y in [-5, 5]: finite only for y >= 1, 193 of the 481 samples.
    // Were the range given to x instead (y = -3), no sample would be finite.
    const { page } = await open("#e=sqrt(y-x)%2Bz&x=1&y=-3&z=0&plot=y&from=-5&to=5");
    expect(await page.inputValue("#plot-var")).toBe("y");
    expect(Number(await page.getAttribute("#plot", "data-points"))).toBe(193);
    await page.close();
  });

  it("measures every back-end and draws a bar for each", async () => {
    const { page } = await open("#e=x%5E2%2B1&x=3");
    await page.click("#bench");
    await page.waitForSelector("#bench-chart[data-bars='5']", { timeout: 30_000 });
    await page.close();
  });
});
