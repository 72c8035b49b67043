/**
 * THE random-expression generator of the test suite (the differential
 * harness, `npm run fuzz`, and the back-ends' own property tests all draw
 * from it): syntax trees of every shape the grammar allows, as trees or as
 * source text; the inputs that find bugs (±0, ±Infinity, NaN, subnormals,
 * 2^53+2) as an arbitrary or as fixed rows; and random text and token
 * soups for the "only ExprError" properties.
 */

import fc from "fast-check";
import { FUNCTION_LIST } from "../../src/semantics/builtins.js";
import type { HostFunctionSpec, UserFunctionSpec } from "../../src/semantics/extension.js";
import type { Expr, ProgramSyntax } from "../../src/syntax/ast.js";
import { BINARY, type BinaryOp, type UnaryOp } from "../../src/syntax/operators.js";
import { print, printProgram } from "../../src/syntax/print.js";
import { TOKEN_TEXT } from "../../src/syntax/token.js";
import { formatNumber } from "../../src/text/number.js";

/** Variables the generated programs use (prototype names included on purpose). */
export const VARIABLE_NAMES = ["x", "y", "z", "constructor", "__proto__"] as const;

const at = { start: 0, end: 0 };

/** Literal values the parser can produce (never negative, never NaN). */
const literal = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    3,
    0.5,
    0.1,
    10,
    1e-310,
    5e-324,
    2 ** 53 + 2,
    1e308,
    Number.POSITIVE_INFINITY,
  ),
  fc.double({ min: 0, noNaN: true }),
  fc.integer({ min: 0, max: 100 }),
);

/** A literal or one of `names` (variables and constants) as a leaf. */
function leafOf(names: readonly string[]): fc.Arbitrary<Expr> {
  return fc.oneof(
    literal.map((value): Expr => ({ kind: "number", value, ...at })),
    fc.constantFrom(...names).map((name): Expr => ({ kind: "identifier", name, ...at })),
  );
}

const leaf = leafOf([...VARIABLE_NAMES, "pi", "e", "inf", "nan"]);

/** A function a generated call may name: a builtin's arity, or a user function's. */
export interface Callable {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
}

const binaryOps = Object.keys(BINARY) as BinaryOp[];
const unaryOps: UnaryOp[] = ["-", "+", "!"];

/** How big the generated trees are. */
export interface ExprOptions {
  /** Levels of operators, calls and conditionals at most (default 6). */
  readonly maxDepth?: number;
  /**
   * How fast fast-check's bias towards leaves grows with depth (default
   * `"small"`: mostly small trees); `"medium"` and up give bushier trees,
   * for tests of what a back-end emits for large code.
   */
  readonly depthSize?: fc.DepthSize;
  /** Names leaves may use instead of the default variables and constants. */
  readonly names?: readonly string[];
  /** Functions calls may name besides the builtins (user functions). */
  readonly functions?: readonly Callable[];
}

/** Syntax trees of every shape the grammar allows, up to `maxDepth` levels. */
export function exprArbitrary(options: ExprOptions = {}): fc.Arbitrary<Expr> {
  const { maxDepth = 6, depthSize = "small" } = options;
  const leaves = options.names === undefined ? leaf : leafOf(options.names);
  // User functions, when given, are called as often as all the builtins together.
  const user = options.functions ?? [];
  const callee: fc.Arbitrary<Callable> =
    user.length === 0
      ? fc.constantFrom(...FUNCTION_LIST)
      : fc.oneof(fc.constantFrom(...FUNCTION_LIST), fc.constantFrom(...user));
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize, maxDepth, withCrossShrink: true },
      leaves,
      fc
        .record({ op: fc.constantFrom(...unaryOps), operand: tie("expr") })
        .map((r): Expr => ({ kind: "unary", ...r, ...at })),
      fc
        .record({ op: fc.constantFrom(...binaryOps), left: tie("expr"), right: tie("expr") })
        .map((r): Expr => ({ kind: "binary", ...r, opStart: 0, ...at })),
      fc
        .record({ test: tie("expr"), consequent: tie("expr"), alternate: tie("expr") })
        .map((r): Expr => ({ kind: "conditional", ...r, ...at })),
      fc
        .record({
          fn: callee,
          args: fc.array(tie("expr"), { minLength: 1, maxLength: 3 }),
        })
        .map(({ fn, args }): Expr => {
          const count = Math.min(Math.max(args.length, fn.minArgs), fn.maxArgs);
          const padded = Array.from({ length: count }, (_, i) => args[i % args.length] as Expr);
          return { kind: "call", callee: fn.name, nameEnd: 0, args: padded, ...at };
        }),
    ),
  }));
  return expr;
}

