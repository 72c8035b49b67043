/**
 * The engines under test, behind one small adapter each: every available
 * exprjit back-end (through the fast positional `fn` and through checked
 * `evaluate(vars)`), the hand-written JS baseline, and the peers a user
 * would pick instead, each in its own dialect and called the cheapest
 * honest way (one reused scope object).
 *
 * An adapter says how its callable is invoked as a line of JavaScript
 * (`call`): the evaluate phase splices that line into a measuring loop of
 * its own, so every call site stays monomorphic. The line is built only
 * from this file's text and the workload's variable names (checked to be
 * `x` or `y`), never from arbitrary input.
 */

import type { BackendChoice } from "../src/api/auto.js";
import type { EvalFn } from "../src/backends/backend.js";
import { jsCompileCache } from "../src/backends/js/index.js";
import { availableBackends } from "../src/backends/registry.js";
import { compile as exprjitCompile } from "../src/index.js";
import { type CompileReference, jsNewFunction } from "./reference.js";
import type { PeerName, WorkloadExpr } from "./workload.js";

/** Who an engine belongs to. */
export type EngineKind = "exprjit" | "baseline" | "peer";

/** A compiled expression, ready to be called by a measuring loop. */
export interface Built {
  /** The callable (a function or an object with a method), `t` in `call`. */
  readonly target: unknown;
  /** One JS expression over `t`, `sc` (the scope), `x` and `y` that evaluates once. */
  readonly call: string;
  /** The reused scope (`sc`): an object, or a Map for mathjs, for engines that take one. */
  readonly scope: unknown;
  /** Evaluates once through the same entry the loop uses (for agreement checks). */
  at(x: number, y: number): number;
  /** Frees what the engine holds. */
  dispose(): void;
}

/** One engine. */
export interface Engine {
  /** Stable id used in options, tables and JSON (`js`, `js/evaluate`, `baseline`, `mathjs`). */
  readonly id: string;
  /** Human name for the report. */
  readonly label: string;
  readonly kind: EngineKind;
  /** The exprjit back-end behind it (`auto` included), if any. */
  readonly backend?: BackendChoice;
  /** For `auto@T` engines: the thresholds passed to `compile`. */
  readonly thresholds?: readonly number[];
  /** For exprjit: whether results must be bit-identical (false only for native code). */
  readonly exact: boolean;
  /** Whether the compile phase times it (the `evaluate` variants share their `fn` twin's compile). */
  readonly timesCompile: boolean;
  /**
   * A compile cache that would hide the compiler when the same expression
   * is compiled again: in memory (cleared before each timed compile) or on
   * disk (first compiles are timed in fresh processes, phases/cold.ts).
   */
  readonly cache?: CompileCache;
  /** A compile-only reference the compile phase times beside it (js: bare `new Function`). */
  readonly reference?: CompileReference;
  /** The expression in this engine's dialect; undefined when it cannot express it. */
  text(expr: WorkloadExpr): string | undefined;
  /** Source text → callable: the unit the compile phase times. */
  build(text: string, expr: WorkloadExpr): Built;
}

/** How a back-end caches compiled code. */
export type CompileCache = { readonly kind: "memory"; clear(): void } | { readonly kind: "disk" };

/** The back-ends that cache compiled code, and how. */
const CACHES: Readonly<Record<string, CompileCache>> = {
  js: { kind: "memory", clear: () => jsCompileCache.clear() },
  // auto's compiled tier is js's: its cache is cleared too, so each promotion compiles afresh.
  auto: { kind: "memory", clear: () => jsCompileCache.clear() },
  native: { kind: "disk" },
};

/** The back-ends timed beside a compile-only reference. */
const REFERENCES: Readonly<Record<string, CompileReference>> = { js: jsNewFunction };

/** The peers' engine ids. */
export const PEER_NAMES: readonly PeerName[] = ["mathjs", "expr-eval-fork", "filtrex", "fparser"];

/** Ids of the engine groups `--engines` understands besides single ids. */
export const GROUPS = ["exprjit", "peers"] as const;

