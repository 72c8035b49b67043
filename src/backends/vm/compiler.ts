/**
 * The bytecode compiler: resolved Program → Chunk, for a stack machine.
 *
 * Why a stack machine and not registers: expression trees map onto a stack
 * with no allocation problem at all (post-order emission), the operand
 * stack's depth is checkable from the opcode table alone, and most of what
 * a register machine saves (separate loads, stack traffic) is recovered by
 * superinstructions (leaf operands read by the operator itself) and by the
 * VM keeping the top of the stack in a local. (No register VM was built to
 * measure against.)
 *
 * It receives a lowered program (constants already folded, see
 * semantics/lower.ts). Its own optimisations, each switchable for the
 * benchmark, all exact:
 * - `fuse`: superinstructions. A leaf operand (variable or constant) is
 *   read from its memory slot by the operator itself: `e OP leaf` is one
 *   `OP_M`, `leaf OP leaf` one `OP_MM`, and `leaf OP e` becomes `e OP' leaf`
 *   where that is exact (`+`, `*` commute; comparisons mirror).
 * - `jumps`: tests of `?:` compile to jumps (`&&`, `||`, `!` as control flow,
 *   no 0/1 materialised), a `?:` in tail position returns from each branch
 *   instead of jumping to a shared `RETURN`, and `BOOL` is skipped after an
 *   operator whose value is already 0 or 1.
 *
 * Bindings (v3) are local slots after the variables: each binding's value
 * is computed and `STORE`d there in order, and a read is a `LOAD` of its
 * slot (a leaf, so fused forms read it directly). With several results,
 * each is `STORE`d to a slot of its own, where the entry reads them.
 *
 * Recursion depth is the tree's depth, bounded by the parser's limit.
 */

import type {
  BinaryNode,
  Binding,
  Definition,
  Node,
  Program,
  Result,
  UserFunction,
} from "../../semantics/program.js";
import { decidingTruth, isLogical, type LogicalOp, mirrorOf } from "../../syntax/operators.js";
import type { SourceRange } from "../../text/range.js";
import { unreachable } from "../../unreachable.js";
import { type Chunk, ChunkBuilder } from "./chunk.js";
import { maxStackDepth } from "./depth.js";
import {
  BINARY_OPCODES,
  type EagerOp,
  OPCODES,
  type Opcode,
  type OperandSource,
} from "./opcodes.js";

/** Which optimisations run; all on by default. */
export interface CompilerFlags {
  readonly fuse: boolean;
  readonly jumps: boolean;
}

/** Every optimisation on: what the `vm` back-end uses. */
export const DEFAULT_FLAGS: CompilerFlags = { fuse: true, jumps: true };

/** Compiles `program`'s expression to a chunk whose stack depth has been checked. */
export function compileChunk(program: Program, flags: CompilerFlags = DEFAULT_FLAGS): Chunk {
  return compileRoot(program.bindings, program.results, program.variables.length, flags);
}

/** A program's chunks: its expression's, and one per expression function it calls. */
export interface VmProgram {
  readonly main: Chunk;
  /** In `Program.definitions` order: a definition's callees come before it. */
  readonly definitions: readonly { readonly definition: Definition; readonly chunk: Chunk }[];
}

/**
 * Compiles `program` with its expression functions, each into a chunk of
 * its own whose variables are its parameters: a call is `CALL_USER`
 * through the caller's function table, so code size stays linear however
 * the definitions nest.
 */
export function compileProgram(program: Program, flags: CompilerFlags = DEFAULT_FLAGS): VmProgram {
  const definitions = program.definitions.map((definition) => ({
    definition,
    chunk: compileRoot(
      definition.bindings,
      [{ name: "", value: definition.body }],
      definition.params.length,
      flags,
    ),
  }));
  return { main: compileChunk(program, flags), definitions };
}

function compileRoot(
  bindings: readonly Binding[],
  results: readonly Result[],
  variableCount: number,
  flags: CompilerFlags,
): Chunk {
  const locals = bindings.map((binding) => binding.name);
  const several = results.length > 1;
  if (several) for (const result of results) locals.push(`=${result.name}`);
  const emitter = new Emitter(flags, variableCount, locals);
  const { out } = emitter;
  bindings.forEach((binding, i) => {
    emitter.value(binding.value, false);
    out.emit(OPCODES.STORE.code, binding, out.local(i));
  });
  const first = (results[0] as Result).value;
  if (!several) {
    emitter.value(first, true);
    out.emit(OPCODES.RETURN.code, first);
    return out.finish(maxStackDepth(out.units));
  }
  const slots = results.map((_, r) => out.local(bindings.length + r));
  results.forEach((result, r) => {
    emitter.value(result.value, false);
    out.emit(OPCODES.STORE.code, result.value, slots[r] as number);
  });
  // `fn` returns result 0; `fnInto` reads every result from its slot.
  out.emit(OPCODES.LOAD.code, first, slots[0] as number);
  out.emit(OPCODES.RETURN.code, first);
  out.resultSlots = slots;
  return out.finish(maxStackDepth(out.units));
}

/** Code offsets of jump operands waiting for the same target. */
type Label = number[];

class Emitter {
  readonly out: ChunkBuilder;

  constructor(
    private readonly flags: CompilerFlags,
    variableCount: number,
    locals: readonly string[],
  ) {
    this.out = new ChunkBuilder(variableCount, locals);
  }

