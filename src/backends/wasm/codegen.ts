/**
 * Code generation: resolved Program → the ONE instruction list of `main`,
 * plus the JavaScript functions it calls. The byte encoder (module.ts) and
 * the WAT printer (wat.ts) both render this list, so the dump is the code.
 *
 * A wasm instruction is used only where it is bit-identical to JavaScript
 * (f64 add/sub/mul/div/neg/abs/sqrt/floor/ceil/trunc/min/max and the
 * comparisons); everything else (`%`, `^`, `round`, `sign`, the
 * transcendental functions) calls the builtin table's captured `js`
 * function, only those the expression uses. Such calls go through an
 * imported function table (runtime.ts) rather than function imports: V8
 * compiles a wrapper for every imported signature of every new module,
 * while importing one table costs one instantiation step.
 *
 * Each node is generated in one of two modes: as an f64 value, or as an
 * i32 condition (0 or 1), so `x < y && y < 3 ? a : b` tests its
 * comparisons without converting them to f64 and back. The tree is walked
 * with an explicit work stack, so depth costs heap, not call stack.
 *
 * User functions: an expression function is a wasm function of its own
 * (function 1 + its place in `Program.definitions`; `main` is function 0),
 * called with `call` — or, when its body is small, inlined: V8 (Node 20)
 * does not inline wasm calls, and a call cost 1.6 times the formula. An
 * inlined call evaluates its arguments left to right into fresh locals
 * (a variable or a number is used as it is), then the body reads its
 * parameters from them. Each definition's size with its own inlined calls
 * is bounded by {@link INLINE_LIMIT}, so nested definitions cannot grow
 * the code exponentially: every call site adds at most that many nodes.
 * A host function is called through the same table as
 * the builtins, by a wrapper that checks its result is a number before
 * wasm would convert it, with one slot per arity used (so the host sees
 * exactly the arguments written).
 *
 * Bindings (v3) are f64 locals right after the parameters: each binding's
 * value is computed and `local.set` in order, a read is `local.get`. A
 * definition with bindings is never inlined (its locals are its own). A
 * program with several results leaves them all on the stack: `main`
 * returns k values (multi-value), and the batch module stores each.
 *
 * A call of a JavaScript function with more than {@link WIDE_ARGS}
 * arguments passes them through memory (wide.ts): each argument that has
 * an effect (a host call, or a wide call, which writes the argument area)
 * is evaluated, in order, into a fresh local; then every argument is
 * stored, the effect-free ones computed there, so a wide call inside an
 * argument is over before the outer call's stores begin.
 */

import { type Builtin, type FunctionName, lookupFunction } from "../../semantics/builtins.js";
import { hostResultError } from "../../semantics/host.js";
import type {
  BinaryNode,
  Binding,
  CallNode,
  Definition,
  HostFunction,
  Node,
  Program,
} from "../../semantics/program.js";
import {
  type BinaryOp,
  decidingTruth,
  isLogical,
  type ProgramUnaryOp,
} from "../../syntax/operators.js";
import { unreachable } from "../../unreachable.js";
import type { Instr, WasmOpName } from "./opcodes.js";
import { WIDE_ARGS, wideCallee } from "./wide.js";

/** A JavaScript function `main` calls, through slot `i` of its table (i = position in `callees`). */
export interface Callee {
  /**
   * How many f64 parameters (variadic builtins get one slot per arity used);
   * 1 for a wide call's slot, whose parameter is the argument count.
   */
  readonly arity: number;
  /**
   * Its name in dumps and the trampolines' key: the builtin's name (with
   * `_arity` for a variadic one, `_wide` for its wide calls) or `%`; never
   * text from the source.
   */
  readonly label: string;
  /** The function the slot calls. */
  readonly js: (...args: number[]) => number;
  /** For a host function's slot: the function, which keys its trampolines (tables.ts). */
  readonly host?: HostFunction;
}

/** An expression function as a wasm function of the module. */
export interface WasmFunction {
  /** Its name, for the dump: `$def.NAME`. */
  readonly name: string;
  /** Its parameters' names, in slot order. */
  readonly params: readonly string[];
  /** Its body, without the final `end`. */
  readonly body: readonly Instr[];
  /** f64 locals after the parameters (the arguments of inlined calls). */
  readonly locals: number;
}

