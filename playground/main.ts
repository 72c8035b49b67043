/**
 * The playground page: every stage of one expression, live, through
 * exprjit's public API only (`import … from "exprjit"`, as any user's page
 * would). Typing re-renders tokens, tree, each back-end's artefact, result
 * and compile time, the caret error, the variables' sliders and the plot;
 * the state lives in the URL's hash (state.ts).
 */

import {
  type BackendName,
  backends,
  type Compiled,
  compile,
  type Expr,
  ExprError,
  formatNumber,
  lex,
  parse,
  type Token,
} from "exprjit";
import { DEFAULT_STATE, decodeState, encodeState, type PlaygroundState } from "./state.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>("expression");
const errorBox = $<HTMLPreElement>("error");
const varsBox = $<HTMLDivElement>("vars");
const resultsBody = $<HTMLTableElement>("results").tBodies[0] as HTMLTableSectionElement;
const plotVar = $<HTMLSelectElement>("plot-var");
const plotFrom = $<HTMLInputElement>("plot-from");
const plotTo = $<HTMLInputElement>("plot-to");
const plotCanvas = $<HTMLCanvasElement>("plot");
const benchButton = $<HTMLButtonElement>("bench");
const benchCanvas = $<HTMLCanvasElement>("bench-chart");
const stagesBox = $<HTMLElement>("stages");

/** What the page shows now. */
let state: PlaygroundState = decodeState(location.hash);
if (location.hash === "") state = DEFAULT_STATE;
/** The current expression compiled by every back-end that runs in this page. */
let compiled: { name: BackendName; code: Compiled; ms: number }[] = [];
let variables: readonly string[] = [];

/** `el("td", { className: "x" }, "text")`: a small element builder. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function varValue(name: string): number {
  return state.vars[name] ?? 1;
}

function setState(next: PlaygroundState): void {
  state = next;
  history.replaceState(null, "", `#${encodeState(state)}`);
}

/** Everything that follows from the expression. */
function update(): void {
  const source = state.expression;
  for (const c of compiled) c.code.dispose();
  compiled = [];
  stagesBox.replaceChildren();
  let tokens: readonly Token[] | undefined;
  let tree: Expr | undefined;
  try {
    tokens = lex(source);
    tree = parse(source);
    for (const name of backends) {
      const started = performance.now();
      const code = compile(source, { backend: name });
      compiled.push({ name, code, ms: performance.now() - started });
    }
    errorBox.hidden = true;
    errorBox.textContent = "";
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    errorBox.hidden = false;
    errorBox.textContent = error.format();
  }
  variables = compiled[0]?.code.variables ?? variables;
  renderVars();
  renderResults();
  renderStages(source, tokens, tree);
  renderPlotChoices();
  plot();
}

function renderVars(): void {
  varsBox.replaceChildren();
  if (variables.length === 0) varsBox.append(el("p", {}, "none: the expression is a constant"));
  for (const name of variables) {
    const output = el("output", {}, formatNumber(varValue(name)));
    const slider = el("input", {
      type: "range",
      min: "-10",
      max: "10",
      step: "0.01",
      value: String(varValue(name)),
    });
    slider.dataset.var = name;
    slider.addEventListener("input", () => {
      setState({ ...state, vars: { ...state.vars, [name]: Number(slider.value) } });
      output.textContent = formatNumber(varValue(name));
      renderResults();
      plot();
    });
    varsBox.append(el("label", { className: "var" }, el("span", {}, name), slider, output));
  }
}

function renderResults(): void {
  resultsBody.replaceChildren();
  for (const { name, code, ms } of compiled) {
    let result: string;
    try {
      result = formatNumber(code.evaluate(code.variables.map(varValue)));
    } catch (error) {
      result = error instanceof Error ? error.message : String(error);
    }
    const row = el(
      "tr",
      {},
      el("td", {}, name),
      el("td", { className: "result" }, result),
      el("td", {}, `${(ms * 1000).toFixed(0)} µs`),
      el("td", { className: "how" }, code.how ?? ""),
    );
    row.dataset.backend = name;
    resultsBody.append(row);
  }
}

/** One collapsible stage. */
function stage(title: string, body: Node, open = false): void {
  const details = el("details", { open }, el("summary", {}, title), body);
  details.dataset.stage = title;
  stagesBox.append(details);
}

function renderStages(source: string, tokens?: readonly Token[], tree?: Expr): void {
  if (tokens !== undefined) {
    const list = el("div", { className: "tokens" });
    for (const token of tokens) {
      const text = token.type === "EOF" ? "" : source.slice(token.start, token.end);
      list.append(el("span", { className: "token" }, `${text} `, el("small", {}, token.type)));
    }
    stage("tokens", list, true);
  }
  if (tree !== undefined)
    stage("syntax tree", el("ul", { className: "tree" }, treeItem(tree)), true);
  for (const { name, code } of compiled) {
    const what = name === "treewalk" ? "lowered program (what every back-end receives)" : name;
    stage(`${what}: ${artefactName(name)}`, el("pre", {}, code.dump()), name === "treewalk");
  }
}

function artefactName(name: BackendName): string {
  const names: Record<BackendName, string> = {
    treewalk: "tree",
    vm: "bytecode",
    closure: "closure tree",
    js: "generated JavaScript",
    wasm: "WebAssembly text (WAT)",
    native: "C",
  };
  return names[name];
}

