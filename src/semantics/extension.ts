/**
 * An application's extension of the language, validated once: user
 * constants, host functions and expression functions (LANGUAGE.md, "User
 * constants and functions") become the {@link UserNames} that resolve
 * looks up after the builtins.
 *
 * Every mistake is an ExprError of its kind: a bad or taken name (`name`),
 * a constant that is not a number or a host `fn` that is not a function
 * (`input`), a bad arity (`arity`), bad definition text (`syntax`, with a
 * caret in that text), an unknown name in a body or recursion (`name`,
 * with a caret in the body). Errors about a name carry the name as their
 * source, so `format()` still shows what is wrong.
 */

import {
  ExprArityError,
  ExprError,
  ExprInputError,
  ExprLimitError,
  ExprNameError,
  ExprSyntaxError,
} from "../errors.js";
import { describeValue, type Limits } from "../limits.js";
import type { Call, Expr, ProgramSyntax } from "../syntax/ast.js";
import { parseSyntax } from "../syntax/parser.js";
import { lookupName, type UserNames } from "./names.js";
import type { Definition, HostFunction, UserFunction } from "./program.js";
import { MAX_ARGUMENTS, resolveBody } from "./resolve.js";

/** A host function: a JS function, or one with its arity and purity spelled out. */
export type HostFunctionSpec =
  | ((...args: number[]) => unknown)
  | {
      /** The function; called with `this` undefined and numbers only. */
      readonly fn: (...args: number[]) => unknown;
      /**
       * How many arguments: a whole number, or `[min, max]` (`max` may be
       * `Infinity`: `[1, Infinity]` is one-or-more). Default: `fn.length`.
       */
      readonly arity?: number | readonly [number, number];
      /** Same arguments, same result, no effect: calls may be folded when compiling. Default false. */
      readonly pure?: boolean;
    };

/** An expression function: `"lerp(a, b, t) = a + (b - a) * t"`, or its parameters and body. */
export type DefinitionSpec =
  | string
  | {
      readonly params: readonly string[];
      readonly body: string;
    };

/** What a name in `functions` may be given as. */
export type UserFunctionSpec = HostFunctionSpec | DefinitionSpec;

/** A table of named things: an object (own enumerable properties) or a Map. */
export type NameTable<T> = Readonly<Record<string, T>> | ReadonlyMap<string, T>;

/** The names an application adds: constants and functions. */
export interface Extension {
  /** Name → number, bound when compiling (so constant sub-expressions using them fold). */
  readonly constants?: NameTable<number> | null;
  /**
   * Name → host function or expression function. Expression functions may
   * call builtins, host functions and the expression functions listed
   * before them.
   */
  readonly functions?: NameTable<UserFunctionSpec> | null;
}