/**
 * Every engine available in this process; peers are imported only when
 * `wanted` says so. Each of `autoThresholds` adds an engine `auto@T`:
 * `auto` promoting after T calls, whatever `wanted` says (asking for it is
 * the choice).
 */
export async function loadEngines(
  wanted: (id: string, kind: EngineKind) => boolean,
  autoThresholds: readonly number[] = [],
): Promise<Engine[]> {
  const engines: Engine[] = [baseline()];
  for (const backend of availableBackends()) {
    engines.push(exprjitEngine(backend.name, backend.exact, "fn"));
    engines.push(exprjitEngine(backend.name, backend.exact, "evaluate"));
  }
  // The default back-end: tiers of exact back-ends (never native unless asked).
  engines.push(exprjitEngine("auto", true, "fn"));
  engines.push(exprjitEngine("auto", true, "evaluate"));
  for (const load of PEER_LOADERS) {
    const id = load.id;
    if (wanted(id, "peer")) engines.push(await load.make());
  }
  const variants = autoThresholds.map((t) => exprjitEngine("auto", true, "fn", [t]));
  return [...engines.filter((e) => e.kind === "baseline" || wanted(e.id, e.kind)), ...variants];
}

const XY = /^[xy]$/;

/** The positional argument list of a compiled expression, by variable name. */
function argumentList(variables: readonly string[]): string {
  for (const v of variables) {
    if (!XY.test(v)) throw new Error(`workload variable '${v}' is not x or y`);
  }
  return variables.join(", ");
}

/**
 * A compiled expression called through its positional `fn`, its variables
 * (`x`, `y`) in `variables` order; `dispose` frees what it holds.
 */
export function positionalBuilt(
  fn: EvalFn,
  variables: readonly string[],
  dispose: () => void,
): Built {
  return {
    target: fn,
    call: `t(${argumentList(variables)})`,
    scope: {},
    at: (x, y) => fn(...variables.map((v) => (v === "x" ? x : y))),
    dispose,
  };
}

/** An exprjit back-end through `fn` or `evaluate(vars)`; with `thresholds`, an `auto@T` variant. */
function exprjitEngine(
  backend: BackendChoice,
  exact: boolean,
  entry: "fn" | "evaluate",
  thresholds?: readonly number[],
): Engine {
  const viaFn = entry === "fn";
  const cache = CACHES[backend];
  const reference = REFERENCES[backend];
  const variant = thresholds === undefined ? "" : `@${thresholds.join("/")}`;
  const fnLabel =
    thresholds === undefined
      ? `exprjit ${backend}`
      : `exprjit ${backend}, threshold ${thresholds.join("/")}`;
  const options = thresholds === undefined ? { backend } : { backend, thresholds };
  return {
    ...(cache === undefined || !viaFn ? {} : { cache }),
    ...(reference === undefined || !viaFn || thresholds !== undefined ? {} : { reference }),
    ...(thresholds === undefined ? {} : { thresholds }),
    id: viaFn ? `${backend}${variant}` : `${backend}${variant}/evaluate`,
    label: viaFn ? fnLabel : `${fnLabel} evaluate(vars)`,
    kind: "exprjit",
    backend,
    exact,
    timesCompile: viaFn,
    text: (expr) => expr.source,
    build(text) {
      const compiled = exprjitCompile(text, options);
      const dispose = () => compiled.dispose();
      if (viaFn) return positionalBuilt(compiled.fn, compiled.variables, dispose);
      const scope = { x: 0, y: 0 };
      const at = (x: number, y: number) => {
        scope.x = x;
        scope.y = y;
        return compiled.evaluate(scope);
      };
      return {
        target: compiled,
        call: "((sc.x = x), (sc.y = y), t.evaluate(sc))",
        scope,
        at,
        dispose,
      };
    },
  };
}

function baseline(): Engine {
  return {
    id: "baseline",
    label: "hand-written JS",
    kind: "baseline",
    exact: true,
    // Written in the program: nothing to compile at run time.
    timesCompile: false,
    text: (expr) => expr.baselineText,
    build(_text, expr) {
      const f = expr.baseline;
      return { target: f, call: "t(x, y)", scope: {}, at: f, dispose() {} };
    },
  };
}

