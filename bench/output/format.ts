/**
 * Number and table formatting shared by the terminal table and the
 * Markdown report: one renderer for aligned plain text, one for Markdown,
 * both fed the same {@link Table}.
 */

/** A titled table, renderable as text or Markdown. */
export interface Table {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** A sentence under the title saying what the numbers are. */
  readonly note?: string;
}

/** A figure with about three significant digits, grouped thousands, no exponent; "—" when missing. */
export function num(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A ratio such as "3.2×". */
export function times(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? "—" : `${num(value)}×`;
}

/** A count of evaluations: "never", or "≈ 1,234" with large ones as powers of ten. */
export function count(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return "never";
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  return Math.ceil(n).toLocaleString("en-US");
}

/** Aligned plain text: first column left, the rest right. */
export function renderText(table: Table): string {
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const note = table.note === undefined ? [] : [table.note];
  return [table.title, ...note, line(table.headers), rule, ...table.rows.map(line)].join("\n");
}

/** A Markdown table under a level-3 heading; cells escaped for pipes. */
export function renderMarkdown(table: Table): string {
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const row = (cells: readonly string[]) => `| ${cells.map(esc).join(" | ")} |`;
  const align = table.headers.map((_, c) => (c === 0 ? "---" : "---:"));
  const note = table.note === undefined ? [] : [table.note, ""];
  return [
    `### ${table.title}`,
    "",
    ...note,
    row(table.headers),
    `| ${align.join(" | ")} |`,
    ...table.rows.map(row),
  ].join("\n");
}

/** The target auto's measured total is held to: within this factor of the cheapest single back-end. */
export const AUTO_TARGET = 1.25;
