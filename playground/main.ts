/**
 * The playground page: every stage of one expression, live, through
 * exprjit's public API only (`import … from "exprjit"`, as any user's page
 * would). Typing re-renders the results table, the stage panes (stages.ts),
 * the sliders and the plot; cold compile times follow once typing pauses
 * (measure.ts). While the text has an error, the caret message takes the
 * plot's place and the table still lists every back-end. The state lives in
 * the URL's hash (state.ts).
 */

import {
  type BackendName,
  backends,
  type Compiled,
  compile,
  derivative,
  type Expr,
  ExprError,
  formatNumber,
  lex,
  parse,
  type Token,
} from "exprjit";
import { ALL_BACKENDS, BACKEND_INFO, unavailable } from "./backends.js";
import { micros } from "./format.js";
import { coldCompiles, nsPerCall } from "./measure.js";
import { drawBars, drawPlot } from "./plot.js";
import { el, STAGES } from "./stages.js";
import { DEFAULT_STATE, decodeState, encodeState, type PlaygroundState } from "./state.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>("expression");
const errorBox = $<HTMLPreElement>("error");
const cspNote = $<HTMLParagraphElement>("csp-note");
const varsBox = $<HTMLDivElement>("vars");
const resultsBody = $<HTMLTableElement>("results").tBodies[0] as HTMLTableSectionElement;
const compileNote = $<HTMLParagraphElement>("compile-note");
const plotVar = $<HTMLSelectElement>("plot-var");
const plotFrom = $<HTMLInputElement>("plot-from");
const plotTo = $<HTMLInputElement>("plot-to");
const plotCanvas = $<HTMLCanvasElement>("plot");
const benchButton = $<HTMLButtonElement>("bench");
const benchNote = $<HTMLParagraphElement>("bench-note");
const benchCanvas = $<HTMLCanvasElement>("bench-chart");
const stagesBox = $<HTMLElement>("stages");

/** What the page shows now. */
let state: PlaygroundState = location.hash === "" ? DEFAULT_STATE : decodeState(location.hash);
/** The current expression compiled by every back-end that runs in this page. */
let compiled = new Map<BackendName, Compiled>();
/** Cold compile µs per back-end, once measured for the current expression. */
let compileUs = new Map<BackendName, string>();
/** The current expression's error, while it has one. */
let failure: ExprError | undefined;
let variables: readonly string[] = [];
const missing = new Map(unavailable().map((m) => [m.name, m.why]));
const running = ALL_BACKENDS.filter((name) => backends.includes(name));

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
  for (const code of compiled.values()) code.dispose();
  compiled = new Map();
  compileUs = new Map();
  failure = undefined;
  let tokens: readonly Token[] = [];
  let tree: Expr | undefined;
  try {
    tokens = lex(source);
    tree = parse(source);
    for (const name of running) compiled.set(name, compile(source, { backend: name }));
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    failure = error;
    for (const code of compiled.values()) code.dispose();
    compiled = new Map();
  }
  errorBox.hidden = failure === undefined;
  errorBox.textContent = failure?.format() ?? "";
  plotCanvas.hidden = failure !== undefined;
  input.setAttribute("aria-invalid", String(failure !== undefined));
  variables = compiled.get("treewalk")?.variables ?? (failure === undefined ? [] : variables);
  renderVars();
  renderResults();
  renderStages(source, tokens, tree);
  renderPlotChoices();
  plot();
  benchButton.disabled = failure !== undefined;
  scheduleTiming();
}

let timing: ReturnType<typeof setTimeout> | undefined;

/** Times the cold compiles once typing pauses, so typing stays smooth. */
function scheduleTiming(): void {
  clearTimeout(timing);
  compileNote.textContent = "";
  if (failure !== undefined) return;
  const source = state.expression;
  timing = setTimeout(() => {
    let runs = 0;
    try {
      for (const [name, measured] of coldCompiles(source, running)) {
        compileUs.set(name, micros(measured.us));
        runs = Math.min(runs || measured.runs, measured.runs);
      }
    } catch {
      // A variant past a limit (length, depth): no figure rather than a wrong one.
      for (const name of running) compileUs.set(name, "—");
    }
    compileNote.textContent =
      `Cold compile: source to a callable function, the first call not included. Each figure ` +
      `is the median of up to 5 blocks of compiles (at least ${runs} in all) of fresh variants of ` +
      `the expression, each with a new constant so no cache helps, since a page's clock is ` +
      `coarse. Other work on the machine moves it.`;
    renderResults();
  }, 250);
}

function renderVars(): void {
  varsBox.replaceChildren();
  if (variables.length === 0) {
    varsBox.append(el("p", { className: "fine" }, "no variables: the expression is a constant"));
  }
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
    slider.setAttribute("aria-label", name);
    slider.addEventListener("input", () => {
      setState({ ...state, vars: { ...state.vars, [name]: Number(slider.value) } });
      output.textContent = formatNumber(varValue(name));
      renderResults();
      plot();
    });
    varsBox.append(el("label", { className: "var" }, el("code", {}, name), slider, output));
  }
}

