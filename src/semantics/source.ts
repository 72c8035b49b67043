/**
 * The Program printer: resolved nodes → exprjit source that resolves and
 * lowers back to the same program, with parentheses only where THE
 * operator table's precedence needs them (the syntax tree's printer,
 * syntax/print.ts, does the same for trees). It is how a derivative is
 * shown as text (`derivative()`), so every name it prints is one the same
 * compile options know: builtins, constants by name, variables, the
 * application's constants and functions. A definition the source cannot
 * name (a partial derivative made by derive.ts, whose name holds a `'`) is
 * written out in place, its parameters replaced by the argument texts.
 *
 * Numbers print as the shortest text that reads back to them; negative
 * numbers and -0 as a negation (`-2`, `-0`), NaN and Infinity as `nan`
 * and `inf`. Recursion follows the tree's depth, which callers bound;
 * `maxLength` stops a text that would outgrow the source limit early.
 */

import { ExprLimitError } from "../errors.js";
import { BINARY, LEVEL } from "../syntax/operators.js";
import { unreachable } from "../unreachable.js";
import type { Definition, Node, Program, Result } from "./program.js";

/** A printed operand: its text and the level it binds at. */
interface Printed {
  readonly text: string;
  readonly level: number;
}

/** Whether the source can call `definition` by name (derive.ts's partials cannot). */
export function isNamedDefinition(definition: Definition): boolean {
  return !definition.name.includes("'");
}

/**
 * `node` as source text. `params` names the variable slots (a definition's
 * parameters); without it, variables print by their own names.
 */
export function printNode(
  node: Node,
  params?: readonly string[],
  maxLength: number = Number.POSITIVE_INFINITY,
): string {
  const slots = params?.map((name) => ({ text: name, level: LEVEL.primary }));
  return new Printer(maxLength).at(node, LEVEL.conditional, slots);
}

/**
 * A program as source: its bindings (`t = …;`), then its first result.
 * Throws ExprLimitError past `maxLength` characters.
 */
export function printProgram(
  program: Program,
  maxLength: number = Number.POSITIVE_INFINITY,
): string {
  const printer = new Printer(maxLength);
  let text = "";
  for (const binding of program.bindings) {
    text += `${binding.name} = ${printer.at(binding.value, LEVEL.conditional, undefined)}; `;
    printer.check(text);
  }
  text += printer.at((program.results[0] as Result).value, LEVEL.conditional, undefined);
  return printer.check(text);
}

class Printer {
  constructor(private readonly maxLength: number) {}

  /** `node` in a place that needs at least `level`; parenthesised if it binds looser. */
  at(node: Node, level: number, slots: readonly Printed[] | undefined): string {
    const { text, level: own } = this.bare(node, slots);
    return this.check(own < level ? `(${text})` : text);
  }

  /** `text`, if it is within the length limit. Throws ExprLimitError. */
  check(text: string): string {
    if (text.length > this.maxLength) {
      throw new ExprLimitError(
        `the text would be longer than ${this.maxLength} characters (maxLength)`,
        "",
        { offset: 0, length: 0 },
      );
    }
    return text;
  }

  private bare(node: Node, slots: readonly Printed[] | undefined): Printed {
    switch (node.kind) {
      case "number":
        return number(node.value, node.name);
      case "variable":
        return slots?.[node.slot] ?? { text: node.name, level: LEVEL.primary };
      case "local":
        return { text: node.name, level: LEVEL.primary };
      case "unary":
        return { text: node.op + this.at(node.operand, LEVEL.prefix, slots), level: LEVEL.prefix };
      case "conditional": {
        const test = this.at(node.test, LEVEL.or, slots);
        const yes = this.at(node.consequent, LEVEL.conditional, slots);
        const no = this.at(node.alternate, LEVEL.conditional, slots);
        return { text: `${test} ? ${yes} : ${no}`, level: LEVEL.conditional };
      }
      case "binary": {
        const { op, left, right } = node;
        if (op === "^") {
          const text = `${this.at(left, LEVEL.primary, slots)}^${this.at(right, LEVEL.prefix, slots)}`;
          return { text, level: LEVEL.power };
        }
        const { level, assoc } = BINARY[op];
        const leftLevel = assoc === "none" ? level + 1 : level;
        const text = `${this.at(left, leftLevel, slots)} ${op} ${this.at(right, level + 1, slots)}`;
        return { text, level };
      }
      case "call":
      case "host":
        return { text: `${node.fn.name}(${this.args(node.args, slots)})`, level: LEVEL.primary };
      case "apply": {
        if (isNamedDefinition(node.fn)) {
          return { text: `${node.fn.name}(${this.args(node.args, slots)})`, level: LEVEL.primary };
        }
        // Written out: each parameter stands for its argument's text.
        const args = node.args.map((arg) => this.bare(arg, slots));
        return this.bare(node.fn.body, args);
      }
      default:
        return unreachable(node, "node");
    }
  }

  private args(args: readonly Node[], slots: readonly Printed[] | undefined): string {
    let text = "";
    for (const arg of args)
      text += `${text === "" ? "" : ", "}${this.at(arg, LEVEL.conditional, slots)}`;
    return text;
  }
}

/** A number as source: a constant by its name, else a literal (negated where negative). */
function number(value: number, name: string | undefined): Printed {
  if (name !== undefined) return { text: name, level: LEVEL.primary };
  if (Number.isNaN(value)) return { text: "nan", level: LEVEL.primary };
  if (value === Number.POSITIVE_INFINITY) return { text: "inf", level: LEVEL.primary };
  if (value === Number.NEGATIVE_INFINITY) return { text: "-inf", level: LEVEL.prefix };
  if (value < 0 || Object.is(value, -0)) return { text: `-${String(-value)}`, level: LEVEL.prefix };
  return { text: String(value), level: LEVEL.primary };
}