/** Most nodes a definition may have, its inlined calls counted in, to be inlined itself. */
export const INLINE_LIMIT = 48;

/** What codegen produced: the functions `main` calls and `main`'s body. */
export interface WasmProgram {
  /** Every function called, each once, in order of first call: callee i is table slot i. */
  readonly callees: readonly Callee[];
  /** `main`'s parameters: the program's variables, in slot order. */
  readonly params: readonly string[];
  /** `main`'s body, without the final `end` the binary format adds: `prologue`, then each of `results`. */
  readonly body: readonly Instr[];
  /** The bindings of `main`: each value computed and set to its local, in order. */
  readonly prologue: readonly Instr[];
  /** Each result's instructions, leaving its value on the stack, in `Program.results` order. */
  readonly results: readonly (readonly Instr[])[];
  /** f64 locals of `main` after its parameters (its bindings, then the arguments of inlined calls). */
  readonly locals: number;
  /** The expression functions, function `1 + i` of the module for `definitions[i]`. */
  readonly definitions: readonly WasmFunction[];
  /** Whether some function makes wide calls, so the module needs the argument memory. */
  readonly memory: boolean;
}

/** Generates the wasm function for `program`. */
export function generateWasm(program: Program): WasmProgram {
  const generator = new Generator(program.definitions);
  const definitions = program.definitions.map((definition): WasmFunction => {
    const { bindings, params, body: root } = definition;
    const { prologue, results } = generator.run(bindings, [root], params.length);
    const body = [...prologue, ...(results[0] as Instr[])];
    return { name: definition.name, params, body, locals: generator.locals };
  });
  const roots = program.results.map((result) => result.value);
  const { prologue, results } = generator.run(program.bindings, roots, program.variables.length);
  const body = [...prologue];
  for (const result of results) for (const instr of result) body.push(instr);
  return {
    callees: generator.callees,
    params: program.variables,
    body,
    prologue,
    results,
    locals: generator.locals,
    definitions,
    memory: generator.memory,
  };
}

/** How many nodes `node` stands for once the calls of `inlined` definitions are inlined. */
function expandedSize(node: Node, inlined: ReadonlyMap<Definition, number>): number {
  let size = 0;
  visit(node, (next) => {
    size += 1 + (next.kind === "apply" ? (inlined.get(next.fn) ?? 0) : 0);
  });
  return size;
}

/** Whether `node` is a call of a JavaScript function that passes its arguments through memory. */
function isWide(node: Node): boolean {
  if (node.kind === "host") return node.args.length > WIDE_ARGS;
  return (
    node.kind === "call" &&
    node.args.length > WIDE_ARGS &&
    NATIVE_UNARY[node.fn.name] === undefined &&
    NATIVE_FOLD[node.fn.name] === undefined
  );
}

/**
 * Whether evaluating `node` has an effect whose order matters: it calls a
 * host function or makes a wide call (which writes the argument area),
 * directly or inside a definition (`wide` holds the definitions that make
 * wide calls).
 */
function hasEffect(node: Node, wide: ReadonlySet<Definition>): boolean {
  let found = false;
  visit(node, (next) => {
    if (next.kind === "host" || isWide(next)) found = true;
    if (next.kind === "apply" && (next.fn.hosts.length > 0 || wide.has(next.fn))) found = true;
  });
  return found;
}

/** Calls `see` on every node of `root` (not inside the definitions it calls), without recursion. */
function visit(root: Node, see: (node: Node) => void): void {
  const work: Node[] = [root];
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    see(node);
    switch (node.kind) {
      case "number":
      case "variable":
      case "local":
        break;
      case "unary":
        work.push(node.operand);
        break;
      case "binary":
        work.push(node.left, node.right);
        break;
      case "conditional":
        work.push(node.test, node.consequent, node.alternate);
        break;
      case "call":
      case "host":
      case "apply":
        work.push(...node.args);
        break;
      default:
        unreachable(node, "node");
    }
  }
}