/** The syntax tree as nested lists. */
function treeItem(node: Expr): HTMLLIElement {
  const children: Expr[] = [];
  let label: string;
  switch (node.kind) {
    case "number":
      label = formatNumber(node.value);
      break;
    case "identifier":
      label = node.name;
      break;
    case "call":
      label = `${node.callee}( )`;
      children.push(...node.args);
      break;
    case "unary":
      label = `unary ${node.op}`;
      children.push(node.operand);
      break;
    case "binary":
      label = node.op;
      children.push(node.left, node.right);
      break;
    case "conditional":
      label = "? :";
      children.push(node.test, node.consequent, node.alternate);
      break;
  }
  const item = el("li", {}, label);
  if (children.length > 0) item.append(el("ul", {}, ...children.map(treeItem)));
  return item;
}

function renderPlotChoices(): void {
  plotVar.replaceChildren(...variables.map((name) => el("option", { value: name }, name)));
  const chosen =
    state.plot !== undefined && variables.includes(state.plot) ? state.plot : variables[0];
  if (chosen !== undefined) plotVar.value = chosen;
  plotFrom.value = String(state.from);
  plotTo.value = String(state.to);
}

/** The expression over the chosen variable's range, the others at their sliders' values. */
function plot(): void {
  const context = plotCanvas.getContext("2d");
  if (context === null) return;
  const { width, height } = plotCanvas;
  context.clearRect(0, 0, width, height);
  const fastest = compiled.at(-1)?.code;
  const over = plotVar.value;
  plotCanvas.dataset.points = "0";
  if (fastest === undefined || !variables.includes(over)) return;
  const { from, to } = state;
  const samples = 480;
  const xs = new Float64Array(samples + 1);
  for (let i = 0; i <= samples; i++) xs[i] = from + ((to - from) * i) / samples;
  // One batch call (issue 15): the plotted variable is a column, the others one number each.
  const columns = fastest.variables.map((name) => (name === over ? xs : varValue(name)));
  const ys = fastest.evaluateBatch(columns);
  const finite = Array.from(ys).filter(Number.isFinite);
  if (finite.length === 0) return;
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const px = (x: number) => ((x - from) / (to - from)) * width;
  const py = (y: number) => height - ((y - low) / (high - low)) * (height - 20) - 10;
  context.strokeStyle = "#ccc";
  context.beginPath();
  if (low < 0 && high > 0) {
    context.moveTo(0, py(0));
    context.lineTo(width, py(0));
  }
  if (from < 0 && to > 0) {
    context.moveTo(px(0), 0);
    context.lineTo(px(0), height);
  }
  context.stroke();
  context.strokeStyle = "#1f5fbf";
  context.lineWidth = 2;
  context.beginPath();
  let drawing = false;
  let points = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i] as number;
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
  context.fillStyle = "#555";
  context.fillText(`${formatNumber(high)}`, 4, 12);
  context.fillText(`${formatNumber(low)}`, 4, height - 4);
  plotCanvas.dataset.points = String(points);
}

/** ns per evaluation for each back-end, measured here, as bars. */
async function bench(): Promise<void> {
  benchButton.disabled = true;
  const rows: { name: string; ns: number }[] = [];
  for (const { name, code } of compiled) {
    await new Promise((done) => setTimeout(done, 0)); // let the page paint between back-ends
    const args = code.variables.map(varValue);
    const { fn } = code;
    let runs = 1000;
    let elapsed = 0;
    let sink = 0;
    while (elapsed < 60) {
      runs *= 2;
      const started = performance.now();
      for (let i = 0; i < runs; i++) sink += fn(...args);
      elapsed = performance.now() - started;
    }
    rows.push({ name, ns: (elapsed * 1e6) / runs + (sink === Number.MIN_VALUE ? 1 : 0) });
  }
  drawBars(rows);
  benchButton.disabled = false;
}

function drawBars(rows: readonly { name: string; ns: number }[]): void {
  const context = benchCanvas.getContext("2d");
  if (context === null) return;
  const { width, height } = benchCanvas;
  context.clearRect(0, 0, width, height);
  const most = Math.max(...rows.map((r) => r.ns), 1e-9);
  const bar = height / Math.max(rows.length, 1);
  context.font = "13px system-ui, sans-serif";
  rows.forEach((row, i) => {
    const length = ((width - 200) * row.ns) / most;
    context.fillStyle = "#1f5fbf";
    context.fillRect(90, i * bar + 6, length, bar - 12);
    context.fillStyle = "#1d2330";
    context.fillText(row.name, 6, i * bar + bar / 2 + 4);
    context.fillText(`${row.ns.toFixed(1)} ns`, 96 + length, i * bar + bar / 2 + 4);
  });
  benchCanvas.dataset.bars = String(rows.length);
}

input.value = state.expression;
input.addEventListener("input", () => {
  setState({ ...state, expression: input.value });
  update();
});
plotVar.addEventListener("change", () => {
  setState({ ...state, plot: plotVar.value });
  plot();
});
for (const box of [plotFrom, plotTo]) {
  box.addEventListener("change", () => {
    const from = Number(plotFrom.value);
    const to = Number(plotTo.value);
    if (Number.isFinite(from) && Number.isFinite(to) && from < to) setState({ ...state, from, to });
    plot();
  });
}
benchButton.addEventListener("click", () => void bench());
setState(state);
update();