/**
 * Programs with bindings (v3): none to `maxBindings` bindings `t0`, `t1`,
 * … (drawn as often as none), each a tree over `names` and the bindings
 * before it, then the result over all of them. Bound names are read (or
 * not) like any other name, so some bindings go unused.
 */
export function programArbitrary(
  options: ExprOptions & { readonly maxBindings?: number } = {},
): fc.Arbitrary<ProgramSyntax> {
  const { maxBindings = 3 } = options;
  const base = options.names ?? [...VARIABLE_NAMES, "pi", "e", "inf", "nan"];
  const bound = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);
  const exprOver = (count: number) =>
    exprArbitrary({ ...options, names: [...base, ...bound(count)] });
  const none = exprArbitrary({ ...options, names: base }).map(
    (result): ProgramSyntax => ({ kind: "program", bindings: [], result }),
  );
  const some = fc.integer({ min: 1, max: maxBindings }).chain((count) => {
    const values = Array.from({ length: count }, (_, i) => exprOver(i));
    return fc.tuple(fc.tuple(...values), exprOver(count)).map(
      ([bindingValues, result]): ProgramSyntax => ({
        kind: "program",
        bindings: bindingValues.map((value, i) => ({
          name: `t${i}`,
          value,
          nameEnd: 0,
          ...at,
        })),
        result,
      }),
    );
  });
  return fc.oneof(none, some);
}

/** {@link programArbitrary} as source text. */
export function programSourceArbitrary(
  options: ExprOptions & { readonly maxBindings?: number } = {},
): fc.Arbitrary<string> {
  return programArbitrary(options).map(printProgram);
}

/** The shape of a program: its bindings' names and shapes, then its result's. */
export function programShape(program: ProgramSyntax): unknown {
  return [program.bindings.map((b) => [b.name, shape(b.value)]), shape(program.result)];
}

/**
 * What a generated environment's host functions did, in call order: the
 * differential harness demands the same log from every back-end.
 */
export class HostLog {
  readonly calls: string[] = [];
  /** Calls of `tick` so far: its results depend on how often and in what order it runs. */
  ticks = 0;

  reset(): void {
    this.calls.length = 0;
    this.ticks = 0;
  }

  note(name: string, args: readonly number[]): void {
    this.calls.push(`${name}(${args.map(formatNumber).join(", ")})`);
  }
}

/** The error a host function throws, so the harness can tell it passed through unchanged. */
export class HostFailure extends Error {
  override readonly name = "HostFailure";
}

/**
 * The host functions of a generated environment, writing to `log`:
 * impure ones (logged; `tick` counts, `spread` takes one or more
 * arguments, `fragile` throws on NaN and `sloppy` returns a string for
 * huge values) and a pure one (`smooth`, not logged, since folding may
 * call it when compiling). Prototype names are among them on purpose.
 */
