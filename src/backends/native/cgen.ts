/**
 * C code generation: the resolved Program → one C function
 * `static double exprjit_eval(double a0, ...)`, plus the runtime helpers it
 * uses. The whole C translation unit (with its Node-API wrapper) is put
 * together by addon.ts.
 *
 * The body is flat, three-address code: every operation assigns a
 * temporary, and `?:`, `&&` and `||` become forward `goto`s, so only the
 * chosen branch runs. Flat code means a 2,000-deep expression is 2,000
 * lines, not 2,000 nested parentheses for the C parser to recurse through.
 * Only numbers (as exact hexadecimal literals) and slot numbers reach the
 * text; nothing the user wrote, not even variable names, so `x+1` and
 * `y+1` share one compiled object in the cache.
 *
 * Each expression function the program calls is a `static` C function of
 * its own, `exprjit_u0`, `exprjit_u1`, … (numbered by its place in
 * `Program.definitions`, callees first, so each is defined before use),
 * its parameters `a0`, `a1`, … Bindings (v3) are computed in order into
 * temporaries at the top of their function (each once), a read being that
 * temporary. With several results the evaluation function is
 * `static void exprjit_eval(double *r, double a0, ...)`, writing `r[k]`.
 * A host function cannot be called from C:
 * a program that calls one is refused with an ExprError (kind `backend`).
 */

import { ExprBackendError } from "../../errors.js";
import type {
  ApplyNode,
  BinaryNode,
  Binding,
  CallNode,
  Definition,
  Node,
  Program,
} from "../../semantics/program.js";
import {
  type BinaryOp,
  decidingTruth,
  type LogicalOp,
  type ProgramUnaryOp,
} from "../../syntax/operators.js";
import { unreachable } from "../../unreachable.js";
import { cDouble } from "./hexfloat.js";
import { type CHelper, HELPER_NAMES, HELPERS, type HelperName } from "./runtime.js";
import { C_FUNCTIONS, type CFunction, POWER_OPERATOR, REMAINDER_OPERATOR } from "./spelling.js";

/** How a binary operator is written in C. */
type CBinary =
  /** A C operator with the JS meaning on doubles as it is. */
  | { readonly kind: "infix"; readonly text: string }
  /** A C comparison, made 0.0 or 1.0. */
  | { readonly kind: "compare"; readonly text: string }
  /** A C function of two doubles: libm's, or a runtime helper (with its allowance). */
  | { readonly kind: "call"; readonly function: CFunction }
  /**
   * `&&`, `||`: forward jumps, so the right side runs only when needed;
   * `decides` is the truth of the left side that decides alone.
   */
  | { readonly kind: "logical"; readonly decides: boolean };

/** A C function that takes its arguments as they are. */
type PlainFunction = Extract<CFunction, { readonly kind: "libm" | "helper" }>;

const infix = (text: string): CBinary => ({ kind: "infix", text });
const compare = (text: string): CBinary => ({ kind: "compare", text });
const logical = (op: LogicalOp): CBinary => ({ kind: "logical", decides: decidingTruth(op) });

/** Every binary operator's C; a missing one is a type error. */
const C_BINARY = {
  "+": infix("+"),
  "-": infix("-"),
  "*": infix("*"),
  "/": infix("/"),
  "%": { kind: "call", function: REMAINDER_OPERATOR },
  "^": { kind: "call", function: POWER_OPERATOR },
  "<": compare("<"),
  "<=": compare("<="),
  ">": compare(">"),
  ">=": compare(">="),
  "==": compare("=="),
  "!=": compare("!="),
  "&&": logical("&&"),
  "||": logical("||"),
} as const satisfies Record<BinaryOp, CBinary>;

/** The name of the generated evaluation function. */
export const EVAL_FUNCTION = "exprjit_eval";

/** The C of one program: the helpers it needs and its evaluation function. */
export interface CFunctionText {
  /** Definitions of the runtime helpers used, in a fixed order. */
  readonly helpers: readonly CHelper[];
  /** The expression functions' C functions, then `static double exprjit_eval(...) { ... }`. */
  readonly definition: string;
  /** Number of parameters (the program's variables). */
  readonly arity: number;
  /** Number of operations (temporaries): how large the function is for the compiler. */
  readonly operations: number;
  /** Number of results: with more than one, the evaluation function writes them to `r`. */
  readonly results: number;
}

