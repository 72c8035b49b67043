/**
 * The documentation's examples run and print what the text says: every
 * block marked `example` in README.md and docs/*.md (see blocks.ts for the
 * marks). ts examples run against the package's source; sh examples run in
 * bash with `exprjit` meaning the built CLI (dist/, which `npm test` builds
 * first). Examples of features not on this branch are skipped by name, from
 * the PENDING list below, and that list fails as soon as its feature is
 * exported, so a skip cannot outlive its reason. Also checked: the relative
 * links resolve, and README quotes the benchmark report's headline verbatim.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { HEADLINE_PREFIX } from "../../bench/output/headline.js";
import * as exprjit from "../../src/index.js";
import { type Block, blocksOf, pendingOf, scriptOf, sessionsOf, show } from "./blocks.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist", "cli", "main.js");

/**
 * Features whose examples are written but whose code is on another branch:
 * the export that brings each, and where it comes from. The integrator
 * deletes an entry (and the `pending=` marks) when merging its branch.
 */
// Empty: every feature the docs show is exported. A feature still to come is listed here.
const PENDING: Readonly<Record<string, { export: string; from: string }>> = {};

const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
const BLOCKS: Block[] = PAGES.flatMap((file) =>
  blocksOf(file, readFileSync(join(ROOT, file), "utf8")),
);
const EXAMPLES = BLOCKS.filter((b) => b.flags.includes("example"));
const where = (b: { file: string; line: number }) => `${b.file}:${b.line}`;

describe("the docs' examples are marked", () => {
  it("finds examples in the README and the API and CLI pages", () => {
    for (const page of ["README.md", "docs/API.md", "docs/CLI.md"]) {
      expect(EXAMPLES.filter((b) => b.file === page).length, page).toBeGreaterThan(0);
    }
  });

  it("marks every block that looks runnable (a ts check or a $ exprjit session)", () => {
    const unmarked = BLOCKS.filter(
      (b) =>
        !b.flags.includes("example") &&
        ((["ts", "js"].includes(b.lang) && b.body.some((l) => /^\S.*\/\/.*→ /.test(l))) ||
          (b.lang === "sh" && b.body.some((l) => l.startsWith("$ ")))),
    );
    expect(unmarked.map(where)).toEqual([]);
  });

  it("names only pending features of the PENDING list, each still missing from the package", () => {
    const unknown = EXAMPLES.filter((b) => {
      const p = pendingOf(b);
      return p !== undefined && !(p in PENDING);
    });
    expect(unknown.map(where)).toEqual([]);
    for (const [feature, { export: name }] of Object.entries(PENDING)) {
      expect(
        name in exprjit,
        `${name} is exported now: enable the pending=${feature} examples`,
      ).toBe(false);
    }
  });
});

/** Runs one ts example; returns a line per check that did not show its expected text. */
async function runTs(block: Block): Promise<string[]> {
  const { script, checks } = scriptOf(block);
  const { code } = await transform(script, { loader: "ts", format: "esm", target: "es2022" });
  const body = code.replace(
    /import\s*\{([^}]*)\}\s*from\s*"exprjit";?/g,
    (_, names: string) => `const {${names.replace(/\s+as\s+/g, ": ")}} = __exprjit;`,
  );
  if (/\bimport\b/.test(body)) throw new Error(`${where(block)}: imports only from "exprjit"`);
  const failures: string[] = [];
  const check = async (index: number, run: () => Promise<unknown>) => {
    const { line, expression, expected } = checks[index] as (typeof checks)[number];
    let got: string;
    try {
      got = show(await run());
    } catch (error) {
      got = error instanceof Error ? `throws ${error.name}: ${error.message}` : String(error);
    }
    if (got !== expected) failures.push(`${block.file}:${line}: ${expression} → ${got}`);
  };
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction("__exprjit", "__check", body)(exprjit, check);
  expect(checks.length, `${where(block)} has no → check`).toBeGreaterThan(0);
  return failures;
}

/** Runs one sh example in bash; returns a line per command whose output differs. */
function runSh(block: Block): string[] {
  const sessions = sessionsOf(block);
  expect(sessions.length, `${where(block)} has no $ command`).toBeGreaterThan(0);
  const failures: string[] = [];
  for (const { line, command, output } of sessions) {
    const run = spawnSync(
      "bash",
      ["-c", `exprjit() { "$EXPRJIT_NODE" "$EXPRJIT_CLI" "$@"; }\n${command} 2>&1`],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 30_000,
        env: {
          ...process.env,
          EXPRJIT_NODE: process.execPath,
          EXPRJIT_CLI: CLI,
          NO_COLOR: "1",
        },
      },
    );
    const got = run.stdout.replace(/\n+$/, "");
    if (got !== output.replace(/\n+$/, "")) {
      failures.push(
        `${block.file}:${line}: $ ${command}\n--- the text says\n${output}\n--- got\n${got}`,
      );
    }
  }
  return failures;
}

describe("every example prints what the text says", () => {
  for (const block of EXAMPLES) {
    const pending = pendingOf(block);
    const name = `${where(block)} (${block.lang})`;
    const waiting = pending === undefined ? undefined : PENDING[pending];
    if (waiting !== undefined) {
      const { export: api, from } = waiting;
      it.skip(`${name}: pending ${api}, from ${from}`, () => {});
      continue;
    }
    it(name, async () => {
      if (block.lang === "ts") expect(await runTs(block)).toEqual([]);
      else if (block.lang === "sh") {
        expect(existsSync(CLI), "the sh examples run dist/: npm run build").toBe(true);
        expect(runSh(block)).toEqual([]);
      } else throw new Error(`${name}: examples are ts or sh`);
    });
  }
});

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes. */
function anchorsOf(file: string): Set<string> {
  const headings = readFileSync(file, "utf8").match(/^#{1,6} .*$/gm) ?? [];
  return new Set(
    headings.map((h) =>
      h
        .replace(/^#+ /, "")
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

describe("the docs hold together", () => {
  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      const text = readFileSync(join(ROOT, page), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const [path = "", anchor] = (target as string).split("#");
        if (/^[a-z]+:/.test(path)) continue;
        const file = path === "" ? join(ROOT, page) : join(ROOT, dirname(page), path);
        if (!existsSync(file)) broken.push(`${page}: ${target}`);
        else if (anchor !== undefined && file.endsWith(".md") && !anchorsOf(file).has(anchor)) {
          broken.push(`${page}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("README quotes the benchmark report's headline, generated by the benchmark", () => {
    const report = readFileSync(join(ROOT, "docs/benchmarks/REPORT.md"), "utf8");
    const line = report.split("\n").find((l) => l.startsWith(HEADLINE_PREFIX));
    expect(line, "REPORT.md has no headline line").toBeDefined();
    const sentence = (line as string).slice(HEADLINE_PREFIX.length);
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").replace(/\s*\n>?\s*/g, " ");
    expect(readme).toContain(sentence);
  });

  it("keeps the README under 250 lines", () => {
    const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n").length;
    expect(lines).toBeLessThanOrEqual(250);
  });
});