/**
 * `host` as a table slot's function: it passes exactly `arity` arguments
 * and raises the host-result error itself, before wasm converts a value
 * that is not a number.
 */
export function checkedHost(host: HostFunction, arity: number): (...args: number[]) => number {
  const { fn, name } = host;
  const checked = (value: unknown): number => {
    if (typeof value === "number") return value;
    throw hostResultError(name, value);
  };
  switch (arity) {
    case 0:
      return () => checked(fn());
    case 1:
      return (a) => checked(fn(a));
    case 2:
      return (a, b) => checked(fn(a, b));
    case 3:
      return (a, b, c) => checked(fn(a, b, c));
    default:
      return (...args) => checked(fn(...args));
  }
}

/** `host` as a wide call's slot function: arguments from memory, result checked as {@link checkedHost} does. */
function checkedWideHost(host: HostFunction): (count: number) => number {
  const { name } = host;
  const call = wideCallee(host.fn);
  return (count) => {
    const value = call(count);
    if (typeof value === "number") return value;
    throw hostResultError(name, value);
  };
}

/** JavaScript's `%` (truncated remainder), which wasm has no f64 instruction for. */
const remainder = (a: number, b: number): number => a % b;

/** `^` is `Math.pow`: the builtin `pow`, so both share one slot. */
const POW = lookupFunction("pow") as Builtin;

/**
 * A pending piece of work: generate `node` as a value or as a condition.
 * `frame`, inside an inlined body, says how to read each parameter.
 */
interface Visit {
  readonly node: Node;
  readonly cond: boolean;
  readonly frame?: Frame;
}

/**
 * How an inlined body reads each parameter: an instruction (the local its
 * argument went to, the variable or the number it was), or the argument's
 * own tree, generated where the parameter stands (in the caller's frame).
 */
type Frame = readonly (Instr | Visit)[];

type Item = Instr | Visit;

const value = (node: Node): Visit => ({ node, cond: false });
const condition = (node: Node): Visit => ({ node, cond: true });
const op = (name: WasmOpName): Instr => ({ op: name });

const ZERO: Instr = { op: "f64.const", arg: 0 };
const TO_F64 = op("f64.convert_i32_u");
const ELSE = op("else");
const END = op("end");
const IF_F64: Instr = { op: "if", result: "f64" };
const IF_I32: Instr = { op: "if", result: "i32" };
const I32_FALSE: Instr = { op: "i32.const", arg: 0 };
const I32_TRUE: Instr = { op: "i32.const", arg: 1 };
/** The argument area's address; each store's offset says which argument. */
const ARGUMENT_BASE: Instr = { op: "i32.const", arg: 0 };

/** How a binary operator is done in wasm. */
type WasmBinary =
  /** One f64 instruction, bit-identical to JavaScript. */
  | { readonly kind: "instruction"; readonly op: WasmOpName }
  /** One f64 comparison, giving an i32 condition. */
  | { readonly kind: "compare"; readonly op: WasmOpName }
  /** A call of a JavaScript function through the table (wasm has no such instruction). */
  | { readonly kind: "call"; readonly label: string; readonly js: Callee["js"] }
  /** `&&`, `||`: `if` blocks on conditions, so the right side runs only when needed. */
  | { readonly kind: "logical" };

const instruction = (name: WasmOpName): WasmBinary => ({ kind: "instruction", op: name });
const compare = (name: WasmOpName): WasmBinary => ({ kind: "compare", op: name });
const LOGICAL: WasmBinary = { kind: "logical" };

/** Every binary operator's wasm; a missing one is a type error. */
const WASM_BINARY = {
  "+": instruction("f64.add"),
  "-": instruction("f64.sub"),
  "*": instruction("f64.mul"),
  "/": instruction("f64.div"),
  "%": { kind: "call", label: "%", js: remainder },
  // `^` is Math.pow, the same slot as pow(x, y).
  "^": { kind: "call", label: POW.name, js: POW.js },
  "<": compare("f64.lt"),
  "<=": compare("f64.le"),
  ">": compare("f64.gt"),
  ">=": compare("f64.ge"),
  "==": compare("f64.eq"),
  "!=": compare("f64.ne"),
  "&&": LOGICAL,
  "||": LOGICAL,
} as const satisfies Record<BinaryOp, WasmBinary>;