  /** Emits code leaving `node`'s value on the stack; `tail`: its value is returned. */
  value(node: Node, tail: boolean): void {
    switch (node.kind) {
      case "number":
      case "variable":
      case "local":
        this.out.emit(OPCODES.LOAD.code, node, this.slot(node));
        return;
      case "unary":
        this.value(node.operand, false);
        this.out.emit(node.op === "-" ? OPCODES.NEG.code : OPCODES.NOT.code, node);
        return;
      case "binary":
        if (isLogical(node.op)) this.logical(node, node.op);
        else this.binary(node, node.op);
        return;
      case "conditional":
        this.conditional(node, tail);
        return;
      case "call":
        this.call(node);
        return;
      case "host":
      case "apply":
        this.userCall(node.fn, node.args, node);
        return;
      default:
        unreachable(node, "node");
    }
  }

  /** The memory slot of a leaf: its variable slot, its binding's local slot, or its constant's slot. */
  private slot(leaf: Leaf): number {
    switch (leaf.kind) {
      case "variable":
        return leaf.slot;
      case "local":
        return this.out.local(leaf.index);
      case "number":
        return this.out.constant(leaf.value);
      default:
        return unreachable(leaf, "leaf");
    }
  }

  private binary(node: BinaryNode, op: EagerOp): void {
    const { left, right } = node;
    const mirror = mirrorOf(op) as EagerOp | undefined;
    if (this.flags.fuse && isLeaf(left) && isLeaf(right)) {
      this.out.emit(binaryOpcode(op, "slots"), node, this.slot(left), this.slot(right));
    } else if (this.flags.fuse && isLeaf(right)) {
      this.value(left, false);
      this.out.emit(binaryOpcode(op, "slot"), node, this.slot(right));
    } else if (this.flags.fuse && isLeaf(left) && mirror !== undefined) {
      // `leaf OP expr` as `expr MIRROR leaf`: exact, since both sides are pure
      // and these operators are commutative (or mirrored) in IEEE-754.
      this.value(right, false);
      this.out.emit(binaryOpcode(mirror, "slot"), node, this.slot(left));
    } else {
      this.value(left, false);
      this.value(right, false);
      this.out.emit(binaryOpcode(op, "stack"), node);
    }
  }

  /** `a && b`, `a || b` as a value: exactly 1 or 0, `b` only when needed. */
  private logical(node: BinaryNode, op: LogicalOp): void {
    const decisive = decidingTruth(op);
    const shortCut: Label = [];
    this.test(node.left, decisive, shortCut);
    this.value(node.right, false);
    if (!(this.flags.jumps && node.right.zeroOrOne)) this.out.emit(OPCODES.BOOL.code, node);
    const end = this.jump(OPCODES.JUMP.code, node);
    this.bind(shortCut);
    // When the left side decides, the result is its truth: 0 for `&&`, 1 for `||`.
    this.out.emit(OPCODES.LOAD.code, node, this.out.constant(decisive ? 1 : 0));
    this.bind(end);
  }

  private conditional(node: Extract<Node, { kind: "conditional" }>, tail: boolean): void {
    const otherwise: Label = [];
    this.test(node.test, false, otherwise);
    this.value(node.consequent, tail);
    if (tail && this.flags.jumps) {
      // The branch's value is the result: return it here rather than jump to a RETURN.
      this.out.emit(OPCODES.RETURN.code, node.consequent);
      this.bind(otherwise);
      this.value(node.alternate, tail);
      return;
    }
    const end = this.jump(OPCODES.JUMP.code, node);
    this.bind(otherwise);
    this.value(node.alternate, tail);
    this.bind(end);
  }

  /** Emits code that jumps to `label` when `node`'s truth is `when`, else falls through. */
  private test(node: Node, when: boolean, label: Label): void {
    if (this.flags.jumps && node.kind === "unary" && node.op === "!") {
      this.test(node.operand, !when, label);
      return;
    }
    if (this.flags.jumps && node.kind === "binary" && isLogical(node.op)) {
      // `a op b` has the deciding truth when `a` has it, else the truth of `b`:
      // `a && b` is false when either is, `a || b` true when either is.
      if (when === decidingTruth(node.op)) {
        this.test(node.left, when, label);
        this.test(node.right, when, label);
      } else {
        const skip: Label = [];
        this.test(node.left, !when, skip);
        this.test(node.right, when, label);
        this.bind(skip);
      }
      return;
    }
    this.value(node, false);
    label.push(...this.jump(when ? OPCODES.JUMP_TRUE.code : OPCODES.JUMP_FALSE.code, node));
  }

  private call(node: Extract<Node, { kind: "call" }>): void {
    for (const arg of node.args) this.value(arg, false);
    const { index } = node.fn;
    if (node.args.length === 1) this.out.emit(OPCODES.CALL1.code, node, index);
    else if (node.args.length === 2) this.out.emit(OPCODES.CALL2.code, node, index);
    else this.out.emit(OPCODES.CALLN.code, node, index, node.args.length);
  }

  /** Arguments left to right, then one call through the chunk's function table. */
  private userCall(fn: UserFunction, args: readonly Node[], span: SourceRange): void {
    for (const arg of args) this.value(arg, false);
    this.out.emit(OPCODES.CALL_USER.code, span, this.out.user(fn), args.length);
  }

  /** Emits a jump with its target still open; returns it as a label. */
  private jump(op: Opcode, span: SourceRange): Label {
    return [this.out.emit(op, span, -1) + 1];
  }

  /** Points every jump of `label` at the next instruction. */
  private bind(label: Label): void {
    for (const at of label) this.out.patch(at, this.out.offset);
  }
}

/** A variable, a binding's read or a number: what a slot operand can name. */
type Leaf = Extract<Node, { kind: "variable" | "local" | "number" }>;

function isLeaf(node: Node): node is Leaf {
  return node.kind === "variable" || node.kind === "local" || node.kind === "number";
}

/** The opcode for operator `op` taking its operands from `source`. */
function binaryOpcode(op: EagerOp, source: OperandSource): Opcode {
  return BINARY_OPCODES[op][source];
}