/** Validated user names, ready for resolve, with the definitions in order. */
export interface ValidatedExtension extends UserNames {
  /** Every user name: constants, then functions, in the order given. */
  readonly names: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates `extension`. Throws ExprError; `limits` bound the length and depth of definition text. */
export function validateExtension(extension: Extension, limits: Limits = {}): ValidatedExtension {
  const constants = new Map<string, number>();
  for (const [name, value] of entries<unknown>(extension.constants, "constants")) {
    checkName(name, "constant");
    if (typeof value !== "number") {
      throw new ExprInputError(
        `constant '${name}' must be a number, not ${describeValue(value)}`,
        name,
        whole(name),
      );
    }
    constants.set(name, value);
  }
  const hosts = new Map<string, HostFunction>();
  const pending: PendingDefinition[] = [];
  const functionNames = new Set<string>();
  for (const [name, spec] of entries<unknown>(extension.functions, "functions")) {
    checkName(name, "function");
    if (constants.has(name)) {
      throw new ExprNameError(
        `'${name}' is given both as a constant and as a function`,
        name,
        whole(name),
      );
    }
    functionNames.add(name);
    if (typeof spec === "string" || (isObject(spec) && "body" in spec)) {
      pending.push(parseDefinition(name, spec, limits));
    } else {
      hosts.set(name, hostFunction(name, spec));
    }
  }
  const functions = new Map<string, UserFunction>(hosts);
  checkParameters(pending, constants, functionNames);
  checkOrder(pending);
  // Each body sees the constants, the host functions and the definitions before it.
  pending.forEach((definition, index) => {
    const visible: UserNames = { constants, functions };
    functions.set(definition.name, define(definition, index, visible));
  });
  // Back in the order given: the map above met the host functions first.
  const ordered = new Map<string, UserFunction>();
  for (const name of functionNames) ordered.set(name, functions.get(name) as UserFunction);
  return Object.freeze({
    constants,
    functions: ordered,
    names: Object.freeze([...constants.keys(), ...functionNames]),
  });
}

/** The entries of a name table, own enumerable properties only; anything else is an input error. */
function entries<T>(table: unknown, what: string): [string, T][] {
  if (table === undefined || table === null) return [];
  if (table instanceof Map) return [...(table as Map<string, T>)];
  if (typeof table !== "object" || Array.isArray(table)) {
    throw new ExprInputError(
      `${what} must be an object or a Map of names, not ${Array.isArray(table) ? "an array" : describeValue(table)}`,
      "",
      { offset: 0, length: 0 },
    );
  }
  return Object.keys(table).map((name) => [name, (table as Record<string, T>)[name] as T]);
}

/** A user name must be an identifier, and not a builtin's. */
function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name !== "string" || !IDENTIFIER.test(name)) {
    const text = String(name);
    throw new ExprNameError(
      `${what} name ${JSON.stringify(text)} is not a name (letters, digits and _, not starting with a digit)`,
      text,
      whole(text),
    );
  }
  const builtin = lookupName(name);
  if (builtin !== undefined) {
    const kind = builtin.kind === "constant" ? "constant" : "function";
    throw new ExprNameError(
      `'${name}' is a builtin ${kind}; a ${what} needs another name`,
      name,
      whole(name),
    );
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null;
}

function whole(text: string): { offset: number; length: number } {
  return { offset: 0, length: text.length };
}

/** A host function from its spec. */
function hostFunction(name: string, spec: unknown): HostFunction {
  const given = typeof spec === "function" ? { fn: spec } : isObject(spec) ? spec : undefined;
  const fn = given?.fn;
  if (typeof fn !== "function") {
    const got = given === undefined ? describeValue(spec) : `{ fn: ${describeValue(fn)} }`;
    throw new ExprInputError(
      `function '${name}' must be a JS function, { fn, arity, pure }, a definition such as "${name}(x) = x + 1" or { params, body }; got ${got}`,
      name,
      whole(name),
    );
  }
  const pure = given?.pure ?? false;
  if (typeof pure !== "boolean") {
    throw new ExprInputError(
      `'pure' of function '${name}' must be true or false, not ${describeValue(pure)}`,
      name,
      whole(name),
    );
  }
  const [minArgs, maxArgs] = arityOf(name, given?.arity, fn.length);
  return Object.freeze({
    kind: "host",
    name,
    minArgs,
    maxArgs,
    pure,
    fn: fn as HostFunction["fn"],
  });
}

/** `[min, max]` from an arity spec: a count, or a range; `fallback` (fn.length) when absent. */
function arityOf(name: string, arity: unknown, fallback: number): [number, number] {
  const count = (value: unknown): value is number =>
    typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_ARGUMENTS;
  if (arity === undefined) return [fallback, fallback];
  if (count(arity)) return [arity, arity];
  if (Array.isArray(arity) && arity.length === 2) {
    const [min, max] = arity as unknown[];
    const open = max === Number.POSITIVE_INFINITY;
    if (count(min) && (count(max) || open) && min <= (max as number)) {
      return [min, max as number];
    }
  }
  const got = Array.isArray(arity)
    ? `[${arity.map(describeValue).join(", ")}]`
    : describeValue(arity);
  throw new ExprArityError(
    `arity of '${name}' must be a whole number from 0 to ${MAX_ARGUMENTS}, or [min, max] with min <= max (max may be Infinity); got ${got}`,
    name,
    whole(name),
  );
}