/** Builtins that are one wasm instruction, bit-identical to their `Math` function. */
const NATIVE_UNARY: Partial<Record<FunctionName, WasmOpName>> = {
  abs: "f64.abs",
  sqrt: "f64.sqrt",
  floor: "f64.floor",
  ceil: "f64.ceil",
  trunc: "f64.trunc",
};

/**
 * Variadic builtins folded pairwise with one instruction: f64.min/max
 * propagate NaN and order -0 below +0, exactly as Math.min/max do.
 */
const NATIVE_FOLD: Partial<Record<FunctionName, WasmOpName>> = { min: "f64.min", max: "f64.max" };

class Generator {
  readonly callees: Callee[] = [];
  private readonly slots = new Map<string, number>();
  /** Each definition's function index. */
  private readonly functions: ReadonlyMap<Definition, number>;
  /** The definitions small enough to inline, with their size inlined. */
  private readonly inlined = new Map<Definition, number>();
  /** The frame of the node being generated: undefined outside inlined bodies. */
  private frame: Frame | undefined;
  /** How often each inlined definition's body reads each parameter. */
  private readonly uses = new Map<Definition, number[]>();
  /** Parameters of the function being generated, then the locals taken so far. */
  private params = 0;
  /** f64 locals taken so far in the function being generated. */
  locals = 0;
  /** The definitions that make wide calls, directly or not. */
  private readonly wide = new Set<Definition>();
  /** Whether any wide call has been generated. */
  memory = false;

  constructor(definitions: readonly Definition[]) {
    this.functions = new Map(definitions.map((definition, i) => [definition, 1 + i]));
    // Callees come first, so a caller sees whether its callees make wide calls.
    for (const definition of definitions) {
      let wide = false;
      visit(definition.body, (node) => {
        if (isWide(node) || (node.kind === "apply" && this.wide.has(node.fn))) wide = true;
      });
      if (wide) this.wide.add(definition);
    }
    // Callees come first, so each size counts its own inlined calls. A body with
    // bindings keeps its own function: its locals are its own.
    for (const definition of definitions) {
      if (definition.bindings.length > 0) continue;
      const size = expandedSize(definition.body, this.inlined);
      if (size <= INLINE_LIMIT) this.inlined.set(definition, size);
    }
  }

  /**
   * The instructions of a function with `params` parameters: its bindings
   * (locals `params + i`), then each of its results.
   */
  run(
    bindings: readonly Binding[],
    roots: readonly Node[],
    params: number,
  ): { prologue: Instr[]; results: Instr[][] } {
    this.params = params;
    this.locals = bindings.length;
    const prologue: Instr[] = [];
    bindings.forEach((binding, i) => {
      for (const instr of this.one(binding.value)) prologue.push(instr);
      prologue.push({ op: "local.set", arg: params + i, note: binding.name });
    });
    return { prologue, results: roots.map((root) => this.one(root)) };
  }

  /** The instructions leaving `root`'s value on the stack. */
  private one(root: Node): Instr[] {
    const out: Instr[] = [];
    const work: Item[] = [value(root)];
    for (let item = work.pop(); item !== undefined; item = work.pop()) {
      if (!("node" in item)) {
        out.push(item);
        continue;
      }
      const frame = item.frame;
      this.frame = frame;
      const items = item.cond ? this.condition(item.node) : this.value(item.node);
      for (let i = items.length - 1; i >= 0; i--) {
        const next = items[i] as Item;
        // Work made for an inlined body reads that body's parameters.
        const framed = frame !== undefined && "node" in next && next.frame === undefined;
        work.push(framed ? { ...next, frame } : next);
      }
    }
    return out;
  }

