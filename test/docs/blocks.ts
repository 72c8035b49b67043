/**
 * The code blocks of the Markdown pages, as the examples test reads them.
 * A fenced block is runnable when its info string says `example`:
 *
 * - ```` ```ts example ````: TypeScript run against the package; every
 *   unindented line `EXPR; // remark → VALUE` is a check that EXPR shows
 *   as VALUE (see `show`); `→ throws Name: message` expects an error.
 * - ```` ```sh example ````: a shell session; `$ command` lines run (with
 *   `exprjit` meaning the built CLI), the lines after each are its output.
 * - `pending=FEATURE` added to either: the example shows a feature not on
 *   this branch; the test lists it as skipped, by name, until it lands.
 *
 * Only the parsing lives here; running is examples.test.ts's job.
 */

/** One fenced block of a page. */
export interface Block {
  /** The page, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** Words of the info string after the language. */
  readonly flags: readonly string[];
  /** The lines between the fences. */
  readonly body: readonly string[];
}

/** Every fenced block of `text` (fences of three or more backticks, indented or not). */
export function blocksOf(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    // A block may be indented (inside a list item); its lines lose that indent.
    const open = /^( *)(`{3,})(\S*)(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const indent = open[1] as string;
    const fence = `${indent}${open[2]}`;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith(fence); i++) {
      const text = lines[i] as string;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text);
    }
    const flags = (open[4] as string).trim().split(/\s+/).filter(Boolean);
    blocks.push({ file, line: start + 1, lang: open[3] as string, flags, body });
  }
  return blocks;
}

/** The feature a block waits for (`pending=sets`), if any. */
export function pendingOf(block: Block): string | undefined {
  const flag = block.flags.find((f) => f.startsWith("pending="));
  return flag?.slice("pending=".length);
}

/** A `// … → VALUE` check inside a ts example. */
export interface Check {
  /** 1-based line in the page. */
  readonly line: number;
  readonly expression: string;
  readonly expected: string;
}

/**
 * The ts example as a script for an async function: each check line becomes
 * `await __check(index, async () => (EXPR))`, everything else stays.
 */
export function scriptOf(block: Block): { script: string; checks: Check[] } {
  const checks: Check[] = [];
  const out = block.body.map((text, i) => {
    const arrow = text.lastIndexOf("→ ");
    const comment = arrow < 0 ? -1 : text.lastIndexOf("//", arrow);
    if (arrow < 0 || comment < 0 || /^\s/.test(text)) return text;
    const expression = text.slice(0, comment).trim().replace(/;$/, "");
    const expected = text.slice(arrow + 2).trim();
    checks.push({ line: block.line + 1 + i, expression, expected });
    return `await __check(${checks.length - 1}, async () => (${expression}));`;
  });
  return { script: out.join("\n"), checks };
}

/** One `$ command` of an sh example with the output the text gives it. */
export interface Session {
  readonly line: number;
  readonly command: string;
  readonly output: string;
}

/** The commands of an sh example. */
export function sessionsOf(block: Block): Session[] {
  const sessions: { line: number; command: string; output: string[] }[] = [];
  block.body.forEach((text, i) => {
    if (text.startsWith("$ ")) {
      sessions.push({ line: block.line + 1 + i, command: text.slice(2), output: [] });
    } else {
      sessions.at(-1)?.output.push(text);
    }
  });
  return sessions.map((s) => ({ ...s, output: s.output.join("\n") }));
}

/**
 * How a value reads in the docs: numbers as JavaScript prints them (with
 * `-0`), strings quoted, arrays and typed arrays with their elements.
 */
export function show(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Float64Array) return `Float64Array [${Array.from(value, show).join(", ")}]`;
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return String(value);
}