export function hostFunctions(log: HostLog): Record<string, HostFunctionSpec> {
  const functions: Record<string, HostFunctionSpec> = {
    valueOf: {
      fn: (a: number) => {
        log.note("valueOf", [a]);
        return a * 2 - 1;
      },
      arity: 1,
    },
    tick: {
      fn: () => {
        log.note("tick", []);
        return ++log.ticks;
      },
      arity: 0,
    },
    spread: {
      fn: (...xs: number[]) => {
        log.note("spread", xs);
        return xs.length + (xs[0] as number) - (xs[xs.length - 1] as number);
      },
      arity: [1, Number.POSITIVE_INFINITY],
    },
    fragile: {
      fn: (a: number) => {
        log.note("fragile", [a]);
        if (Number.isNaN(a)) throw new HostFailure("fragile got NaN");
        return a / 3;
      },
      arity: 1,
    },
    sloppy: {
      fn: (a: number, b: number) => {
        log.note("sloppy", [a, b]);
        return (Math.abs(a) > 1e300 ? "huge" : a - b) as number;
      },
      arity: 2,
    },
    smooth: { fn: (a: number, b: number) => Math.atan2(a, b) * 2, arity: 2, pure: true },
  };
  // `__proto__` as an own key of a plain object, as an application might well have it.
  Object.defineProperty(functions, "__proto__", {
    value: { fn: (a: number) => a + 0.5, arity: 1, pure: true },
    enumerable: true,
  });
  return functions;
}

/** The host functions' names and arities, for generated calls. */
export const HOST_CALLABLES: readonly Callable[] = [
  { name: "valueOf", minArgs: 1, maxArgs: 1 },
  { name: "tick", minArgs: 0, maxArgs: 0 },
  { name: "spread", minArgs: 1, maxArgs: 4 },
  { name: "fragile", minArgs: 1, maxArgs: 1 },
  { name: "sloppy", minArgs: 2, maxArgs: 2 },
  { name: "smooth", minArgs: 2, maxArgs: 2 },
  { name: "__proto__", minArgs: 1, maxArgs: 1 },
];

/** The variables of programs that use a generated environment (none is a user name). */
export const ENV_VARIABLES = ["x", "y", "constructor"] as const;

/** A generated environment: the options to pass, and how to reset the log. */
export interface GeneratedEnvironment {
  readonly constants: Record<string, number>;
  /** Definitions as text, in order, then the host functions. */
  readonly definitions: readonly string[];
  /** The expression functions' names and arities, for generated calls. */
  readonly callables: readonly Callable[];
}

/**
 * Random extensions: two constants (`g`, and `toString`, a prototype name)
 * and up to three expression functions, each body a random tree over its
 * parameters, the constants, the builtins, the host functions and the
 * definitions before it.
 */
export function environmentArbitrary(): fc.Arbitrary<GeneratedEnvironment> {
  const constants = fc.record({ g: input, toString: input });
  const bodies = fc
    .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })
    .chain((arities) => {
      const callables: Callable[] = [];
      const parts = arities.map((arity, i) => {
        const name = ["lerpish", "hasOwnProperty", "f2"][i] as string;
        const params = ["a", "b", "c"].slice(0, arity);
        const visible = [...HOST_CALLABLES, ...callables];
        callables.push({ name, minArgs: arity, maxArgs: arity });
        // Some bodies are written out forty times over: too big for wasm to inline.
        return fc
          .tuple(
            exprArbitrary({
              maxDepth: 4,
              names: [...params, "g", "toString", "pi"],
              functions: visible,
            }),
            fc.boolean(),
          )
          .map(([body, grown]) => {
            const text = grown
              ? Array(40)
                  .fill(`(${print(body)})`)
                  .join(" - ")
              : print(body);
            return `${name}(${params.join(", ")}) = ${text}`;
          });
      });
      return fc.tuple(...parts).map((definitions) => ({ definitions, callables }));
    });
  return fc
    .tuple(constants, bodies)
    .map(([values, { definitions, callables }]) => ({ constants: values, definitions, callables }));
}

