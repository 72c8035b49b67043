/**
 * The reference for an engine: the reference evaluator with every libm
 * function (and `^`) answered by the engine itself, for exactly the
 * arguments the evaluation reaches, so everything else must agree bit for
 * bit (a tolerance on the final result cannot work: one ulp inside is many
 * outside). Each engine's own answer for one function is checked against
 * JavaScript's separately, within the bound docs/SQL.md states.
 *
 * The arguments a call reaches depend on earlier calls' results, so the
 * reference runs in passes: a pass evaluates every row with the answers
 * known so far (JavaScript's where one is missing, noting it), the engine
 * answers the missing ones in one query per function, and the next pass
 * runs, until a pass misses nothing.
 */

import { allowanceOf } from "../../src/backends/native/spelling.js";
import { type Builtin, FUNCTION_LIST, lookupFunction } from "../../src/semantics/builtins.js";
import { evaluateProgram } from "../../src/semantics/evaluate.js";
import type { Definition, Node, Program } from "../../src/semantics/program.js";
import { toSQL } from "../../src/sql/index.js";
import { ulpDistance } from "../support/exactness.js";
import type { Engine } from "./engines.js";

/** The functions an engine computes with its own C library. */
const LIBM = new Set(FUNCTION_LIST.filter((f) => allowanceOf(f.name) > 0).map((f) => f.name));

const bits = new DataView(new ArrayBuffer(8));
function key(name: string, args: readonly number[]): string {
  return `${name}(${args
    .map((a) => {
      bits.setFloat64(0, a);
      return bits.getBigUint64(0).toString(16);
    })
    .join(",")})`;
}

/** What one engine answered, per function, and how far from JavaScript. */
export class EngineLibm {
  private readonly known = new Map<string, number>();
  private readonly missing = new Map<string, { name: string; args: number[] }>();
  /** Greatest distance in ulp from JavaScript seen, per function. */
  readonly distance = new Map<string, number>();
  /** The arguments of the greatest distance, per function. */
  readonly worst = new Map<string, readonly number[]>();
  private readonly swapped = new WeakMap<Definition, Definition>();

  constructor(private readonly engine: Engine) {}

  /** The value of `program`'s result `index` on each row, with this engine's libm. */
  async evaluate(
    program: Program,
    rows: readonly (readonly number[])[],
    index = 0,
  ): Promise<number[]> {
    const swapped: Program = {
      ...program,
      bindings: program.bindings.map((b) => ({ ...b, value: this.swap(b.value) })),
      results: program.results.map((r) => ({ ...r, value: this.swap(r.value) })),
    };
    for (let pass = 0; ; pass++) {
      const values = rows.map((row) => evaluateProgram(swapped, row)[index] as number);
      if (this.missing.size === 0) return values;
      if (pass > 50) throw new Error("the reference did not settle");
      await this.ask();
    }
  }

  private call(name: string, js: (...a: number[]) => number, args: number[]): number {
    const k = key(name, args);
    const known = this.known.get(k);
    if (known !== undefined) return known;
    this.missing.set(k, { name, args });
    return js(...args);
  }

  private async ask(): Promise<void> {
    const byName = new Map<string, { key: string; args: number[] }[]>();
    for (const [k, { name, args }] of this.missing) {
      const list = byName.get(name) ?? [];
      list.push({ key: k, args });
      byName.set(name, list);
    }
    this.missing.clear();
    for (const [name, calls] of byName) {
      const f = lookupFunction(name) as Builtin;
      const params = f.minArgs === 2 ? ["a", "b"] : ["a"];
      const sql = toSQL(`${name}(${params.join(", ")})`, { dialect: this.engine.dialect });
      const answers = await this.engine.values(
        sql,
        params,
        calls.map((c) => c.args),
      );
      calls.forEach((c, i) => {
        const answer = answers[i] as number;
        this.known.set(c.key, answer);
        const d = ulpDistance(answer, f.js(...c.args));
        if (d > (this.distance.get(name) ?? 0)) {
          this.distance.set(name, d);
          this.worst.set(name, c.args);
        }
      });
    }
  }

  private swap(node: Node): Node {
    const swap = (n: Node): Node => this.swap(n);
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
        return { ...node, kind: "call", fn: this.libm(pow), args: [left, right] };
      }
      case "call": {
        const args = node.args.map(swap);
        return { ...node, fn: LIBM.has(node.fn.name) ? this.libm(node.fn) : node.fn, args };
      }
      case "host":
        return { ...node, args: node.args.map(swap) };
      case "apply": {
        let done = this.swapped.get(node.fn);
        if (done === undefined) {
          const bindings = node.fn.bindings.map((b) => ({ ...b, value: swap(b.value) }));
          done = { ...node.fn, bindings, body: swap(node.fn.body) };
          this.swapped.set(node.fn, done);
        }
        return { ...node, fn: done, args: node.args.map(swap) };
      }
    }
  }

  private libm(f: Builtin): Builtin {
    const { name, js } = f;
    return { ...f, js: (...args: number[]) => this.call(name, js, args) };
  }
}
