/**
 * The playground's state and its place in the URL: the expression, the
 * variables' values, and the plot's variable and range, kept in the hash
 * (`#e=x%5E2&x=1.5&plot=x&from=-5&to=5`) so a link reproduces the page.
 */

/** Everything a link carries. */
export interface PlaygroundState {
  readonly expression: string;
  /** Variable values set by the sliders; others start at 1. */
  readonly vars: Readonly<Record<string, number>>;
  /** The variable the plot runs over, if any. */
  readonly plot?: string;
  readonly from: number;
  readonly to: number;
}

/** What a first visit shows. */
export const DEFAULT_STATE: PlaygroundState = {
  expression: "sin(x) * x^2 + 1.2 - 5",
  vars: {},
  from: -10,
  to: 10,
};

/** Names of the hash's own keys; any other key is a variable. */
const RESERVED = new Set(["e", "plot", "from", "to"]);

/** The state as a hash (without `#`). */
export function encodeState(state: PlaygroundState): string {
  const params = new URLSearchParams();
  params.set("e", state.expression);
  for (const [name, value] of Object.entries(state.vars)) {
    if (!RESERVED.has(name)) params.set(name, String(value));
  }
  if (state.plot !== undefined) params.set("plot", state.plot);
  params.set("from", String(state.from));
  params.set("to", String(state.to));
  return params.toString();
}

/** The state a hash describes; what is missing or malformed takes its default. */
export function decodeState(hash: string): PlaygroundState {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const vars: Record<string, number> = {};
  for (const [name, text] of params) {
    const value = Number(text);
    if (!RESERVED.has(name) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && Number.isFinite(value)) {
      vars[name] = value;
    }
  }
  const number = (key: string, fallback: number) => {
    const value = Number(params.get(key) ?? Number.NaN);
    return Number.isFinite(value) ? value : fallback;
  };
  const plot = params.get("plot") ?? undefined;
  return {
    expression: params.get("e") ?? DEFAULT_STATE.expression,
    vars,
    ...(plot === undefined || plot === "" ? {} : { plot }),
    from: number("from", DEFAULT_STATE.from),
    to: number("to", DEFAULT_STATE.to),
  };
}
