/**
 * The playground tested as a person would use it: built by Vite as
 * `npm run playground:build` builds it, served from localhost, driven in
 * headless Chromium at 1280 px and 390 px wide, in light and dark schemes.
 * From the page itself it checks that nothing overflows sideways, the
 * "back-end" header stays on one line, every stage pane has content, the
 * compile times are cold figures in µs with three significant digits, the
 * plot's axes carry round labels, the benchmark is on screen at first view
 * and charts a bar per back-end, an invalid expression puts its caret
 * message where the plot was while the table keeps a row per back-end,
 * there is no console error, and under a strict Content-Security-Policy a
 * note names each back-end that cannot run and why. It also checks that
 * `vite playground` (what `npm run playground` runs) prints its URL.
 * Screenshots go to a temporary directory, removed afterwards, or to
 * EXPRJIT_PLAYGROUND_SHOTS when set (to look at them). It bundles dist/,
 * which `npm test` builds first.
 */

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { micros, nanos, ticks } from "../../playground/format.js";
import { decodeState, encodeState } from "../../playground/state.js";
import { type Browser, findChromium, launchChromium, serve } from "../support/chromium.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const executable = findChromium();
const ci = process.env.CI !== undefined && process.env.CI !== "";
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};
const STRICT = "script-src 'self'";

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

