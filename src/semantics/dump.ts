/**
 * The resolved program as text: variables with their slots, then the tree
 * with every name resolved (constants with their values, functions with
 * their builtin index), then each expression function it calls, with its
 * own resolved body (its parameters are its variables). It is `treewalk`'s
 * artefact in `explain`.
 */

import { formatNumber } from "../text/number.js";
import { drawTree, each, type TreeLine } from "../text/tree.js";
import { childrenOf } from "./nodes.js";
import type { Binding, Node, Program } from "./program.js";

/**
 * Variables and the resolved tree, then the expression functions it calls.
 * With bindings or several results, each binding (`binding d = #0`) and
 * each result (`result total`) is headed by a line of its own.
 */
export function dumpProgram(program: Program): string {
  const slots = program.variables.map((name, slot) => `${name}=v${slot}`).join(", ");
  const variables = `variables: ${slots === "" ? "(none)" : slots}`;
  const parts = [variables];
  const only = program.results.length === 1 ? program.results[0] : undefined;
  if (program.bindings.length === 0 && only !== undefined && only.name === "") {
    parts[0] = `${variables}\n${drawTree(lines(only.value))}`;
  } else {
    parts.push(...bindingParts(program.bindings));
    for (const result of program.results) {
      const head = result.name === "" ? "result" : `result ${result.name}`;
      parts.push(`${head}\n${drawTree(lines(result.value))}`);
    }
  }
  for (const definition of program.definitions) {
    const body = drawTree(lines(definition.body));
    if (definition.bindings.length === 0) {
      parts.push(`definition ${definition.text}\n${body}`);
    } else {
      parts.push(`definition ${definition.text}`, ...bindingParts(definition.bindings));
      parts.push(`result\n${body}`);
    }
  }
  return parts.join("\n");
}

/** One part per binding: `binding NAME = #i`, then its tree. */
function bindingParts(bindings: readonly Binding[]): string[] {
  return bindings.map(
    (binding, i) => `binding ${binding.name} = #${i}\n${drawTree(lines(binding.value))}`,
  );
}

function lines(node: Node): TreeLine {
  switch (node.kind) {
    case "number":
      return {
        label:
          node.name === undefined
            ? `Number ${formatNumber(node.value)}`
            : `Constant ${node.name} = ${formatNumber(node.value)}`,
        children: [],
      };
    case "variable":
      return { label: `Variable ${node.name} (v${node.slot})`, children: [] };
    case "local":
      return { label: `Local ${node.name} (#${node.index})`, children: [] };
    case "call":
      return {
        label: `Call ${node.fn.name} (builtin #${node.fn.index})`,
        children: each(node.args, lines),
      };
    case "host":
      return {
        label: `Call ${node.fn.name} (host function${node.fn.pure ? ", pure" : ""})`,
        children: each(node.args, lines),
      };
    case "apply":
      return {
        label: `Call ${node.fn.name} (definition #${node.fn.index})`,
        children: each(node.args, lines),
      };
    case "unary":
      return { label: `Unary ${node.op}`, children: [lines(node.operand)] };
    case "binary":
      return { label: `Binary ${node.op}`, children: [lines(node.left), lines(node.right)] };
    case "conditional":
      return {
        label: "Conditional ?:",
        children: [lines(node.test), lines(node.consequent), lines(node.alternate)],
      };
  }
}

/** The user names a program uses, each with what it is: for `explain`. */
export function dumpUserNames(program: Program): string {
  if (program.userNames.length === 0) return "user names used: (none)";
  const lines = ["user names used:"];
  const constants = namedNumbers(program);
  for (const name of program.userNames) {
    const definition = program.definitions.find((d) => d.name === name);
    const host = program.hosts.find((h) => h.name === name);
    const what =
      definition !== undefined
        ? `expression function ${definition.text}`
        : host !== undefined
          ? `host function${host.pure ? " (pure)" : ""}`
          : `constant = ${formatNumber(constants.get(name) ?? Number.NaN)}`;
    lines.push(`  ${name}: ${what}`);
  }
  return lines.join("\n");
}

/** The named numbers (constants) of a program's trees, by name; walked without recursion. */
function namedNumbers(program: Program): Map<string, number> {
  const named = new Map<string, number>();
  const work: Node[] = program.bindings.map((binding) => binding.value);
  for (const result of program.results) work.push(result.value);
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    if (node.kind === "number" && node.name !== undefined) named.set(node.name, node.value);
    for (const child of childrenOf(node)) work.push(child);
  }
  return named;
}
