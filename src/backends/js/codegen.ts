/**
 * The JavaScript code generator: resolved Program → the source of one
 * function `Main(v0, v1, …)`. It reads nothing but the Program: variables
 * become generated parameter names, numbers become literals that read back
 * exactly, builtins are referred to by their table names (the loader binds
 * those names to the captured implementations), and every composite
 * sub-expression is wrapped in its own parentheses, so JavaScript's
 * precedence can never regroup it (`(1+2)*3` must not become `1+2*3`).
 *
 * The walk is iterative, so the generator itself never recurses. V8's parser
 * does recurse, and overflows somewhere between 500 and 2,000 nested
 * parentheses; so any sub-expression that reaches {@link CHUNK_DEPTH} levels
 * is moved into an inner function of its own (`f0`, `f1`, …, declared inside
 * `Main` so they see its parameters) and replaced by a call. Nesting in the
 * generated text stays bounded and a branch is still evaluated only when it
 * is chosen.
 *
 * Bindings (v3) are `const b0 = …;` statements before the `return`, in
 * order (each evaluated once, read or not); a read is `b0`. A program with
 * several results is `Main(out, v0, …)` writing `out[r] = …;` for each.
 *
 * User functions never reach the text by name. An expression function is a
 * function `d0`, `d1`, … (numbered by its place in `Program.definitions`,
 * its parameters `v0`, `v1`, …) declared beside `Main`; a host function is
 * the loader's binding `h0`, `h1`, … (by its place in `Program.hosts`),
 * its result passed through the checker `k0`, `k1`, … bound with it.
 */

import { type Builtin, type FunctionName, lookupFunction } from "../../semantics/builtins.js";
import type { Binding, Definition, HostFunction, Node, Program } from "../../semantics/program.js";
import type { BinaryOp, ProgramUnaryOp } from "../../syntax/operators.js";
import { unreachable } from "../../unreachable.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isNaN: isNan } = Number;
const { is: sameValue } = Object;
const { max: maxOf } = Math;

/** Tree levels after which a sub-expression moves into an inner function. */
export const CHUNK_DEPTH = 64;

/** V8 accepts at most this many parameters in a function definition. */
export const MAX_PARAMETERS = 65_534;

/** What the loaders need: the declaration of `Main` and the builtins it calls. */
export interface GeneratedCode {
  /** `function Main(v0, v1) {\n  return …;\n}` (inner functions included): `body` declared. */
  readonly main: string;
  /** The body of `main`: `  return …;` and its inner functions, without the braces. */
  readonly body: string;
  /** The expression functions' declarations (`function d0(v0) {…}`), each ending in a newline. */
  readonly prelude: string;
  /**
   * Parameter names of `Main`, one per variable slot: `v0`, `v1`, …; first
   * `out` when the program has several results (`Main` then writes them).
   */
  readonly params: readonly string[];
  /** How many results the program has: with more than one, `Main` writes them to `out`. */
  readonly results: number;
  /** The builtins `main` refers to, in table order; their names are free in `main`. */
  readonly builtins: readonly Builtin[];
  /** The host functions, `h{i}` and its checker `k{i}` being free in the code for `hosts[i]`. */
  readonly hosts: readonly HostFunction[];
}

/** Why a program cannot be written as JavaScript here (a V8 limit), or undefined. */
export function unsupported(program: Program): string | undefined {
  if (program.variables.length > MAX_PARAMETERS) {
    return `the expression has ${program.variables.length} variables; JavaScript functions take at most ${MAX_PARAMETERS} parameters`;
  }
  return undefined;
}

/** Generates `Main` for `program`. Call {@link unsupported} first. */
export function generateJs(program: Program): GeneratedCode {
  const params = program.variables.map((_, slot) => `v${slot}`);
  const { names, prelude } = definitionsOf(program);
  const results = program.results.length;
  const emitter = new Emitter(names);
  let body = constants(emitter, program.bindings);
  if (results === 1) {
    body += `  return ${emitter.emit((program.results[0] as Program["results"][number]).value)};`;
  } else {
    params.unshift("out");
    program.results.forEach((result, r) => {
      body += `  out[${r}] = ${emitter.emit(result.value)};\n`;
    });
    body = body.slice(0, -1);
  }
  body += innerFunctions(emitter);
  return {
    main: declaration("Main", params, body),
    body,
    prelude,
    params,
    results,
    builtins: builtinsOf(names),
    hosts: program.hosts,
  };
}