  /** `node` as an f64 on the stack. */
  private value(node: Node): Item[] {
    switch (node.kind) {
      case "number":
        return [{ op: "f64.const", arg: node.value }];
      case "variable":
        return [this.frame?.[node.slot] ?? { op: "local.get", arg: node.slot }];
      case "local":
        // Only the function's own bindings are in scope: inlined bodies have none.
        return [{ op: "local.get", arg: this.params + node.index, note: node.name }];

      case "unary":
        return this.unaryValue(node.op, node.operand);
      case "binary":
        return this.binaryValue(node);
      case "conditional":
        return [
          condition(node.test),
          IF_F64,
          value(node.consequent),
          ELSE,
          value(node.alternate),
          END,
        ];
      case "call":
        return this.call(node);
      case "host": {
        const arity = node.args.length;
        if (arity > WIDE_ARGS) {
          const { fn } = node;
          return this.wideCall(node.args, `host:${fn.name}/wide`, () => checkedWideHost(fn), fn);
        }
        // The prefix keeps a host's label apart from any builtin's (`hypot_3`).
        const label = `host:${node.fn.name}/${arity}`;
        return [...node.args.map(value), ...this.callSlot(label, arity, undefined, node.fn)];
      }
      case "apply": {
        if (this.inlined.has(node.fn)) return this.inline(node.fn, node.args);
        const index = this.functions.get(node.fn) as number;
        return [...node.args.map(value), { op: "call", arg: index, note: node.fn.name }];
      }
      default:
        return unreachable(node, "node");
    }
  }

  /**
   * The body of `fn` in place of a call: each argument evaluated, left to
   * right, into a fresh local (a number or a variable is read as it is).
   */
  private inline(fn: Definition, args: readonly Node[]): Item[] {
    const items: Item[] = [];
    const frame: (Instr | Visit)[] = [];
    const uses = this.usesOf(fn);
    for (const [i, arg] of args.entries()) {
      if (arg.kind === "number") {
        frame.push({ op: "f64.const", arg: arg.value });
      } else if (arg.kind === "variable") {
        frame.push(this.frame?.[arg.slot] ?? { op: "local.get", arg: arg.slot });
      } else if (uses[i] === 1 && !hasEffect(arg, this.wide)) {
        // Read once and without effects: its tree stands where the parameter does,
        // so the code is the formula written out, order and all.
        // (An empty frame is the function's own: its variables are its parameters.)
        frame.push({ ...value(arg), frame: this.frame ?? [] });
      } else {
        const local = this.params + this.locals++;
        items.push(value(arg), { op: "local.set", arg: local });
        frame.push({ op: "local.get", arg: local });
      }
    }
    items.push({ node: fn.body, cond: false, frame });
    return items;
  }

  /** How often `fn`'s body reads each of its parameters. */
  private usesOf(fn: Definition): number[] {
    let uses = this.uses.get(fn);
    if (uses === undefined) {
      const counted = new Array<number>(fn.params.length).fill(0);
      visit(fn.body, (node) => {
        if (node.kind === "variable") counted[node.slot] = (counted[node.slot] as number) + 1;
      });
      this.uses.set(fn, counted);
      uses = counted;
    }
    return uses;
  }

  private unaryValue(unary: ProgramUnaryOp, operand: Node): Item[] {
    switch (unary) {
      case "-":
        return [value(operand), op("f64.neg")];
      case "!":
        return this.not(operand).concat(TO_F64);
      default:
        return unreachable(unary, "operator");
    }
  }

  private binaryValue(node: BinaryNode): Item[] {
    const spelling: WasmBinary = WASM_BINARY[node.op];
    switch (spelling.kind) {
      case "instruction":
        return [value(node.left), value(node.right), op(spelling.op)];
      case "call":
        return [
          value(node.left),
          value(node.right),
          ...this.callSlot(spelling.label, 2, spelling.js),
        ];
      case "compare":
      case "logical":
        return [...this.binaryCondition(node, spelling), TO_F64];
      default:
        return unreachable(spelling, "spelling");
    }
  }

  /** `node` as an i32 that is 1 when the value is true (≠ 0; NaN is true), else 0. */
  private condition(node: Node): Item[] {
    if (node.kind === "number") return [{ op: "i32.const", arg: node.value !== 0 ? 1 : 0 }];
    if (node.kind === "conditional") {
      const { test, consequent, alternate } = node;
      return [condition(test), IF_I32, condition(consequent), ELSE, condition(alternate), END];
    }
    if (node.kind === "unary" && node.op === "!") return this.not(node.operand);
    if (node.kind === "binary" && node.zeroOrOne) {
      return this.binaryCondition(node, WASM_BINARY[node.op]);
    }
    return [value(node), ZERO, op("f64.ne")];
  }

