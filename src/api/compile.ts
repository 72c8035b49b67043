/**
 * The public entry points: compile an expression with a chosen back-end
 * (through the one registry) and evaluate it with checked inputs.
 */

import type {
  Backend,
  BackendName,
  BackendOptions,
  CompiledCode,
  EvalFn,
} from "../backends/backend.js";
import type { Limits } from "../limits.js";
import type { Program } from "../semantics/program.js";
import { chooseBackend, optionsFor } from "./choose.js";
import { guardStack, guardStackAsync, toProgram } from "./frontend.js";
import { collectValues, isRecord, ownValue, type Vars } from "./inputs.js";
import { checkOptions } from "./options.js";
import { type ExtensionOptions, userNamesOf } from "./scope.js";

/**
 * Options of {@link compile}: the back-end, the limits, back-end options,
 * and the application's names (`constants`, `functions`, or an
 * `environment` from `createEnvironment`).
 */
export interface CompileOptions extends Limits, BackendOptions, ExtensionOptions {
  /** A name from {@link backends}; default: the fastest available (`js`, `wasm`, `vm`, `treewalk`). */
  readonly backend?: BackendName;
}

/** A compiled expression. */
export interface Compiled {
  /** The source it was compiled from. */
  readonly source: string;
  /** Variable names in order of first appearance: the order of positional values. */
  readonly variables: readonly string[];
  /** The name of the back-end that compiled it. */
  readonly backend: BackendName;
  /**
   * The fastest entry: one number per variable, in `variables` order.
   * UNCHECKED: passing a missing or non-number value gives an unspecified
   * number, never an error. Use {@link Compiled.evaluate} for checked input.
   */
  readonly fn: EvalFn;
  /**
   * Evaluates with checked input: an object (own properties only; extra
   * ones ignored) or positional values. Throws ExprInputError naming a
   * missing or non-number variable.
   */
  evaluate(vars?: Vars): number;
  /** One line on how the back-end produced and loaded the code, when it says. */
  readonly how: string | undefined;
  /** The text of the back-end's artefact (tree, bytecode, JS, WAT or C). */
  dump(): string;
  /** Frees what the back-end holds; the object must not be used afterwards. */
  dispose(): void;
}

/** Compiles `source` with the chosen back-end. Throws ExprError. */
export function compile(source: string, options: CompileOptions | null = {}): Compiled {
  options = checkOptions(options, source);
  const program = toProgram(source, options, userNamesOf(options, options, source));
  const backend = chooseBackend(options.backend, options, source);
  const code = guardStack(source, () => backend.compile(program, optionsFor(backend, options)));
  return new CompiledExpression(program, backend, code);
}

/**
 * Like {@link compile}, for back-ends whose loading is asynchronous
 * (`js` with `load: "module"`); works with every back-end.
 */
export async function compileAsync(
  source: string,
  options: CompileOptions | null = {},
): Promise<Compiled> {
  options = checkOptions(options, source);
  const program = toProgram(source, options, userNamesOf(options, options, source));
  const backend = chooseBackend(options.backend, options, source);
  const taken = optionsFor(backend, options);
  const code =
    backend.compileAsync === undefined
      ? guardStack(source, () => backend.compile(program, taken))
      : await guardStackAsync(source, () =>
          (backend.compileAsync as NonNullable<typeof backend.compileAsync>)(program, taken),
        );
  return new CompiledExpression(program, backend, code);
}

/** Compiles and evaluates once (with the reference interpreter by default). */
export function evaluate(source: string, vars?: Vars, options: CompileOptions | null = {}): number {
  const compiled = compile(source, { backend: "treewalk", ...checkOptions(options, source) });
  try {
    return compiled.evaluate(vars);
  } finally {
    compiled.dispose();
  }
}

/** The public face of compiled code: input checking over the back-end's fast entry. */
class CompiledExpression implements Compiled {
  readonly source: string;
  readonly variables: readonly string[];
  readonly backend: BackendName;
  readonly fn: EvalFn;
  readonly how: string | undefined;

  constructor(
    private readonly program: Program,
    backend: Backend,
    private readonly code: CompiledCode,
  ) {
    this.source = program.source;
    this.variables = program.variables;
    this.backend = backend.name;
    this.fn = code.fn;
    this.how = code.how;
  }

  evaluate(vars?: Vars): number {
    const { program, fn } = this;
    // Objects of up to three variables, the common case, are read without
    // allocating; everything else (and every error) goes the general way.
    if (isRecord(vars)) {
      switch (program.variables.length) {
        case 0:
          return fn();
        case 1:
          return fn(ownValue(program, vars, 0));
        case 2: {
          const a = ownValue(program, vars, 0);
          return fn(a, ownValue(program, vars, 1));
        }
        case 3: {
          const a = ownValue(program, vars, 0);
          const b = ownValue(program, vars, 1);
          return fn(a, b, ownValue(program, vars, 2));
        }
      }
    }
    return fn(...collectValues(program, vars));
  }

  dump(): string {
    return this.code.dump();
  }

  dispose(): void {
    this.code.dispose();
  }
}
