/**
 * The reference for a back-end with `exact: false`: the program with every
 * libm call (and `^`) routed to that back-end's own code for that one
 * function, so the reference interpreter sees the same libm results and
 * everything else must agree bit for bit. A tolerance on the final result
 * cannot work: one ulp in `sinh(pi)` is three after `^pi`.
 */

import { toProgram } from "../../src/api/frontend.js";
import type { Backend } from "../../src/backends/backend.js";
import { allowanceOf } from "../../src/backends/native/spelling.js";
import { type Builtin, FUNCTION_LIST, lookupFunction } from "../../src/semantics/builtins.js";
import type { Definition, Node, Program } from "../../src/semantics/program.js";

/** The functions an inexact back-end takes from libm: those with an allowance in native's spelling table. */
export const LIBM = FUNCTION_LIST.filter((f) => allowanceOf(f.name) > 0);

const compiled = new Map<string, (...values: number[]) => number>();

/** `backend`'s code for the single function `f`, compiled once. */
export function libmOf(backend: Backend, f: Builtin): (...values: number[]) => number {
  const key = `${backend.name}:${f.name}`;
  let fn = compiled.get(key);
  if (fn === undefined) {
    const call = f.minArgs === 2 ? `${f.name}(x, y)` : `${f.name}(x)`;
    fn = backend.compile(toProgram(call), {}).fn;
    compiled.set(key, fn);
  }
  return fn;
}

/** `node` with every libm call and `^` going to `backend`'s functions, for the reference interpreter. */
export function withLibmOf(backend: Backend, node: Node): Node {
  const swap = (n: Node): Node => withLibmOf(backend, n);
  switch (node.kind) {
    case "number":
    case "variable":
    case "local":
      return node;
    case "unary":
      return { ...node, operand: swap(node.operand) };
    case "conditional":
      return {
        ...node,
        test: swap(node.test),
        consequent: swap(node.consequent),
        alternate: swap(node.alternate),
      };
    case "binary": {
      const left = swap(node.left);
      const right = swap(node.right);
      if (node.op !== "^") return { ...node, left, right };
      const pow = lookupFunction("pow") as Builtin;
      return {
        ...node,
        kind: "call",
        fn: { ...pow, js: libmOf(backend, pow) },
        args: [left, right],
      };
    }
    case "call": {
      const args = node.args.map(swap);
      const fn = LIBM.includes(node.fn) ? { ...node.fn, js: libmOf(backend, node.fn) } : node.fn;
      return { ...node, fn, args };
    }
    case "host":
      return { ...node, args: node.args.map(swap) };
    case "apply":
      return { ...node, fn: swapDefinition(backend, node.fn), args: node.args.map(swap) };
  }
}

/** Swapped definitions by back-end, made once each (the reference interpreter reads `fn.body`). */
const swapped = new Map<Backend, WeakMap<Definition, Definition>>();

function swapDefinition(backend: Backend, definition: Definition): Definition {
  let made = swapped.get(backend);
  if (made === undefined) swapped.set(backend, (made = new WeakMap()));
  let done = made.get(definition);
  if (done === undefined) {
    done = {
      ...definition,
      bindings: definition.bindings.map((b) => ({ ...b, value: withLibmOf(backend, b.value) })),
      body: withLibmOf(backend, definition.body),
    };
    made.set(definition, done);
  }
  return done;
}

/** `program` with {@link withLibmOf} applied to every binding and result. */
export function programWithLibmOf(backend: Backend, program: Program): Program {
  return {
    ...program,
    bindings: program.bindings.map((b) => ({ ...b, value: withLibmOf(backend, b.value) })),
    results: program.results.map((r) => ({ ...r, value: withLibmOf(backend, r.value) })),
  };
}