/** `  const b0 = …;\n` for each binding, in order. */
function constants(emitter: Emitter, bindings: readonly Binding[]): string {
  let text = "";
  bindings.forEach((binding, i) => {
    text += `  const b${i} = ${emitter.emit(binding.value)};\n`;
  });
  return text;
}

/** The names of `program`'s callees, and the functions `d0`, `d1`, … of its definitions. */
function definitionsOf(program: Program): { readonly names: Names; readonly prelude: string } {
  // Most programs call neither: they share one empty map rather than make two per compile.
  const names: Names = {
    used: new Map(),
    hosts:
      program.hosts.length === 0 ? NO_HOSTS : new Map(program.hosts.map((host, i) => [host, i])),
    definitions:
      program.definitions.length === 0
        ? NO_DEFINITIONS
        : new Map(program.definitions.map((definition, i) => [definition, i])),
  };
  let prelude = "";
  program.definitions.forEach((definition, i) => {
    const args = definition.params.map((_, slot) => `v${slot}`);
    const body = bodyOf(definition.bindings, definition.body, names);
    prelude += `${declaration(`d${i}`, args, body)}\n`;
  });
  return { names, prelude };
}

/** The bindings' consts and `  return …;` for `root`, with the inner functions they needed: a function body. */
function bodyOf(bindings: readonly Binding[], root: Node, names: Names): string {
  const emitter = new Emitter(names);
  const consts = constants(emitter, bindings);
  const value = emitter.emit(root);
  return `${consts}  return ${value};${innerFunctions(emitter)}`;
}

/** The declarations of the inner functions `f0`, `f1`, … an emitter made, each on new lines. */
function innerFunctions(emitter: Emitter): string {
  let text = "";
  emitter.chunks.forEach((chunk, i) => {
    text += `\n  function f${i}() {\n    return ${chunk};\n  }`;
  });
  return text;
}

/** `function NAME(params) {\nBODY\n}`. */
function declaration(name: string, params: readonly string[], body: string): string {
  return `function ${name}(${params.join(", ")}) {\n${body}\n}`;
}

/** The builtins `names` noted as used, in table order. */
function builtinsOf(names: Names): Builtin[] {
  const builtins = [...names.used.values()];
  if (builtins.length > 1) builtins.sort(byIndex);
  return builtins;
}

function byIndex(a: Builtin, b: Builtin): number {
  return a.index - b.index;
}

/** The numbering of no host functions, and of no expression functions. */
const NO_HOSTS: ReadonlyMap<HostFunction, number> = new Map();
const NO_DEFINITIONS: ReadonlyMap<Definition, number> = new Map();

/** How the functions a program calls are named in its text, shared by `Main` and the definitions. */
interface Names {
  /** Builtins referred to, by table index. */
  readonly used: Map<number, Builtin>;
  /** Host function → i, for `h{i}` and `k{i}`. */
  readonly hosts: ReadonlyMap<HostFunction, number>;
  /** Expression function → i, for `d{i}`. */
  readonly definitions: ReadonlyMap<Definition, number>;
}

/**
 * Generates `Batch(c0, c1, …, out, n)` for `program`: the same formula as
 * `Main`, inlined in a loop over rows `0 .. n-1` that reads variable `k` of
 * row `i` as `ck[i]` and writes `out[i]`, so the engine compiles one tight
 * loop over typed arrays. Inner functions (for deep programs) see the
 * row's values through the variables `v0`, `v1`, … of the loop, and its
 * bindings through `b0`, `b1`, … With several results it is
 * `Batch(c0, …, o0, o1, …, n)`, writing result `r` of row `i` to `or[i]`
 * in the same pass.
 */
export function generateJsBatch(program: Program): GeneratedCode {
  const columns = program.variables.map((_, slot) => `c${slot}`);
  const { names, prelude } = definitionsOf(program);
  const emitter = new Emitter(names);
  const declared = program.variables.map((_, slot) => `v${slot}`);
  for (let i = 0; i < program.bindings.length; i++) declared.push(`b${i}`);
  const locals = declared.length === 0 ? "" : `  let ${declared.join(", ")};\n`;
  let loop = program.variables.map((_, slot) => `\n    v${slot} = c${slot}[i];`).join("");
  program.bindings.forEach((binding, i) => {
    loop += `\n    b${i} = ${emitter.emit(binding.value)};`;
  });
  const results = program.results.length;
  const outs = results === 1 ? ["out"] : program.results.map((_, r) => `o${r}`);
  program.results.forEach((result, r) => {
    loop += `\n    ${outs[r]}[i] = ${emitter.emit(result.value)};`;
  });
  const params = [...columns, ...outs, "n"];
  const body =
    `${locals}  for (let i = 0; i < n; i++) {` + `${loop}\n  }${innerFunctions(emitter)}`;
  return {
    main: declaration("Batch", params, body),
    body,
    prelude,
    params,
    results,
    builtins: builtinsOf(names),
    hosts: program.hosts,
  };
}

