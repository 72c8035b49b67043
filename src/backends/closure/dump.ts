/**
 * The closure tree as text (`--dump closures`): one line per closure, with
 * the specialisation it got, read from the same decisions (shape.ts) the
 * builder reads. Operands folded into a closure (a variable read by slot,
 * a captured number) are shown inside its line; child closures are its
 * children. Each expression function's body follows, built once.
 */

import type { Binding, Node, Program, Result } from "../../semantics/program.js";
import { isLogical } from "../../syntax/operators.js";
import { formatNumber } from "../../text/number.js";
import { drawTree, type TreeLine } from "../../text/tree.js";
import { unreachable } from "../../unreachable.js";
import {
  binaryShape,
  FIXED_APPLY_ARITY,
  FIXED_CALL_ARITY,
  type Operand,
  operandOf,
} from "./shape.js";

/**
 * The program's closure trees, then each definition's. A scope with
 * bindings lists each (with the frame slot it is written to) before its
 * results; a single result without bindings is the tree alone.
 */
export function dumpClosures(program: Program): string {
  const fresh = program.hosts.length > 0;
  const slots = program.variables.map((name, slot) => `${name}=v${slot}`).join(", ");
  const frame = fresh
    ? "a fresh frame per evaluation and per call (the program calls host functions)"
    : "one frame, reused";
  const base = program.variables.length;
  const parts = [`variables: ${slots === "" ? "(none)" : slots}; ${frame}`];
  scope(parts, program.bindings, program.results, base, fresh);
  for (const definition of program.definitions) {
    parts.push(`definition ${definition.text}`);
    const result = [{ name: "", value: definition.body }];
    scope(parts, definition.bindings, result, definition.params.length, fresh);
  }
  return parts.join("\n");
}

function scope(
  parts: string[],
  bindings: readonly Binding[],
  results: readonly Result[],
  base: number,
  fresh: boolean,
): void {
  bindings.forEach((binding, j) => {
    parts.push(
      `binding ${binding.name} → v${base + j}`,
      drawTree(lines(binding.value, base, fresh)),
    );
  });
  const headed = bindings.length > 0 || results.length > 1;
  results.forEach((result, r) => {
    if (headed) parts.push(`result ${r}${result.name === "" ? "" : ` ${result.name}`}`);
    parts.push(drawTree(lines(result.value, base, fresh)));
  });
}

/** A folded operand as its parent's line shows it; a child closure as `·`. */
function shown(o: Operand): string {
  switch (o.kind) {
    case "v":
      return `${o.name}=v${o.slot}`;
    case "n":
      return formatNumber(o.value);
    case "c":
      return "·";
    default:
      return unreachable(o, "operand");
  }
}

/** One closure's line, and the nodes of its child closures. */
interface Line {
  readonly label: string;
  readonly children: readonly Node[];
}

/** The tree of `root`'s closures, built with a work list: a tree at the depth limit needs no deep stack. */
function lines(root: Node, base: number, fresh: boolean): TreeLine {
  const top: TreeLine[] = [];
  const work: [Node, TreeLine[]][] = [[root, top]];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const [node, into] = item;
    const { label, children } = line(node, base, fresh);
    const kids: TreeLine[] = [];
    into.push({ label, children: kids });
    for (let i = children.length - 1; i >= 0; i--) work.push([children[i]!, kids]);
  }
  return top[0]!;
}

function line(node: Node, base: number, fresh: boolean): Line {
  switch (node.kind) {
    case "number":
      return { label: `number ${formatNumber(node.value)}`, children: [] };
    case "variable":
      return { label: `variable ${node.name}=v${node.slot}`, children: [] };
    case "local":
      return { label: `binding ${node.name}=v${base + node.index}`, children: [] };
    case "unary": {
      const o = operandOf(node.operand, base);
      if (o.kind === "v") return { label: `unary ${node.op} v (${shown(o)})`, children: [] };
      return { label: `unary ${node.op} c (·)`, children: [node.operand] };
    }
    case "binary": {
      if (isLogical(node.op)) {
        const bit = node.right.zeroOrOne ? ", right is 0 or 1" : "";
        return {
          label: `logical ${node.op} cc (·, ·${bit})`,
          children: [node.left, node.right],
        };
      }
      const l = operandOf(node.left, base);
      const r = operandOf(node.right, base);
      const shape = binaryShape(l, r);
      const closures: Node[] = [];
      if (shape[0] === "c") closures.push(node.left);
      if (shape[1] === "c") closures.push(node.right);
      const left = shape[0] === "c" ? "·" : shown(l);
      return {
        label: `binary ${node.op} ${shape} (${left}, ${shown(r)})`,
        children: closures,
      };
    }
    case "conditional":
      return {
        label: "conditional ?: ccc (·, ·, ·)",
        children: [node.test, node.consequent, node.alternate],
      };
    case "call":
      return call(`call ${node.fn.name}`, node.args, base);
    case "host":
      return call(`host ${node.fn.name} (checked)`, node.args, base);
    case "apply": {
      const count = node.args.length;
      const shape = count === 0 ? "()" : count <= FIXED_APPLY_ARITY ? "c".repeat(count) : "loop";
      const size = count + node.fn.bindings.length;
      const frame = fresh ? "a fresh frame per call" : `its frame of ${size}, reused`;
      return {
        label: `apply ${node.fn.name} #${node.fn.index} ${shape} (${dots(count)}) into ${frame}`,
        children: node.args,
      };
    }
    default:
      return unreachable(node, "node");
  }
}

/** A call's line: one variable argument folded, up to the fixed arity by position, beyond it an array. */
function call(head: string, args: readonly Node[], base: number): Line {
  if (args.length === 1) {
    const o = operandOf(args[0]!, base);
    if (o.kind === "v") return { label: `${head} v (${shown(o)})`, children: [] };
  }
  const shape =
    args.length === 0 ? "()" : args.length <= FIXED_CALL_ARITY ? "c".repeat(args.length) : "array";
  return { label: `${head} ${shape} (${dots(args.length)})`, children: args };
}

/** `·` for each of `count` child closures. */
function dots(count: number): string {
  const marks: string[] = [];
  for (let i = 0; i < count; i++) marks.push("·");
  return marks.join(", ");
}
