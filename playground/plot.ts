/**
 * The canvas charts: the expression over one variable's range, with round
 * ticks labelled on both axes, and the benchmark's bars. Colours come from
 * the page's CSS variables, so both follow the light or dark scheme; the
 * canvas is sized to its box at the screen's pixel ratio on every draw.
 * Each chart leaves what it drew in data attributes, for the tests.
 */

import { nanos, ticks } from "./format.js";

/** The CSS variable `name` of the page, e.g. `--fg`. */
function colour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** Sizes the canvas's bitmap to its CSS box and returns a context in CSS pixels. */
function prepare(canvas: HTMLCanvasElement): CanvasRenderingContext2D | undefined {
  const context = canvas.getContext("2d");
  if (context === null) return undefined;
  const ratio = window.devicePixelRatio || 1;
  const { width, height } = canvas.getBoundingClientRect();
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.max(1, Math.round(height * ratio));
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.font = "12px ui-sans-serif, system-ui, sans-serif";
  return context;
}

/**
 * Plots `ys` over `xs`, and with `slopes` the derivative beside it (dashed,
 * on the same axes); returns the number of finite points of `ys` drawn.
 */
export function drawPlot(
  canvas: HTMLCanvasElement,
  xs: Float64Array,
  ys: Float64Array,
  names: { x: string; y: string },
  slopes?: Float64Array,
): number {
  const context = prepare(canvas);
  canvas.dataset.points = "0";
  canvas.dataset.slopePoints = "0";
  canvas.dataset.xTicks = "[]";
  canvas.dataset.yTicks = "[]";
  if (context === undefined) return 0;
  const { width, height } = canvas.getBoundingClientRect();
  const finite = [...ys, ...(slopes ?? [])].filter(Number.isFinite);
  const from = xs[0] as number;
  const to = xs[xs.length - 1] as number;
  let low = finite.length === 0 ? -1 : Math.min(...finite);
  let high = finite.length === 0 ? 1 : Math.max(...finite);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const yTicks = ticks(low, high, Math.max(2, Math.round(height / 50)));
  const xTicks = ticks(from, to, Math.max(2, Math.round(width / 90)));
  const gutter = Math.max(...yTicks.map((t) => context.measureText(t.label).width), 10) + 10;
  const left = gutter;
  const right = width - 8;
  const top = 10;
  const bottom = height - 34;
  const px = (x: number) => left + ((x - from) / (to - from)) * (right - left);
  const py = (y: number) => bottom - ((y - low) / (high - low)) * (bottom - top);

  context.strokeStyle = colour("--grid");
  context.fillStyle = colour("--muted");
  context.lineWidth = 1;
  context.textBaseline = "middle";
  context.textAlign = "right";
  for (const t of yTicks) {
    const y = Math.round(py(t.value)) + 0.5;
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(right, y);
    context.stroke();
    context.fillText(t.label, left - 6, y);
  }
  context.textBaseline = "top";
  context.textAlign = "center";
  for (const t of xTicks) {
    const x = Math.round(px(t.value)) + 0.5;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, bottom);
    context.stroke();
    context.fillText(t.label, x, bottom + 4);
  }
  context.textAlign = "right";
  context.fillText(names.x, right, bottom + 19);
  context.textAlign = "left";
  context.fillStyle = colour("--accent");
  context.fillText(names.y, left + 4, top);
  if (slopes !== undefined) {
    context.fillStyle = colour("--slope");
    context.fillText(`slope d/d${names.x} (dashed)`, left + 4, top + 16);
  }

  /** One series as a line broken where it is not finite; returns its points drawn. */
  const line = (values: Float64Array, stroke: string, dash: number[]): number => {
    context.strokeStyle = colour(stroke);
    context.lineWidth = 2;
    context.setLineDash(dash);
    context.beginPath();
    let drawing = false;
    let points = 0;
    for (let i = 0; i < xs.length; i++) {
      const y = values[i] as number;
      if (!Number.isFinite(y)) {
        drawing = false;
        continue;
      }
      if (drawing) context.lineTo(px(xs[i] as number), py(y));
      else context.moveTo(px(xs[i] as number), py(y));
      drawing = true;
      points++;
    }
    context.stroke();
    context.setLineDash([]);
    return points;
  };
  if (slopes !== undefined) canvas.dataset.slopePoints = String(line(slopes, "--slope", [6, 4]));
  const points = line(ys, "--accent", []);
  canvas.dataset.points = String(points);
  canvas.dataset.xTicks = JSON.stringify(xTicks.map((t) => t.label));
  canvas.dataset.yTicks = JSON.stringify(yTicks.map((t) => t.label));
  return points;
}

/** One horizontal bar per back-end, labelled with its ns per call. */
export function drawBars(
  canvas: HTMLCanvasElement,
  rows: readonly { name: string; ns: number }[],
): void {
  const bar = 28;
  canvas.style.height = `${rows.length * bar + 8}px`;
  const context = prepare(canvas);
  if (context === undefined) return;
  const { width } = canvas.getBoundingClientRect();
  const most = Math.max(...rows.map((r) => r.ns), 1e-9);
  const label = 70;
  const room = width - label - 80;
  context.textBaseline = "middle";
  rows.forEach((row, i) => {
    const length = Math.max(2, (room * row.ns) / most);
    const y = i * bar + 4;
    context.fillStyle = colour("--accent");
    context.fillRect(label, y, length, bar - 8);
    context.fillStyle = colour("--fg");
    context.textAlign = "left";
    context.fillText(row.name, 0, y + (bar - 8) / 2);
    context.fillText(nanos(row.ns), label + length + 6, y + (bar - 8) / 2);
  });
  canvas.dataset.bars = String(rows.length);
  canvas.dataset.labels = JSON.stringify(rows.map((r) => nanos(r.ns)));
}