/** The C name of expression function `i` of a program. */
function userFunction(i: number): string {
  return `exprjit_u${i}`;
}

/**
 * Generates the evaluation function of `program`. Throws ExprBackendError
 * if it calls a host function (JavaScript, which C cannot call).
 */
export function generateFunction(program: Program): CFunctionText {
  const host = program.hosts[0];
  if (host !== undefined) {
    throw new ExprBackendError(
      `the native back-end cannot call host function '${host.name}' (a JavaScript function); use the treewalk, vm, js or wasm back-end`,
      program.source,
    );
  }
  const used = new Set<HelperName>();
  const numbers = new Map(program.definitions.map((definition, i) => [definition, i]));
  const built = program.definitions.map((definition, i) =>
    cFunction(
      userFunction(i),
      definition.params.length,
      definition.bindings,
      [definition.body],
      numbers,
      used,
    ),
  );
  const arity = program.variables.length;
  const roots = program.results.map((result) => result.value);
  built.push(cFunction(EVAL_FUNCTION, arity, program.bindings, roots, numbers, used));
  const helpers: CHelper[] = [];
  for (const name of HELPER_NAMES) if (used.has(name)) helpers.push(HELPERS[name]);
  // The C compiler's time grows faster than the size of a function: the largest one counts.
  let operations = 0;
  for (const f of built) if (f.operations > operations) operations = f.operations;
  const definition = built.map((f) => f.text).join("\n\n");
  return { helpers, definition, arity, operations, results: roots.length };
}

/**
 * `static double NAME(double a0, …) { … }` computing `bindings`, then
 * returning the one root; with several roots `static void NAME(double *r,
 * double a0, …)` writing root `k` to `r[k]`. Also its number of operations.
 */
function cFunction(
  name: string,
  arity: number,
  bindings: readonly Binding[],
  roots: readonly Node[],
  numbers: ReadonlyMap<Definition, number>,
  helpers: Set<HelperName>,
): { readonly text: string; readonly operations: number } {
  const emitter = new Emitter(numbers, helpers);
  for (const binding of bindings) emitter.locals.push(emitter.emit(binding.value));
  const values = roots.map((root) => emitter.emit(root));
  const several = values.length > 1;
  let params = several ? "double *r" : "";
  for (let i = 0; i < arity; i++) params += `${params === "" ? "" : ", "}double a${i}`;
  if (params === "") params = "void";
  // Appended one by one: the body has a line per operation, and spreading
  // an array that long into push() would overflow the call stack.
  const lines = [`static ${several ? "void" : "double"} ${name}(${params}) {`];
  declare(lines, emitter.temps);
  for (const line of emitter.lines) lines.push(line);
  if (several) {
    for (const [k, value] of values.entries()) lines.push(`  r[${k}] = ${value};`);
  } else lines.push(`  return ${values[0]};`);
  lines.push("}");
  return { text: lines.join("\n"), operations: emitter.temps };
}

/** Appends `double t0, t1, ...;` in lines of at most 12 names, so long programs stay readable. */
function declare(lines: string[], count: number): void {
  for (let from = 0; from < count; from += 12) {
    const names: string[] = [];
    for (let i = from; i < count && i < from + 12; i++) names.push(`t${i}`);
    lines.push(`  double ${names.join(", ")};`);
  }
}

/**
 * Walks the tree once, appending statements; `emit` returns the C operand
 * holding a node's value (a literal, a parameter or a temporary).
 * Recursion depth is the tree's depth, which the parser bounds.
 */
class Emitter {
  readonly lines: string[] = [];
  /** The operand holding each binding's value (a temporary, a parameter or a literal). */
  readonly locals: string[] = [];
  temps = 0;
  private labels = 0;

  constructor(
    private readonly numbers: ReadonlyMap<Definition, number>,
    private readonly helpers: Set<HelperName>,
  ) {}

  emit(node: Node): string {
    switch (node.kind) {
      case "number":
        return cDouble(node.value);
      case "variable":
        return `a${node.slot}`;
      case "local":
        return this.locals[node.index] as string;
      case "unary":
        return this.unary(node.op, this.emit(node.operand));
      case "binary":
        return this.binary(node);
      case "conditional":
        return this.branch(node.test, node.consequent, node.alternate);
      case "call":
        return this.call(node);
      case "apply":
        return this.apply(node);
      case "host":
        // generateFunction refuses such a program before any emitting.
        throw new Error(`native: host function '${node.fn.name}' reached the C emitter`);
      default:
        return unreachable(node, "node");
    }
  }