/**
 * A number as JavaScript text that evaluates to exactly that number.
 * `String` gives the shortest decimal that reads back to the same double
 * (ECMAScript Number::toString); the values it cannot write as a literal
 * get exact constant expressions rather than the globals `NaN` and
 * `Infinity`, so generated code refers to no global name at all.
 */
export function numberLiteral(value: number): string {
  if (isNan(value)) return "(0 / 0)";
  if (value === Number.POSITIVE_INFINITY) return "(1 / 0)";
  if (value === Number.NEGATIVE_INFINITY) return "(-1 / 0)";
  if (sameValue(value, -0)) return "(-0)";
  if (value < 0) return `(-${String(-value)})`;
  return String(value);
}

/**
 * A sub-expression: its text (a number), how deeply its tree is nested, and
 * for the operators whose value is 0 or 1 (comparisons, `!`, `&&`, `||`) the
 * JavaScript boolean it stands for, so a test of its truth needs no `!== 0`.
 * Every piece has all three fields, so the generator's objects keep one shape.
 */
interface Piece {
  readonly text: string;
  readonly test: string | undefined;
  readonly height: number;
}

/** The builtin `^` means (Math.pow, captured in the table); the name is checked by the type. */
const POW = lookupFunction("pow" satisfies FunctionName) as Builtin;

/** How a binary operator is written in JavaScript. */
type JsBinary =
  /** An infix JavaScript operator with the language's meaning on numbers. */
  | { readonly kind: "infix"; readonly text: string }
  /** An infix comparison: a JavaScript boolean, made 0 or 1. */
  | { readonly kind: "compare"; readonly text: string }
  /** A call of a builtin's captured function. */
  | { readonly kind: "call"; readonly fn: Builtin }
  /** JavaScript's `&&`/`||` on truths: they short-circuit just as the language's do. */
  | { readonly kind: "logical"; readonly text: string };

const infix = (text: string): JsBinary => ({ kind: "infix", text });
const compare = (text: string): JsBinary => ({ kind: "compare", text });
const logical = (text: string): JsBinary => ({ kind: "logical", text });

/** Every binary operator's JavaScript spelling; a missing one is a type error. */
const JS_BINARY = {
  "+": infix("+"),
  "-": infix("-"),
  "*": infix("*"),
  "/": infix("/"),
  "%": infix("%"),
  // `==`/`!=` are the strict ones: both sides are always numbers.
  "<": compare("<"),
  "<=": compare("<="),
  ">": compare(">"),
  ">=": compare(">="),
  "==": compare("==="),
  "!=": compare("!=="),
  "&&": logical("&&"),
  "||": logical("||"),
  "^": { kind: "call", fn: POW },
} as const satisfies Record<BinaryOp, JsBinary>;

/** The truth of a piece as a JavaScript boolean: anything but ±0 is true, NaN included. */
function truth(piece: Piece): string {
  return piece.test ?? `(${piece.text} !== 0)`;
}

class Emitter {
  /** Bodies of the inner functions `f0`, `f1`, … */
  readonly chunks: string[] = [];
  /** Operands made and not yet used: the top `n` are the current node's. */
  private readonly stack: Piece[] = [];
  /** Where the current node's operands start in `stack`. */
  private base = 0;
  /** 1 + the greatest height of the current node's operands. */
  private height = 0;

  constructor(private readonly names: Names) {}

  /** The text of `root`: children first, from a post-order list and a stack of pieces. */
  emit(root: Node): string {
    const { stack } = this;
    for (const node of postOrder(root)) {
      this.base = stack.length - operandCount(node);
      this.height = 1;
      for (let i = this.base; i < stack.length; i++) {
        this.height = maxOf(this.height, (stack[i] as Piece).height + 1);
      }
      const piece = this.node(node);
      // Popped one by one: setting `length` takes V8's slow path, a tenth of the whole walk.
      while (stack.length > this.base) stack.pop();
      stack.push(piece.height >= CHUNK_DEPTH && node !== root ? this.chunk(piece.text) : piece);
    }
    // The emitter serves every binding and result of a function: it leaves its stack empty.
    return (stack.pop() as Piece).text;
  }