/** An environment and an expression over it, as source text. */
export function programWithEnvironmentArbitrary(): fc.Arbitrary<{
  environment: GeneratedEnvironment;
  source: string;
}> {
  return environmentArbitrary().chain((environment) => {
    const functions = [...HOST_CALLABLES, ...environment.callables];
    const expr = exprArbitrary({ names: [...ENV_VARIABLES, "g", "toString", "e"], functions });
    // Half the time the program surely calls an expression function.
    const called = fc
      .record({
        left: expr,
        fn: fc.constantFrom(...environment.callables),
        args: fc.array(expr, { minLength: 3, maxLength: 3 }),
      })
      .map(({ left, fn, args }): Expr => {
        const call: Expr = {
          kind: "call",
          callee: fn.name,
          nameEnd: 0,
          args: args.slice(0, fn.minArgs),
          ...at,
        };
        return { kind: "binary", op: "-", left, right: call, opStart: 0, ...at };
      });
    // Bindings, each maybe calling host functions: each must run exactly once, in order.
    const names = [...ENV_VARIABLES, "g", "toString", "e"];
    const bound = fc
      .tuple(
        exprArbitrary({ names, functions, maxDepth: 3 }),
        exprArbitrary({ names: [...names, "b0"], functions, maxDepth: 3 }),
        fc.oneof(expr, called),
      )
      .map(([b0, b1, result]) => `b0 = ${print(b0)}; b1 = ${print(b1)}; b0 - (${print(result)})`);
    return fc.oneof(
      fc.oneof(expr, called).map((ast) => ({ environment, source: print(ast) })),
      bound.map((source) => ({ environment, source })),
    );
  });
}

/** The options `environment` stands for, its host functions writing to `log`. */
export function extensionOf(
  environment: GeneratedEnvironment,
  log: HostLog,
): { constants: Record<string, number>; functions: Map<string, UserFunctionSpec> } {
  const functions = new Map<string, UserFunctionSpec>();
  for (const text of environment.definitions) {
    functions.set(text.slice(0, text.indexOf("(")), text);
  }
  for (const [name, spec] of Object.entries(hostFunctions(log))) functions.set(name, spec);
  return { constants: environment.constants, functions };
}

/** The same trees as source text (`print`ed, so it parses back to the same shape). */
export function sourceArbitrary(options: ExprOptions = {}): fc.Arbitrary<string> {
  return exprArbitrary(options).map(print);
}

/** Variable values that tell implementations apart. */
export const SPECIAL_VALUES: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  2.5,
  3,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
];

/** The inputs that find bugs, plus any double. */
export const input: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...SPECIAL_VALUES),
  fc.double(),
);

/**
 * Fixed input rows for a program with `count` variables: every special
 * value appears in every position, each row mixing different ones (a test
 * that runs each generated program on all rows needs no random inputs).
 */
export function specialRows(count: number): number[][] {
  const n = SPECIAL_VALUES.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: count }, (_, k) => SPECIAL_VALUES[(i + 5 * k) % n] as number),
  );
}

/** Values for {@link VARIABLE_NAMES}, by name. */
export const inputs = fc
  .tuple(input, input, input, input, input)
  .map((values) =>
    Object.fromEntries(VARIABLE_NAMES.map((name, i) => [name, values[i] as number])),
  );

const tokenTexts = Object.values(TOKEN_TEXT).filter((t) => /^[^a-z ]+$/.test(t));

/** Sequences of plausible tokens glued together in random order. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...tokenTexts),
      fc.constantFrom("1", "2.5", ".5", "1e3", "x", "sin", "pi", "min", "(", ")", " "),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

/** Removes spans so trees parsed from different text compare by shape. */
export function shape(expr: Expr): unknown {
  switch (expr.kind) {
    case "number":
      return ["number", expr.value];
    case "identifier":
      return ["identifier", expr.name];
    case "call":
      return ["call", expr.callee, expr.args.map(shape)];
    case "unary":
      return ["unary", expr.op, shape(expr.operand)];
    case "binary":
      return ["binary", expr.op, shape(expr.left), shape(expr.right)];
    case "conditional":
      return ["conditional", shape(expr.test), shape(expr.consequent), shape(expr.alternate)];
  }
}