/** A definition parsed but not yet resolved. */
interface PendingDefinition {
  readonly name: string;
  readonly params: readonly string[];
  /** The body's tree (its bindings, then its result); its offsets point into `source`. */
  readonly tree: ProgramSyntax;
  /** The text errors in the body point into: the definition text, or the `body` string. */
  readonly source: string;
  /** The definition as text, for dumps: `lerp(a, b, t) = a + (b - a) * t`. */
  readonly text: string;
  /** Where each parameter stands in `source`, when it is written there. */
  readonly paramSpans: readonly { offset: number; length: number }[] | undefined;
}

/** Parses a definition given as text, or as `{ params, body }`. */
function parseDefinition(name: string, spec: unknown, limits: Limits): PendingDefinition {
  if (typeof spec === "string") return parseDefinitionText(name, spec, limits);
  const { params, body } = spec as { params?: unknown; body?: unknown };
  if (typeof body !== "string") {
    throw new ExprInputError(
      `the body of '${name}' must be a string, not ${describeValue(body)}`,
      name,
      whole(name),
    );
  }
  const list = params ?? [];
  if (!Array.isArray(list)) {
    throw new ExprInputError(
      `the params of '${name}' must be an array of names, not ${describeValue(list)}`,
      name,
      whole(name),
    );
  }
  for (const param of list) {
    if (typeof param !== "string" || !IDENTIFIER.test(param)) {
      const text = String(param);
      throw new ExprNameError(
        `parameter ${JSON.stringify(text)} of '${name}' is not a name`,
        text,
        whole(text),
      );
    }
  }
  const names = list as string[];
  const tree = rebased(body, () => parseSyntax(body, limits));
  return {
    name,
    params: names,
    tree,
    source: body,
    text: `${name}(${names.join(", ")}) = ${body}`,
    paramSpans: undefined,
  };
}

/** White space of the language: space, tab, CR, LF. */
function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

/** `name(a, b) = body`, with every error pointing into `text`. */
function parseDefinitionText(key: string, text: string, limits: Limits): PendingDefinition {
  let at = 0;
  const skip = () => {
    while (isSpace(text[at])) at++;
  };
  const fail = (message: string, length = 1): never => {
    throw new ExprSyntaxError(message, text, { offset: at, length });
  };
  const identifier = (): string | undefined => {
    const word = /[A-Za-z_][A-Za-z0-9_]*/y;
    word.lastIndex = at;
    return word.exec(text)?.[0];
  };
  skip();
  const name = identifier();
  if (name === undefined) {
    fail(`a definition starts with the function's name, as in "${key}(x) = x + 1"`);
  }
  const nameAt = at;
  if (name !== key) {
    throw new ExprNameError(
      `this definition is of '${name}', but it is given as function '${key}'`,
      text,
      { offset: nameAt, length: (name as string).length },
    );
  }
  at += key.length;
  skip();
  if (text[at] !== "(") fail(`expected '(' and the parameters after '${key}'`);
  at++;
  skip();
  const params: string[] = [];
  const paramSpans: { offset: number; length: number }[] = [];
  if (text[at] === ")") at++;
  else {
    for (;;) {
      skip();
      const param = identifier();
      if (param === undefined) fail("expected a parameter name");
      paramSpans.push({ offset: at, length: (param as string).length });
      params.push(param as string);
      at += (param as string).length;
      skip();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === ")") {
        at++;
        break;
      }
      fail("expected ',' or ')' in the parameter list");
    }
  }
  skip();
  if (text[at] !== "=" || text[at + 1] === "=")
    fail("expected '=' and the body after the parameters");
  at++;
  // The body is parsed in place (the head blanked out), so its offsets are the text's own.
  const padded = " ".repeat(at) + text.slice(at);
  const tree = rebased(text, () => parseSyntax(padded, limits));
  return { name: key, params, tree, source: text, text: text.trim(), paramSpans };
}

/** Runs `parse`; an ExprError it raises is raised again with `text` as its source. */
function rebased<T>(text: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ExprError) || error.source === text) throw error;
    const span = { offset: error.offset, length: error.length };
    if (error.kind === "limit") throw new ExprLimitError(error.message, text, span);
    if (error.kind === "syntax") throw new ExprSyntaxError(error.message, text, span);
    // Anything else (a wrongly typed limit, say) is not about the text: as it is.
    throw error;
  }
}

