/**
 * The SQL emitter: a lowered Program to SQL, through a dialect's table.
 * It walks the tree once (recursion bounded by the depth limit, as in every
 * back-end), hands each spelling its operands in the type it wants (doubles
 * for arithmetic, comparisons and functions; truths for `&&`, `||`, `!`),
 * expands expression functions at their calls, maps host functions to the
 * caller's SQL functions or refuses them, expands bindings (`local`
 * nodes) where they are read, and guards NULL inputs once, at the top. A
 * program with several results (a formula set) gives one SQL expression
 * per result: a column each.
 *
 * Nothing from the source text reaches the SQL: numbers are the dialect's
 * exact literals, variables the caller's column SQL or quoted identifiers
 * of validated names, functions the dialect's own spellings.
 */

import { ExprBackendError } from "../errors.js";
import type { Binding, Node, Program } from "../semantics/program.js";
import { BINARY } from "../syntax/operators.js";
import { unreachable } from "../unreachable.js";
import { isRefusal, type Refusal, type SqlDialect, type Term } from "./dialect.js";

/** What the emitter needs besides the program. */
export interface EmitOptions {
  /** The SQL that gives each variable's value (the caller's own, trusted), by variable name. */
  readonly columns: ReadonlyMap<string, string>;
  /** The caller's SQL function for each host function it maps, by host function name (trusted). */
  readonly sqlFunctions: ReadonlyMap<string, string>;
  /** Most characters the SQL of one result may have before the program is refused. */
  readonly maxLength: number;
}

/** One result of the program, as SQL. */
export interface SqlResult {
  /** The result's name ("" for a plain expression). */
  readonly name: string;
  /** A scalar SQL expression of the dialect's double type. */
  readonly sql: string;
}

/** Emits `program` in `dialect`. Throws ExprBackendError where the dialect cannot be exact. */
export function emitProgram(
  program: Program,
  dialect: SqlDialect,
  options: EmitOptions,
): readonly SqlResult[] {
  const columns = program.variables.map((name) => columnOf(name, dialect, options));
  const emitter = new Emitter(program, dialect, options);
  // Bindings are expanded where they are read; each is emitted once here, read or not,
  // so that what it cannot say is refused all the same.
  const scope = emitter.bind(program.bindings, {
    slots: columns.map((column) => dialect.read(column)),
    locals: [],
  });
  return program.results.map((result) => ({
    name: result.name,
    sql: dialect.nullGuard(columns, emitter.double(result.value, scope)),
  }));
}

/** The SQL of variable `name`'s column: the caller's SQL, or its quoted name. */
function columnOf(name: string, dialect: SqlDialect, options: EmitOptions): string {
  const given = options.columns.get(name);
  return given === undefined ? dialect.quote(name) : `(${given})`;
}

/** What a node reads: the SQL of its variables (or parameters) and of its bindings. */
interface Scope {
  readonly slots: readonly string[];
  readonly locals: readonly string[];
}

class Emitter {
  constructor(
    private readonly program: Program,
    private readonly dialect: SqlDialect,
    private readonly options: EmitOptions,
  ) {}

  /** `scope` with the SQL of each of `bindings` added, in order, each reading those before it. */
  bind(bindings: readonly Binding[], scope: Scope): Scope {
    if (bindings.length === 0) return scope;
    const locals = [...scope.locals];
    for (const binding of bindings) locals.push(this.double(binding.value, { ...scope, locals }));
    return { slots: scope.slots, locals };
  }

  /** `node` as a double, in `slots` (the SQL of the variables or of a definition's parameters, and of the bindings). */
  double(node: Node, slots: Scope): string {
    const term = this.term(node, slots);
    return term.type === "double" ? term.sql : this.dialect.number(term.sql);
  }

  /** `node` as a truth. */
  truth(node: Node, slots: Scope): string {
    const term = this.term(node, slots);
    return term.type === "boolean" ? term.sql : this.dialect.truth(term.sql);
  }

  private term(node: Node, slots: Scope): Term {
    const term = this.spell(node, slots);
    if (term.sql.length > this.options.maxLength) {
      this.fail(
        `its SQL for ${this.dialect.title} would be longer than ${this.options.maxLength} characters (guards repeat their operands)`,
      );
    }
    return term;
  }

  private spell(node: Node, slots: Scope): Term {
    const { dialect } = this;
    switch (node.kind) {
      case "number":
        return { sql: dialect.literal(node.value), type: "double" };
      case "variable":
        return { sql: slots.slots[node.slot] as string, type: "double" };
      case "local":
        return { sql: slots.locals[node.index] as string, type: "double" };
      case "unary": {
        const operand =
          node.op === "!" ? this.truth(node.operand, slots) : this.double(node.operand, slots);
        return this.checked(dialect.unary[node.op](operand), `the operator '${node.op}'`);
      }
      case "binary": {
        const logical = BINARY[node.op].class === "logical";
        const side = (n: Node): string => (logical ? this.truth(n, slots) : this.double(n, slots));
        const spelled = dialect.binary[node.op](side(node.left), side(node.right));
        return this.checked(spelled, `the operator '${node.op}'`);
      }
      case "conditional":
        return {
          sql: dialect.choose(
            this.truth(node.test, slots),
            this.double(node.consequent, slots),
            this.double(node.alternate, slots),
          ),
          type: "double",
        };
      case "call": {
        const args = node.args.map((arg) => this.double(arg, slots));
        return this.checked(
          dialect.functions[node.fn.name](args),
          `the function '${node.fn.name}'`,
        );
      }
      case "host": {
        const mapped = this.options.sqlFunctions.get(node.fn.name);
        if (mapped === undefined) {
          this.fail(
            `it calls the host function '${node.fn.name}', which cannot run in ${dialect.title}; map it to a SQL function of yours (sqlFunctions)`,
          );
        }
        const args = node.args.map((arg) => this.double(arg, slots));
        return { sql: dialect.read(`${mapped}(${args.join(", ")})`), type: "double" };
      }
      case "apply": {
        // Expanded at the call: the body reads the arguments' SQL in its parameters' slots.
        const args = node.args.map((arg) => this.double(arg, slots));
        const body = this.bind(node.fn.bindings, { slots: args, locals: [] });
        return this.term(node.fn.body, body);
      }
      default:
        return unreachable(node, "node");
    }
  }

  private checked(spelled: Term | Refusal, construct: string): Term {
    if (isRefusal(spelled))
      this.fail(`${construct} cannot be exact in ${this.dialect.title}: ${spelled.refused}`);
    return spelled;
  }

  private fail(reason: string): never {
    throw new ExprBackendError(`cannot compile to SQL: ${reason}`, this.program.source);
  }
}