  /** `!operand` as an i32 condition. */
  private not(operand: Node): Item[] {
    if (operand.zeroOrOne) return [condition(operand), op("i32.eqz")];
    return [value(operand), ZERO, op("f64.eq")];
  }

  /** A comparison or a logical operator as an i32 condition. */
  private binaryCondition(node: BinaryNode, spelling: WasmBinary): Item[] {
    const { left, right } = node;
    if (spelling.kind === "compare") return [value(left), value(right), op(spelling.op)];
    if (!isLogical(node.op)) return [value(node), ZERO, op("f64.ne")];
    // The left side decides alone when its truth is the deciding one (false for &&, true for ||).
    return decidingTruth(node.op)
      ? [condition(left), IF_I32, I32_TRUE, ELSE, condition(right), END]
      : [condition(left), IF_I32, condition(right), ELSE, I32_FALSE, END];
  }

  private call(node: CallNode): Item[] {
    const { fn, args } = node;
    const native = NATIVE_UNARY[fn.name];
    if (native !== undefined) return [value(args[0] as Node), op(native)];
    const fold = NATIVE_FOLD[fn.name];
    if (fold !== undefined) {
      // min(a) is a; min(a, b, c) is min(min(a, b), c).
      const items: Item[] = [value(args[0] as Node)];
      for (const arg of args.slice(1)) items.push(value(arg), op(fold));
      return items;
    }
    if (args.length > WIDE_ARGS)
      return this.wideCall(args, `${fn.name}_wide`, () => wideCallee(fn.js));
    return [...args.map(value), ...this.callBuiltin(fn, args.length)];
  }

  /**
   * A call through memory (wide.ts): the arguments with an effect
   * evaluated, in order, into fresh locals; then each argument stored at
   * byte 8·i of the argument area (the others computed there); then the
   * count to slot `label`, whose function `js()` makes when first needed
   * (`host` keys a host function's trampolines, as for its narrow calls).
   */
  private wideCall(
    args: readonly Node[],
    label: string,
    js: () => Callee["js"],
    host?: HostFunction,
  ): Item[] {
    this.memory = true;
    const items: Item[] = [];
    const stored: Item[] = args.map((arg) => {
      if (!hasEffect(arg, this.wide)) return value(arg);
      const local = this.params + this.locals++;
      items.push(value(arg), { op: "local.set", arg: local });
      return { op: "local.get", arg: local };
    });
    stored.forEach((arg, i) => {
      items.push(ARGUMENT_BASE, arg, { op: "f64.store", arg: 8 * i });
    });
    items.push({ op: "f64.const", arg: args.length });
    return items.concat(this.callSlot(label, 1, undefined, host, js));
  }

  /** A call of a builtin's captured function; variadic ones get a slot per arity. */
  private callBuiltin(fn: Builtin, arity: number): Instr[] {
    const label = fn.minArgs === fn.maxArgs ? fn.name : `${fn.name}_${arity}`;
    return this.callSlot(label, arity, fn.js);
  }

  /**
   * `i32.const slot; call_indirect (type arity)`; the first call of `label`
   * takes the next slot (a host function's checking wrapper is made then).
   */
  private callSlot(
    label: string,
    arity: number,
    js: Callee["js"] | undefined,
    host?: HostFunction,
    make?: () => Callee["js"],
  ): Instr[] {
    let slot = this.slots.get(label);
    if (slot === undefined) {
      slot = this.callees.length;
      this.slots.set(label, slot);
      const fn = make?.() ?? js ?? checkedHost(host as HostFunction, arity);
      this.callees.push(
        host === undefined ? { arity, label, js: fn } : { arity, label, js: fn, host },
      );
    }
    return [
      { op: "i32.const", arg: slot, note: label },
      { op: "call_indirect", arg: arity },
    ];
  }
}