  private unary(op: ProgramUnaryOp, operand: string): string {
    switch (op) {
      case "-":
        return this.assign(`-${operand}`);
      case "!":
        return this.assign(`(double)(${operand} == 0)`);
      default:
        return unreachable(op, "operator");
    }
  }

  private binary(node: BinaryNode): string {
    const spelling: CBinary = C_BINARY[node.op];
    if (spelling.kind === "logical") return this.logical(node, spelling.decides);
    const left = this.emit(node.left);
    const right = this.emit(node.right);
    switch (spelling.kind) {
      case "infix":
        return this.assign(`${left} ${spelling.text} ${right}`);
      case "compare":
        return this.assign(`(double)(${left} ${spelling.text} ${right})`);
      case "call":
        return this.callSpelling(spelling.function, [left, right]);
      default:
        return unreachable(spelling, "spelling");
    }
  }

  /**
   * `a && b` is 0 when a is false, else the truth of b (as 1 or 0); `a || b`
   * is 1 when a is true, else the truth of b. b's code is jumped over when
   * a decides, so b is not evaluated.
   */
  private logical(node: BinaryNode, decides: boolean): string {
    const a = this.emit(node.left);
    const result = this.temp();
    const done = `L${this.labels++}_done`;
    if (decides) {
      this.lines.push(`  ${result} = 1.0;`, `  if (${a} != 0) goto ${done};`);
    } else {
      this.lines.push(`  ${result} = 0.0;`, `  if (${a} == 0) goto ${done};`);
    }
    const b = this.emit(node.right);
    this.lines.push(`  ${result} = (double)(${b} != 0);`, `${done}:;`);
    return result;
  }

  /** `test ? consequent : alternate`; NaN is true, so only `== 0` picks the alternate. */
  private branch(test: Node, consequent: Node, alternate: Node): string {
    const condition = this.emit(test);
    const result = this.temp();
    const label = this.labels++;
    this.lines.push(`  if (${condition} == 0) goto L${label}_else;`);
    this.lines.push(`  ${result} = ${this.emit(consequent)};`, `  goto L${label}_done;`);
    this.lines.push(`L${label}_else:;`);
    this.lines.push(`  ${result} = ${this.emit(alternate)};`, `L${label}_done:;`);
    return result;
  }

  private call(node: CallNode): string {
    const args: string[] = [];
    for (const arg of node.args) args.push(this.emit(arg));
    return this.callSpelling(C_FUNCTIONS[node.fn.name], args);
  }

  /** Calls `spelling` on operands `args`; returns the operand holding the result. */
  private callSpelling(spelling: CFunction, args: readonly string[]): string {
    switch (spelling.kind) {
      case "libm":
      case "helper":
        return this.assign(`${this.spell(spelling)}(${args.join(", ")})`);
      case "fold":
        return this.fold(this.helper(spelling.helper), args);
      case "array": {
        const list = `(const double[]){${args.join(", ")}}`;
        return this.assign(`${this.helper(spelling.helper)}(${args.length}, ${list})`);
      }
    }
  }

  /** A call of an expression function's C function, its arguments evaluated first, left to right. */
  private apply(node: ApplyNode): string {
    const args: string[] = [];
    for (const arg of node.args) args.push(this.emit(arg));
    const name = userFunction(this.numbers.get(node.fn) as number);
    return this.assign(`${name}(${args.join(", ")})`);
  }

  /** min/max of one argument is that argument (JS: NaN stays NaN, -0 stays -0). */
  private fold(name: string, args: readonly string[]): string {
    let acc = args[0] as string;
    for (let i = 1; i < args.length; i++) acc = this.assign(`${name}(${acc}, ${args[i]})`);
    return acc;
  }

  /** The C name of a function that takes its arguments as they are. */
  private spell(fn: PlainFunction): string {
    return fn.kind === "libm" ? fn.name : this.helper(fn.helper);
  }

  private helper(name: HelperName): string {
    this.helpers.add(name);
    return HELPERS[name].name;
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  private assign(expression: string): string {
    const target = this.temp();
    this.lines.push(`  ${target} = ${expression};`);
    return target;
  }
}