/** One row per back-end the library knows: its result here, or why there is none. */
function renderResults(): void {
  resultsBody.replaceChildren();
  for (const name of ALL_BACKENDS) {
    const code = compiled.get(name);
    let result: string;
    let how: string = BACKEND_INFO[name].technique;
    if (code !== undefined) {
      try {
        result = formatNumber(code.evaluate(code.variables.map(varValue)));
      } catch (error) {
        result = error instanceof Error ? error.message : String(error);
      }
      how = code.how ?? how;
    } else if (failure !== undefined && running.includes(name)) {
      result = `${failure.kind} error`;
    } else {
      result = "not here";
      how = BACKEND_INFO[name].browser ?? "stopped by this page's policy (see the note above)";
    }
    const row = el(
      "tr",
      {},
      el("td", {}, el("code", {}, name)),
      el("td", { className: "result" }, result),
      el("td", { className: "time" }, code === undefined ? "—" : (compileUs.get(name) ?? "…")),
      el("td", { className: "how" }, how),
    );
    row.dataset.backend = name;
    if (code === undefined) row.classList.add("idle");
    resultsBody.append(row);
  }
}

function renderStages(source: string, tokens: readonly Token[], tree?: Expr): void {
  stagesBox.replaceChildren();
  for (const stage of STAGES) {
    let body: Node | string;
    if (tree === undefined) body = failure?.format() ?? "";
    else body = stage.render({ source, tokens, tree, compiled, missing });
    const content = typeof body === "string" ? el("pre", {}, body) : body;
    const pane = el(
      "section",
      { className: "card stage" },
      el("h2", {}, stage.title),
      el("div", { className: "stage-body" }, content),
    );
    pane.dataset.stage = stage.id;
    stagesBox.append(pane);
  }
}

function renderPlotChoices(): void {
  plotVar.replaceChildren(...variables.map((name) => el("option", { value: name }, name)));
  const chosen =
    state.plot !== undefined && variables.includes(state.plot) ? state.plot : variables[0];
  if (chosen !== undefined) plotVar.value = chosen;
  plotVar.disabled = variables.length === 0;
  plotFrom.value = String(state.from);
  plotTo.value = String(state.to);
}

/** The expression over the chosen variable's range, the others at their sliders' values. */
function plot(): void {
  if (failure !== undefined) return;
  const fastest = compiled.get(running.at(-1) as BackendName);
  if (fastest === undefined) return;
  const over = plotVar.value;
  const { from, to } = state;
  const samples = 480;
  const xs = new Float64Array(samples + 1);
  for (let i = 0; i <= samples; i++) xs[i] = from + ((to - from) * i) / samples;
  // One batch call: the plotted variable is a column, the others one number each.
  const columns = fastest.variables.map((name) => (name === over ? xs : varValue(name)));
  const ys =
    fastest.variables.length === 0
      ? new Float64Array(xs.length).fill(fastest.evaluate([]))
      : fastest.evaluateBatch(columns, { length: xs.length });
  const label = fastest.variables.includes(over) ? over : "(no variable)";
  drawPlot(plotCanvas, xs, ys, { x: label, y: state.expression }, slopes(over, xs));
}

/**
 * The exact derivative by `over` at every x, on the same back-end as the
 * plot: `derivative` gives its source, compiled like any expression (its
 * variables may be fewer than the expression's). Undefined where there is
 * no plotted variable or no derivative (a function without one).
 */
function slopes(over: string, xs: Float64Array): Float64Array | undefined {
  const backend = running.at(-1) as BackendName;
  if (!variables.includes(over)) return undefined;
  try {
    const slope = compile(derivative(state.expression, over), { backend });
    const columns = slope.variables.map((name) => (name === over ? xs : varValue(name)));
    const ys =
      slope.variables.length === 0
        ? new Float64Array(xs.length).fill(slope.evaluate([]))
        : slope.evaluateBatch(columns, { length: xs.length });
    slope.dispose();
    return ys;
  } catch (error) {
    if (error instanceof ExprError) return undefined;
    throw error;
  }
}

/** ns per call for each back-end, measured here, as bars. */
async function bench(): Promise<void> {
  benchButton.disabled = true;
  benchButton.textContent = "measuring…";
  const rows: { name: string; ns: number }[] = [];
  for (const [name, code] of compiled) {
    await new Promise((done) => setTimeout(done, 0)); // let the page paint between back-ends
    rows.push({ name, ns: nsPerCall(code, code.variables.map(varValue)) });
  }
  drawBars(benchCanvas, rows);
  benchNote.textContent = `Nanoseconds per call of fn on each back-end, in this browser, for ${state.expression}.`;
  benchButton.textContent = "measure again";
  benchButton.disabled = failure !== undefined;
}

/** The library's refusal without what the note says already ("back-end 'js' is not available here: "). */
function reason(why: string): string {
  return why
    .replace(/^back-end '\w+' is not available here: /, "")
    .replace(/ \(available: [^)]*\)$/, "");
}

function showCspNote(): void {
  const blocked = [...missing].filter(([name]) => BACKEND_INFO[name].browser === undefined);
  cspNote.hidden = blocked.length === 0;
  cspNote.replaceChildren(
    el("strong", {}, "This page's Content-Security-Policy stops some back-ends:"),
    el(
      "ul",
      {},
      ...blocked.map(([name, why]) => el("li", {}, el("code", {}, name), `: ${reason(why)}`)),
    ),
  );
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
new ResizeObserver(() => plot()).observe(plotCanvas);
showCspNote();
setState(state);
update();
