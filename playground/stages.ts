/**
 * The stage panes, in order: each is one entry of `STAGES`, a title and a
 * function from what the page has for the expression (its tokens, tree and
 * each back-end's compiled form) to the pane's content. Adding a stage
 * (the closure tree, SQL per dialect, a derivative, a formula set's
 * outputs) is one more entry here; main.ts renders whatever the list holds.
 */

import {
  type BackendName,
  type Compiled,
  derivative,
  type Expr,
  formatNumber,
  type SqlDialectName,
  type Token,
  toSQL,
} from "exprjit";

/** Everything a stage may show, for one valid expression. */
export interface StageInput {
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly tree: Expr;
  /** The expression compiled by each back-end that runs in this page. */
  readonly compiled: ReadonlyMap<BackendName, Compiled>;
  /** Why each back-end that does not run here does not. */
  readonly missing: ReadonlyMap<BackendName, string>;
}

/** A pane: its title, and its content (text is shown preformatted). */
export interface Stage {
  readonly id: string;
  readonly title: string;
  readonly render: (input: StageInput) => Node | string;
}

/** A pane showing one back-end's artefact, or why that back-end does not run here. */
function artefact(name: BackendName, title: string): Stage {
  return {
    id: name,
    title,
    render: ({ compiled, missing }) =>
      compiled.get(name)?.dump() ?? `${name} does not run in this page: ${missing.get(name)}`,
  };
}

/**
 * A pane of text the library derives from the source (a derivative, SQL),
 * or the library's own refusal where it gives none (a construct a dialect
 * cannot express exactly, a function without a derivative).
 */
function derived(id: string, title: string, text: (input: StageInput) => string): Stage {
  return {
    id,
    title,
    render: (input) => {
      try {
        return text(input);
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  };
}

/** The expression's variables, in the order every back-end reads them. */
function variablesOf({ compiled }: StageInput): readonly string[] {
  for (const code of compiled.values()) return code.variables;
  return [];
}

/** The derivative by each variable, as the source `derivative` writes. */
const DERIVATIVES = derived("derivative", "derivatives (exact, by the chain rule)", (input) => {
  const variables = variablesOf(input);
  if (variables.length === 0) return "no variables: every derivative is 0";
  return variables.map((v) => `d/d${v} = ${derivative(input.source, v)}`).join("\n\n");
});

/** The SQL expression one dialect gets (each variable a column of its name). */
function sql(dialect: SqlDialectName, title: string): Stage {
  return derived(`sql-${dialect}`, title, ({ source }) => toSQL(source, { dialect }));
}

export const STAGES: readonly Stage[] = [
  { id: "tokens", title: "tokens", render: ({ source, tokens }) => tokenList(source, tokens) },
  { id: "tree", title: "syntax tree", render: ({ tree }) => treeList(tree) },
  artefact("treewalk", "lowered program (every back-end's input)"),
  artefact("vm", "bytecode (vm)"),
  artefact("closure", "closure tree (closure)"),
  artefact("js", "generated JavaScript (js)"),
  artefact("wasm", "WebAssembly text (wasm)"),
  DERIVATIVES,
  sql("duckdb", "SQL (DuckDB)"),
  sql("postgres", "SQL (PostgreSQL)"),
  sql("clickhouse", "SQL (ClickHouse 18.16)"),
];

/** Small element builder shared by the page. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function tokenList(source: string, tokens: readonly Token[]): Node {
  const list = el("div", { className: "tokens" });
  for (const token of tokens) {
    const text = token.type === "EOF" ? "end" : source.slice(token.start, token.end);
    list.append(
      el("span", { className: "token" }, el("code", {}, text), el("small", {}, token.type)),
    );
  }
  return list;
}

function treeList(tree: Expr): Node {
  // An explicit stack, not recursion: the tree may be 2,000 levels deep.
  const root = el("ul", { className: "tree" });
  const work: { node: Expr; into: HTMLElement }[] = [{ node: tree, into: root }];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const { node, into } = next;
    const { label, children } = describe(node);
    const item = el("li", {}, el("code", {}, label));
    into.append(item);
    if (children.length > 0) {
      const list = el("ul");
      item.append(list);
      for (let i = children.length - 1; i >= 0; i--) {
        work.push({ node: children[i] as Expr, into: list });
      }
    }
  }
  return root;
}

function describe(node: Expr): { label: string; children: Expr[] } {
  switch (node.kind) {
    case "number":
      return { label: formatNumber(node.value), children: [] };
    case "identifier":
      return { label: node.name, children: [] };
    case "call":
      return { label: `${node.callee}( )`, children: [...node.args] };
    case "unary":
      return { label: `unary ${node.op}`, children: [node.operand] };
    case "binary":
      return { label: node.op, children: [node.left, node.right] };
    case "conditional":
      return { label: "? :", children: [node.test, node.consequent, node.alternate] };
  }
}