  /** Operand `i` of the current node. */
  private at(i: number): Piece {
    return this.stack[this.base + i] as Piece;
  }

  /** A piece of the current node's height. */
  private piece(text: string, test?: string): Piece {
    return { text, test, height: this.height };
  }

  /** A 0-or-1 value from a JavaScript boolean. */
  private flag(test: string): Piece {
    return this.piece(`(${test} ? 1 : 0)`, test);
  }

  /** Moves `text` into inner function `fN` and stands a call in its place. */
  private chunk(text: string): Piece {
    this.chunks.push(text);
    return { text: `f${this.chunks.length - 1}()`, test: undefined, height: 1 };
  }

  /** The current node, its operands on the stack. */
  private node(node: Node): Piece {
    switch (node.kind) {
      case "number":
        return this.piece(numberLiteral(node.value));
      case "variable":
        return this.piece(`v${node.slot}`);
      case "local":
        return this.piece(`b${node.index}`);
      case "unary":
        return this.unary(node.op, this.at(0));
      case "binary":
        return this.binary(node.op, this.at(0), this.at(1));
      case "conditional":
        return this.piece(`(${truth(this.at(0))} ? ${this.at(1).text} : ${this.at(2).text})`);
      case "call":
        return this.piece(`${this.builtin(node.fn)}(${this.operandTexts(node.args.length)})`);
      case "host": {
        const i = this.names.hosts.get(node.fn) as number;
        return this.piece(`k${i}(h${i}(${this.operandTexts(node.args.length)}))`);
      }
      case "apply": {
        const i = this.names.definitions.get(node.fn) as number;
        return this.piece(`d${i}(${this.operandTexts(node.args.length)})`);
      }
      default:
        return unreachable(node, "node");
    }
  }

  private unary(op: ProgramUnaryOp, a: Piece): Piece {
    switch (op) {
      case "-":
        return this.piece(`(-${a.text})`);
      case "!":
        return this.flag(a.test === undefined ? `(${a.text} === 0)` : `(!${a.test})`);
      default:
        return unreachable(op, "operator");
    }
  }

  private binary(op: BinaryOp, a: Piece, b: Piece): Piece {
    const spelling: JsBinary = JS_BINARY[op];
    switch (spelling.kind) {
      case "infix":
        return this.piece(`(${a.text} ${spelling.text} ${b.text})`);
      case "compare":
        return this.flag(`(${a.text} ${spelling.text} ${b.text})`);
      case "call":
        return this.piece(`${this.builtin(spelling.fn)}(${a.text}, ${b.text})`);
      case "logical":
        return this.flag(`(${truth(a)} ${spelling.text} ${truth(b)})`);
      default:
        return unreachable(spelling, "spelling");
    }
  }

  /** The texts of the current node's `count` operands, comma-separated. */
  private operandTexts(count: number): string {
    if (count === 0) return "";
    let text = this.at(0).text;
    for (let i = 1; i < count; i++) text += `, ${this.at(i).text}`;
    return text;
  }

  /** The name a builtin goes by in generated code, noted as used. */
  private builtin(fn: Builtin): string {
    this.names.used.set(fn.index, fn);
    return fn.name;
  }
}

/** How many operands a node has. */
function operandCount(node: Node): number {
  switch (node.kind) {
    case "number":
    case "variable":
    case "local":
      return 0;
    case "unary":
      return 1;
    case "binary":
      return 2;
    case "conditional":
      return 3;
    case "call":
    case "host":
    case "apply":
      return node.args.length;
  }
}

/** Pushes the operands of `node` onto `stack`, in evaluation order (no array is made). */
function pushOperands(node: Node, stack: Node[]): void {
  switch (node.kind) {
    case "number":
    case "variable":
    case "local":
      return;
    case "unary":
      stack.push(node.operand);
      return;
    case "binary":
      stack.push(node.left, node.right);
      return;
    case "conditional":
      stack.push(node.test, node.consequent, node.alternate);
      return;
    case "call":
    case "host":
    case "apply":
      for (const arg of node.args) stack.push(arg);
      return;
  }
}

/**
 * Every node, children before parents and left before right, without
 * recursion: a pre-order that visits the right child first, reversed.
 */
function postOrder(root: Node): Node[] {
  const order: Node[] = [];
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    order.push(node);
    pushOperands(node, stack);
  }
  return order.reverse();
}