/** Parameters are names no one else has, and each appears once. */
function checkParameters(
  pending: readonly PendingDefinition[],
  constants: ReadonlyMap<string, number>,
  functions: ReadonlySet<string>,
): void {
  for (const definition of pending) {
    const { name, params, paramSpans, source } = definition;
    params.forEach((param, i) => {
      const span = paramSpans?.[i];
      const where = span === undefined ? param : source;
      const at = span ?? whole(param);
      const problem =
        lookupName(param) !== undefined
          ? "is a builtin name"
          : constants.has(param)
            ? "is the name of a constant"
            : functions.has(param)
              ? "is the name of a function"
              : params.indexOf(param) !== i
                ? "is given twice"
                : undefined;
      if (problem !== undefined) {
        throw new ExprNameError(`parameter '${param}' of '${name}' ${problem}`, where, at);
      }
    });
    if (params.length > MAX_ARGUMENTS) {
      throw new ExprLimitError(
        `'${name}' has ${params.length} parameters; a function takes at most ${MAX_ARGUMENTS}`,
        name,
        whole(name),
      );
    }
  }
}

/**
 * A body may call only definitions before it (LANGUAGE.md), so no cycle
 * can form; a call of itself, of a later one that leads back, or of a
 * later one at all each gets its own message, at the call.
 */
function checkOrder(pending: readonly PendingDefinition[]): void {
  const position = new Map(pending.map((d, i) => [d.name, i]));
  const callsOf = pending.map((d) => {
    const calls: Call[] = [];
    for (const binding of d.tree.bindings) collectCalls(binding.value, calls);
    collectCalls(d.tree.result, calls);
    return calls.filter((call) => position.has(call.callee));
  });
  const reaches = (
    from: number,
    target: number,
    seen = new Set<number>(),
  ): string[] | undefined => {
    for (const call of callsOf[from] as Call[]) {
      const next = position.get(call.callee) as number;
      if (next === target) return [call.callee];
      if (seen.has(next)) continue;
      seen.add(next);
      const path = reaches(next, target, seen);
      if (path !== undefined) return [call.callee, ...path];
    }
    return undefined;
  };
  pending.forEach((definition, i) => {
    for (const call of callsOf[i] as Call[]) {
      const j = position.get(call.callee) as number;
      if (j < i) continue;
      const span = { offset: call.start, length: call.nameEnd - call.start };
      const { name, source } = definition;
      if (j === i) {
        throw new ExprNameError(
          `'${name}' calls itself; an expression function cannot be recursive`,
          source,
          span,
        );
      }
      const path = reaches(j, i);
      if (path !== undefined) {
        throw new ExprNameError(
          `'${name}' and '${call.callee}' call each other (${[name, call.callee, ...path].join(" → ")}); expression functions cannot be recursive`,
          source,
          span,
        );
      }
      throw new ExprNameError(
        `'${call.callee}' is defined after '${name}'; a function may call only functions defined before it`,
        source,
        span,
      );
    }
  });
}

/** Every call in `expr`, in source order. Recursion is bounded by the parser's depth limit. */
function collectCalls(expr: Expr, out: Call[]): void {
  switch (expr.kind) {
    case "number":
    case "identifier":
      return;
    case "call":
      out.push(expr);
      for (const arg of expr.args) collectCalls(arg, out);
      return;
    case "unary":
      collectCalls(expr.operand, out);
      return;
    case "binary":
      collectCalls(expr.left, out);
      collectCalls(expr.right, out);
      return;
    case "conditional":
      collectCalls(expr.test, out);
      collectCalls(expr.consequent, out);
      collectCalls(expr.alternate, out);
      return;
  }
}

/** Resolves a definition's body against the names visible to it. */
function define(pending: PendingDefinition, index: number, visible: UserNames): Definition {
  const { name, params, tree, source, text } = pending;
  const { bindings, body, depth, calls, hosts } = resolveBody(tree, source, visible, name, params);
  const pure = hosts.every((host) => host.pure);
  const deepest = calls.reduce((most, called) => Math.max(most, called.depth), 0);
  return Object.freeze({
    kind: "definition",
    name,
    index,
    minArgs: params.length,
    maxArgs: params.length,
    pure,
    params: Object.freeze([...params]),
    bindings,
    body,
    text,
    source,
    depth: depth + deepest,
    calls,
    hosts,
  });
}
