/**
 * The resolved program: what every back-end receives. Names are resolved
 * (constants became numbers, functions point at their builtin, variables
 * have slots in first-appearance order) and `+a` is gone (it is `a`).
 * Spans are kept so any stage can point back at the source. Names an
 * application adds (constants, host functions, expression functions) are
 * resolved the same way: constants become numbers, calls become `host` or
 * `apply` nodes, and the expression functions used are listed beside the
 * tree.
 *
 * Every node says whether its value is known to be exactly +0 or 1
 * (`zeroOrOne`: comparisons, `!`, `&&`, `||`, the literals 0 and 1, and a
 * `?:` whose branches both are), so a back-end can use a value as a truth
 * without testing it again. Nodes are made only by nodes.ts, which sets it.
 */

import type { BinaryOp, ProgramUnaryOp } from "../syntax/operators.js";
import type { SourceRange } from "../text/range.js";
import type { Builtin } from "./builtins.js";

/** What every node has: where it stands in the source, and its mark. */
export interface NodeBase extends SourceRange {
  /** Whether the value is always exactly +0 or 1. */
  readonly zeroOrOne: boolean;
}

/** A number: a literal, or a constant (`name` says which, for dumps). */
export interface NumberNode extends NodeBase {
  readonly kind: "number";
  readonly value: number;
  readonly name?: string;
}

/** A variable, read from argument `slot` (its index in `Program.variables`). */
export interface VariableNode extends NodeBase {
  readonly kind: "variable";
  readonly name: string;
  readonly slot: number;
}

/**
 * A read of binding `index` of the enclosing program (or of the enclosing
 * definition's body), computed earlier in the same evaluation (v3).
 */
export interface LocalNode extends NodeBase {
  readonly kind: "local";
  readonly name: string;
  readonly index: number;
}

/** Negation or logical not (`+a` never reaches a back-end). */
export interface UnaryNode extends NodeBase {
  readonly kind: "unary";
  readonly op: ProgramUnaryOp;
  readonly operand: Node;
}

/** A binary operator, `&&` and `||` included (they short-circuit). */
export interface BinaryNode extends NodeBase {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly left: Node;
  readonly right: Node;
}

/** `test ? consequent : alternate`: only the chosen branch is evaluated. */
export interface ConditionalNode extends NodeBase {
  readonly kind: "conditional";
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
}

/** A call of a builtin, arity already checked. */
export interface CallNode extends NodeBase {
  readonly kind: "call";
  readonly fn: Builtin;
  readonly args: readonly Node[];
}

/**
 * A call of an application's host function (a JS function given when
 * compiling): its arguments left to right, then the function, exactly once
 * per evaluation of the call, its result checked to be a number.
 */
export interface HostCallNode extends NodeBase {
  readonly kind: "host";
  readonly fn: HostFunction;
  readonly args: readonly Node[];
}

/**
 * A call of an expression function (a definition such as
 * `lerp(a, b, t) = a + (b - a) * t`): its arguments left to right, then
 * its body with parameter `i` bound to argument `i`.
 */
export interface ApplyNode extends NodeBase {
  readonly kind: "apply";
  readonly fn: Definition;
  readonly args: readonly Node[];
}

/** A resolved expression. */
export type Node =
  | NumberNode
  | VariableNode
  | LocalNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | CallNode
  | HostCallNode
  | ApplyNode;

/**
 * `name = value;` (v3): evaluated exactly once per evaluation, in order,
 * before the results, even when nothing reads it; its value may read the
 * bindings before it (`local` nodes). Its span is the name's.
 */
export interface Binding extends SourceRange {
  readonly name: string;
  readonly value: Node;
  /** Depth of `value` (a leaf has depth 1). */
  readonly depth: number;
}

/**
 * One output of a program: `name` is `""` for a plain expression's one
 * result, a formula's name in a formula set.
 */
export interface Result {
  readonly name: string;
  readonly value: Node;
}

/** What every user function has: its name and arity (checked when compiling, as for builtins). */
interface UserFunctionBase {
  /** The name calls use. */
  readonly name: string;
  /** Fewest arguments. */
  readonly minArgs: number;
  /** Most arguments (`Infinity` for one-or-more). */
  readonly maxArgs: number;
  /**
   * Whether a call with the same arguments always gives the same result
   * and has no effect, so folding may call it once when compiling.
   */
  readonly pure: boolean;
}

/** A JavaScript function an application lends the language. */
export interface HostFunction extends UserFunctionBase {
  readonly kind: "host";
  /** The application's function, called with `this` undefined. */
  readonly fn: (...args: number[]) => unknown;
}

/**
 * An expression function: a body in the language itself whose variable
 * nodes are its parameters (slot `i` is `params[i]`). Its body may call
 * builtins, host functions and definitions made before it, never itself.
 */
export interface Definition extends UserFunctionBase {
  readonly kind: "definition";
  /** Its position among the environment's definitions: callees come before callers. */
  readonly index: number;
  /** Parameter names; `minArgs === maxArgs === params.length`. */
  readonly params: readonly string[];
  /** The body's bindings (v3), evaluated in order on each call before `body`; `[]` for none. */
  readonly bindings: readonly Binding[];
  /** The resolved body's result: its `local` nodes index `bindings`. */
  readonly body: Node;
  /** The definition as text (`lerp(a, b, t) = a + (b - a) * t`), for dumps. */
  readonly text: string;
  /** The text the body's spans point into: `text` as given, or the `body` string. */
  readonly source: string;
  /** Greatest depth of `body` (and of its bindings) plus that of the definitions it calls. */
  readonly depth: number;
  /** The definitions its body calls, directly or not, in definition order. */
  readonly calls: readonly Definition[];
  /** The host functions its body calls, directly or not. */
  readonly hosts: readonly HostFunction[];
}

/** A function an application adds: a host function or an expression function. */
export type UserFunction = HostFunction | Definition;

/** What the front end hands every back-end. */
export interface Program {
  /** The source text the program came from. */
  readonly source: string;
  /**
   * The bindings (v3), in evaluation order: each is evaluated exactly once
   * per evaluation, before the results; `local` nodes index them. `[]` for
   * a plain expression.
   */
  readonly bindings: readonly Binding[];
  /**
   * The outputs, computed after the bindings: one (named `""`) for a plain
   * expression, one per formula for a formula set. A back-end's `fn`
   * returns `results[0]`; its `fnInto` writes them all.
   */
  readonly results: readonly Result[];
  /** Variable names in order of first appearance; slot i is `variables[i]`. */
  readonly variables: readonly string[];
  /** Where each variable first appears, for errors about its value. */
  readonly firstUse: readonly SourceRange[];
  /** Greatest depth of any binding's value or result (a leaf has depth 1); back-ends may size stacks by it. */
  readonly depth: number;
  /**
   * The expression functions the bindings and results call, directly or through one another,
   * in definition order (a definition's callees come before it): a
   * back-end emits one function for each.
   */
  readonly definitions: readonly Definition[];
  /** The host functions the bindings and results may call, directly or inside a definition, in first-use order. */
  readonly hosts: readonly HostFunction[];
  /** The user names (constants and functions) the source itself uses, in first-use order. */
  readonly userNames: readonly string[];
}

/**
 * The value of result 0 of `program`: the whole of a plain expression
 * (which has no bindings), or the first formula's of a set.
 */
export function firstResult(program: Program): Node {
  return (program.results[0] as Result).value;
}