/** How a peer is called: with a reused object or Map, through a method or as a function. */
type PeerCall = "object-method" | "object-function" | "map-method";

const PEER_CALLS: Readonly<Record<PeerCall, string>> = {
  "object-method": "((sc.x = x), (sc.y = y), t.evaluate(sc))",
  "object-function": "((sc.x = x), (sc.y = y), t(sc))",
  "map-method": '(sc.set("x", x), sc.set("y", y), t.evaluate(sc))',
};

/** A peer that takes a scope: `t.evaluate(sc)` or `t(sc)`, `sc` an object or a Map. */
function scopePeer<S>(
  id: PeerName,
  rewrite: (source: string) => string,
  make: (text: string) => { target: unknown; evaluate: (scope: S) => number },
  how: PeerCall,
): Engine {
  return {
    id,
    label: id,
    kind: "peer",
    exact: false,
    timesCompile: true,
    text: (expr) => expr.dialects?.[id] ?? rewrite(expr.source),
    build(text) {
      const object = { x: 0, y: 0 };
      const map = new Map([
        ["x", 0],
        ["y", 0],
      ]);
      const scope = (how === "map-method" ? map : object) as S;
      const { target, evaluate } = make(text);
      const at = (x: number, y: number) => {
        object.x = x;
        object.y = y;
        map.set("x", x).set("y", y);
        return evaluate(scope);
      };
      return { target, call: PEER_CALLS[how], scope, at, dispose() {} };
    },
  };
}

const andWord = (s: string) => s.replaceAll("&&", "and");
const upperPi = (s: string) => s.replaceAll(/\bpi\b/g, "PI");

interface PeerLoader {
  readonly id: PeerName;
  make(): Promise<Engine>;
}

/** The peers, imported lazily (mathjs alone takes a noticeable time to load). */
const PEER_LOADERS: readonly PeerLoader[] = [
  {
    id: "mathjs",
    async make() {
      const { compile } = await import("mathjs");
      // A reused Map: mathjs wraps a plain object in a Map adapter on every call, so a Map is its cheapest scope.
      return scopePeer<Map<string, number>>(
        "mathjs",
        andWord,
        (text) => {
          const code = compile(text);
          return { target: code, evaluate: (scope) => code.evaluate(scope) as number };
        },
        "map-method",
      );
    },
  },
  {
    id: "expr-eval-fork",
    async make() {
      const { Parser } = await import("expr-eval-fork");
      const parser = new Parser();
      return scopePeer<Record<string, number>>(
        "expr-eval-fork",
        (s) => upperPi(andWord(s)),
        (text) => {
          const expression = parser.parse(text);
          return { target: expression, evaluate: (scope) => expression.evaluate(scope) as number };
        },
        "object-method",
      );
    },
  },
  {
    id: "filtrex",
    async make() {
      const { compileExpression } = await import("filtrex");
      const options = {
        constants: { pi: Math.PI },
        extraFunctions: { sin: Math.sin, cos: Math.cos },
      };
      return scopePeer<Record<string, number>>(
        "filtrex",
        andWord,
        (text) => {
          const f = compileExpression(text, options);
          return { target: f, evaluate: (scope) => f(scope) as number };
        },
        "object-function",
      );
    },
  },
  {
    id: "fparser",
    async make() {
      const Formula = await importFparser();
      return scopePeer<Record<string, number>>(
        "fparser",
        upperPi,
        (text) => {
          const formula = new Formula(text);
          return { target: formula, evaluate: (scope) => formula.evaluate(scope) };
        },
        "object-method",
      );
    },
  },
];

/** The part of fparser's `Formula` the suite uses. */
type FormulaClass = new (
  text: string,
) => {
  evaluate(scope: Record<string, number>): number;
};

/**
 * fparser's type declarations add an index signature to the global `Math`
 * interface, which would loosen type checking of the whole project; a
 * specifier TypeScript does not resolve keeps them out.
 */
async function importFparser(): Promise<FormulaClass> {
  const specifier: string = "fparser";
  const module = (await import(specifier)) as { default: FormulaClass };
  return module.default;
}