describe("the playground's number formats", () => {
  const labels = (low: number, high: number, count?: number) =>
    ticks(low, high, count).map((t) => t.label);

  it("puts ticks at round values, labelled with the digits the step needs", () => {
    expect(labels(-10, 10, 5)).toEqual(["-10", "-5", "0", "5", "10"]);
    expect(labels(-15, 15, 6)).toEqual(["-15", "-10", "-5", "0", "5", "10", "15"]);
    expect(labels(0, 1, 4)).toEqual(["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    expect(labels(-0.93, 59.83, 6)).toEqual(["0", "10", "20", "30", "40", "50"]);
    expect(labels(1200, 9800, 4)).toEqual(["2,000", "4,000", "6,000", "8,000"]);
    expect(labels(1e7, 5e7, 2)).toEqual(["2e+7", "4e+7"]);
    expect(labels(1, 1)).toEqual([]);
    expect(labels(0, Number.NaN)).toEqual([]);
  });

  it("gives durations three significant digits", () => {
    expect([4.0712, 23.44, 137.2, 1820.4, 0.5].map(micros)).toEqual([
      "4.07 µs",
      "23.4 µs",
      "137 µs",
      "1,820 µs",
      "0.50 µs",
    ]);
    expect([99.97, 9.999, 0.004].map(micros)).toEqual(["100 µs", "10.0 µs", "0.00 µs"]);
    expect(nanos(3.123)).toBe("3.12 ns");
    expect(micros(Number.NaN)).toBe("—");
  });
});

/** Elements that stick out past the page's right edge (content of a scrolling box excepted). */
const OVERFLOW = `(() => {
  const limit = document.documentElement.clientWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > limit)
    bad.push("page " + document.documentElement.scrollWidth + " > " + limit);
  for (const el of document.querySelectorAll("body *")) {
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") { clipped = true; break; }
    }
    const r = el.getBoundingClientRect();
    if (!clipped && r.width > 0 && r.right > limit + 0.5)
      bad.push(el.tagName + (el.id ? "#" + el.id : "") + "." + el.className + " right " + Math.round(r.right));
  }
  return bad;
})()`;

/** How many lines the text of each shown results header takes. */
const HEADER_LINES = `[...document.querySelectorAll("#results th")].map((th) => {
  const range = document.createRange();
  range.selectNodeContents(th);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
}).filter((lines) => lines > 0)`;

describe.skipIf(executable === undefined && !ci)("the playground in Chromium", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  // Made in beforeAll, not here: a run that filters these tests out must leave nothing behind.
  let out = "";
  let shots = "";

  beforeAll(async () => {
    if (executable === undefined) throw new Error("no chromium on PATH (.ci/run installs it)");
    out = mkdtempSync(join(tmpdir(), "exprjit-playground-"));
    const site = join(out, "site");
    shots = process.env.EXPRJIT_PLAYGROUND_SHOTS ?? join(out, "shots");
    mkdirSync(shots, { recursive: true });
    await build({
      configFile: fileURLToPath(new URL("../../playground/vite.config.ts", import.meta.url)),
      build: { outDir: site, emptyOutDir: true },
      logLevel: "silent",
    });
    server = await serve((path) => {
      // /strict is the same page under a policy that forbids generating code.
      const strict = path === "/strict";
      const file = normalize(join(site, path === "/" || strict ? "index.html" : path));
      if (!file.startsWith(site)) return undefined;
      try {
        return {
          body: readFileSync(file),
          type: TYPES[extname(file)] ?? "application/octet-stream",
          ...(strict ? { headers: { "content-security-policy": STRICT } } : {}),
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

  async function open(
    hash = "",
    { width = 1280, path = "/", scheme = "light" as "light" | "dark" } = {},
  ): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${server.url}${path}${hash}`);
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
  const panes = (page: Page) =>
    page.$$eval("#stages [data-stage]", (all) =>
      all.map((pane) => [
        pane.getAttribute("data-stage"),
        pane.querySelector(".stage-body")?.textContent?.trim() ?? "",
      ]),
    );
  /** Waits for the cold compile times, measured once typing pauses. */
  const times = async (page: Page) => {
    await page.waitForFunction(
      `[...document.querySelectorAll("#results td.time")].every((td) => td.textContent !== "…")`,
    );
    return page.$$eval("#results tbody tr", (rows) =>
      rows.map((row) => [
        row.getAttribute("data-backend"),
        row.querySelector(".time")?.textContent,
      ]),
    );
  };
  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: join(shots, name), fullPage: true });

  it("shows -2.8 on every back-end for 1+1.2-5, every stage pane filled, and no console error", async () => {
    const { page, errors } = await open();
    await page.fill("#expression", "1+1.2-5");
    expect(await results(page)).toEqual([
      ["treewalk", "-2.8"],
      ["vm", "-2.8"],
      ["closure", "-2.8"],
      ["js", "-2.8"],
      ["wasm", "-2.8"],
      ["native", "not here"],
    ]);
    const filled = await panes(page);
    expect(filled.map(([id]) => id)).toEqual([
      "tokens",
      "tree",
      "treewalk",
      "vm",
      "closure",
      "js",
      "wasm",
      "derivative",
      "sql-duckdb",
      "sql-postgres",
      "sql-clickhouse",
    ]);
    expect(filled.filter(([, text]) => text === "")).toEqual([]);
    expect(filled.find(([id]) => id === "wasm")?.[1]).toContain("f64.const -2.8");
    expect(filled.find(([id]) => id === "js")?.[1]).toMatch(/return \(?-2\.8\)?;/);
    expect(new URL(page.url()).hash).toBe("#e=1%2B1.2-5&from=-10&to=10");
    expect(await page.isVisible("#csp-note")).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("gives cold compile times in µs with three significant digits, and says how they are made", async () => {
    const { page, errors } = await open("#e=sin(x)*y%2Bcos(pi%2Fy)&x=1&y=2");
    const got = await times(page);
    expect(got.map(([name]) => name)).toEqual([
      "treewalk",
      "vm",
      "closure",
      "js",
      "wasm",
      "native",
    ]);
    for (const [name, text] of got.slice(0, 5)) {
      expect(text, name ?? "").toMatch(/^(\d\.\d\d|\d\d\.\d|\d{3}|\d,\d{3}|\d+,\d{3}) µs$/);
    }
    expect(got[5]).toEqual(["native", "—"]);
    expect(await page.textContent("#compile-note")).toContain("the first call not included");
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const width of [1280, 390]) {
    for (const scheme of ["light", "dark"] as const) {
      it(`fits ${width} px (${scheme}): no sideways overflow, one-line headers, the benchmark placed`, async () => {
        const { page, errors } = await open("#e=sin(x)*x%5E2%2By&x=2&y=-0.5&plot=x", {
          width,
          scheme,
        });
        await times(page);
        expect(await page.evaluate(OVERFLOW)).toEqual([]);
        // At 390 px the "how" column becomes a line under each row, its header hidden.
        expect(await page.evaluate(HEADER_LINES)).toEqual(
          width === 1280 ? [1, 1, 1, 1] : [1, 1, 1],
        );
        if (width === 1280) {
          // On a desktop screen the benchmark and its button are in the first view, unscrolled.
          const button = await page.locator("#bench").boundingBox();
          expect(button).not.toBeNull();
          expect((button?.y ?? 800) + (button?.height ?? 0)).toBeLessThanOrEqual(800);
        }
        await page.click("#bench");
        await page.waitForSelector("#bench-chart[data-bars='5']", { timeout: 60_000 });
        expect(await page.evaluate(OVERFLOW)).toEqual([]);
        await shoot(page, `playground-${width}-${scheme}.png`);
        expect(statSync(join(shots, `playground-${width}-${scheme}.png`)).size).toBeGreaterThan(
          20_000,
        );
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it("shows the caret error where the plot was, keeping a table row per back-end", async () => {
    const { page, errors } = await open();
    await page.fill("#expression", "1 + * 2");
    const caret = "error: expected an operand after '+', found '*'\n  1 | 1 + * 2\n    |     ^";
    expect(await page.isVisible("#plot-card #error")).toBe(true);
    expect(await page.textContent("#error")).toBe(caret);
    expect(await page.isVisible("#plot")).toBe(false);
    expect(await results(page)).toEqual([
      ["treewalk", "syntax error"],
      ["vm", "syntax error"],
      ["closure", "syntax error"],
      ["js", "syntax error"],
      ["wasm", "syntax error"],
      ["native", "not here"],
    ]);
    expect(await page.$$eval("#results td.how", (all) => all.map((td) => td.textContent))).toEqual(
      expect.arrayContaining(["bytecode compiler + stack VM"]),
    );
    expect(await page.isDisabled("#bench")).toBe(true);
    expect((await panes(page)).every(([, text]) => text === caret)).toBe(true);
    expect(await page.evaluate(OVERFLOW)).toEqual([]);
    await shoot(page, "playground-error-1280.png");
    await page.fill("#expression", "1 + 2");
    expect(await page.isVisible("#error")).toBe(false);
    expect(await page.isVisible("#plot")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("reproduces a link: expression, slider values and the plot, which draws", async () => {
    const { page } = await open("#e=x*y&x=2&y=-3&plot=y&from=-5&to=5");
    expect(await page.inputValue("#expression")).toBe("x*y");
    expect(await results(page)).toContainEqual(["vm", "-6"]);
    expect(await page.inputValue("#plot-var")).toBe("y");
    expect(Number(await page.getAttribute("#plot", "data-points"))).toBe(481);
    // The derivative by y (x = 2, a constant line) is drawn beside it.
    expect(Number(await page.getAttribute("#plot", "data-slope-points"))).toBe(481);
    // Moving a slider updates the results and the URL.
    await page.$eval("input[data-var='x']", (slider) => {
      (slider as unknown as { value: string }).value = "0.5";
      slider.dispatchEvent(new Event("input"));
    });
    expect(await results(page)).toContainEqual(["wasm", "-1.5"]);
    expect(new URL(page.url()).hash).toBe("#e=x*y&x=0.5&y=-3&plot=y&from=-5&to=5");
    await page.close();
  });

  it("labels both axes of the plot with round values", async () => {
    // x*y with x = 3 over y in [-5, 5]: y values from -15 to 15.
    const { page } = await open("#e=x*y&x=3&y=0&plot=y&from=-5&to=5");
    const read = async (name: string) =>
      JSON.parse((await page.getAttribute("#plot", name)) ?? "[]") as string[];
    expect(await read("data-y-ticks")).toEqual(["-15", "-10", "-5", "0", "5", "10", "15"]);
    const xs = await read("data-x-ticks");
    expect(xs.length).toBeGreaterThanOrEqual(3);
    expect(xs.every((label) => /^-?\d(\.\d)?$/.test(label))).toBe(true);
    expect(xs).toContain("0");
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

  it("measures every back-end and labels each bar in ns", async () => {
    const { page } = await open("#e=x%5E2%2B1&x=3");
    await page.click("#bench");
    await page.waitForSelector("#bench-chart[data-bars='5']", { timeout: 60_000 });
    const labels = JSON.parse((await page.getAttribute("#bench-chart", "data-labels")) ?? "[]");
    expect(labels).toHaveLength(5);
    for (const label of labels) expect(label).toMatch(/^[\d,.]+ ns$/);
    await page.close();
  });

  it("names, under a strict CSP, each back-end that cannot run and why", async () => {
    const { page } = await open("#e=x%2B1&x=2", { path: "/strict", width: 390 });
    expect(await results(page)).toEqual([
      ["treewalk", "3"],
      ["vm", "3"],
      ["closure", "3"],
      ["js", "not here"],
      ["wasm", "not here"],
      ["native", "not here"],
    ]);
    expect(await page.isVisible("#csp-note")).toBe(true);
    const note = (await page.textContent("#csp-note")) ?? "";
    expect(note).toContain("Content-Security-Policy");
    expect(note).toMatch(/js: .*(unsafe-eval|code generation|new Function)/i);
    expect(note).toMatch(/wasm: .*(wasm-unsafe-eval|WebAssembly)/i);
    expect(note).not.toContain("native");
    const filled = await panes(page);
    expect(filled.filter(([, text]) => text === "")).toEqual([]);
    expect(filled.find(([id]) => id === "js")?.[1]).toMatch(/^js does not run in this page: /);
    expect(await page.evaluate(OVERFLOW)).toEqual([]);
    await shoot(page, "playground-strict-390.png");
    await page.close();
  });
});

describe("npm run playground", () => {
  let work = "";
  afterAll(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("prints the URL it serves", async () => {
    const port = await new Promise<number>((done, fail) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => (typeof address === "object" && address ? done(address.port) : fail()));
      });
    });
    // The playground's own config, with Vite's dependency cache moved to a directory removed
    // afterwards: a dev server stopped while scanning would leave its temporary files behind.
    work = mkdtempSync(join(tmpdir(), "exprjit-vite-"));
    const config = join(work, "vite.config.mjs");
    const playgroundConfig = join(ROOT, "playground", "vite.config.ts");
    writeFileSync(
      config,
      `import base from ${JSON.stringify(playgroundConfig)};\nexport default { ...base, cacheDir: ${JSON.stringify(join(work, "cache"))} };\n`,
    );
    const vite = join(ROOT, "node_modules", "vite", "bin", "vite.js");
    // What the script runs after its build, on a free port so parallel runs cannot collide.
    const args = [vite, "--config", config, "--port", String(port), "--strictPort"];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const printed = await new Promise<string>((done, fail) => {
        let text = "";
        const timer = setTimeout(() => fail(new Error(`no URL printed; got ${text}`)), 30_000);
        const read = (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes(`:${port}/`)) {
            clearTimeout(timer);
            done(text);
          }
        };
        child.stdout.on("data", read);
        child.stderr.on("data", read);
        child.on("exit", () => fail(new Error(`vite exited; printed ${text}`)));
      });
      expect(printed).toContain(`http://localhost:${port}/`);
    } finally {
      const exited = new Promise((done) => child.once("exit", done));
      if (child.exitCode === null) child.kill();
      await exited;
    }
  });
});
