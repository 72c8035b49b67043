/**
 * The differential properties, shared by the bounded CI run
 * (differential.test.ts) and the long run (`npm run fuzz`).
 */

import fc from "fast-check";
import { toProgram, toResolvedProgram } from "../../src/api/frontend.js";
import type { Backend, BackendName } from "../../src/backends/backend.js";
import { ExprError } from "../../src/errors.js";
import { type Compiled, compile } from "../../src/index.js";
import { evaluateFirst, evaluateProgram } from "../../src/semantics/evaluate.js";
import { validateExtension } from "../../src/semantics/extension.js";
import { lower } from "../../src/semantics/lower.js";
import type { Program } from "../../src/semantics/program.js";
import type { ProgramSyntax } from "../../src/syntax/ast.js";
import { parseSyntax } from "../../src/syntax/parser.js";
import { printProgram } from "../../src/syntax/print.js";
import { formatNumber } from "../../src/text/number.js";
import { programWithLibmOf } from "../support/libm.js";
import {
  ENV_VARIABLES,
  extensionOf,
  HostFailure,
  HostLog,
  input,
  inputs,
  programArbitrary,
  programShape,
  programWithEnvironmentArbitrary,
  SPECIAL_VALUES,
  tokenSoup,
} from "./arbitraries.js";

/** `parse(print(ast))` has the shape of `ast`, bindings included. */
export const printParseRoundTrip = fc.property(programArbitrary(), (ast) => {
  const text = printProgram(ast);
  const again = parseSyntax(text);
  if (JSON.stringify(programShape(again)) !== JSON.stringify(programShape(ast))) {
    throw new Error(`print/parse changed the tree of ${text}`);
  }
});

/**
 * Every result of `program` for `values`, by the reference evaluator (or,
 * for an inexact back-end, with its own libm): what `fn` and `fnInto` must give.
 */
function referenceResults(
  backend: Backend,
  resolved: Program,
  lowered: Program,
  values: readonly number[],
): number[] {
  const reference = backend.exact ? resolved : programWithLibmOf(backend, lowered);
  return evaluateProgram(reference, values, []) as number[];
}

/** `fnInto` writes exactly `expected`, and `fn` gives its first. */
function checkAll(
  backend: Backend,
  program: Program,
  code: { fn: (...v: number[]) => number; fnInto: (out: Float64Array, ...v: number[]) => void },
  values: readonly number[],
  expected: readonly number[],
): void {
  check(backend, program, expected[0] as number, code.fn(...values));
  const out = new Float64Array(expected.length + 1).fill(7);
  code.fnInto(out, ...values);
  for (const [r, value] of expected.entries()) check(backend, program, value, out[r] as number);
  if (out[expected.length] !== 7) throw new Error(`${backend.name} fnInto wrote past its results`);
}

/** Every back-end gives `Object.is`-identical results to treewalk (within the allowance). */
export function agreesWithTreewalk(
  backend: Backend,
): fc.IPropertyWithHooks<[ProgramSyntax, Record<string, number>]> {
  return fc.property(programArbitrary(), inputs, (ast, vars) => {
    // The back-end gets the lowered program, as the API gives it; an exact one
    // is held to the reference evaluator on the program before lowering, so
    // this checks the lowering pass too. An inexact one is held to its own
    // libm results on the lowered program (folding computes with JS's libm).
    const resolved = toResolvedProgram(printProgram(ast));
    const program = lower(resolved);
    const values = program.variables.map((name) => vars[name] as number);
    const expected = referenceResults(backend, resolved, program, values);
    const code = backend.compile(program, {});
    try {
      checkAll(backend, program, code, values, expected);
    } finally {
      code.dispose();
    }
  });
}

/** Values for {@link ENV_VARIABLES}, by name. */
const envInputs = fc
  .tuple(input, input, input)
  .map((values) => Object.fromEntries(ENV_VARIABLES.map((name, i) => [name, values[i] as number])));

/** How an evaluation ended: a number, or an error the harness can compare. */
type Outcome = { readonly value: number } | { readonly error: string };

function outcome(run: () => number): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof ExprError) return { error: `${error.kind}: ${error.message}` };
    if (error instanceof HostFailure) return { error: `host threw: ${error.message}` };
    throw error;
  }
}

function describeOutcome(o: Outcome): string {
  return "value" in o ? formatNumber(o.value) : o.error;
}

/**
 * With random user constants, expression functions and host functions:
 * every back-end gives treewalk's result (or its error: a host's own
 * exception, or a host result that is not a number) AND makes the same
 * host calls, with the same arguments, in the same order. A back-end that
 * cannot call host functions (native) must refuse exactly the programs
 * that call one.
 */
export function agreesWithTreewalkOnExtensions(
  backend: Backend,
): fc.IPropertyWithHooks<[{ environment: unknown; source: string }, Record<string, number>]> {
  return fc.property(programWithEnvironmentArbitrary(), envInputs, (generated, vars) => {
    const { environment, source } = generated;
    const log = new HostLog();
    const user = validateExtension(extensionOf(environment, log));
    const resolved = toResolvedProgram(source, {}, user);
    const program = lower(resolved);
    const values = program.variables.map((name) => vars[name] as number);
    const reference = backend.exact ? resolved : programWithLibmOf(backend, program);
    log.reset();
    const expected = outcome(() => evaluateFirst(reference, values));
    const expectedCalls = [...log.calls];
    if (backend.name === "native" && program.hosts.length > 0) {
      const refused = outcome(() => backend.compile(program, {}).fn(...values));
      if (!("error" in refused) || !refused.error.startsWith("backend: ")) {
        throw new Error(`native did not refuse host calls in ${source}`);
      }
      return;
    }
    const code = backend.compile(program, {});
    try {
      log.reset();
      const actual = outcome(() => code.fn(...values));
      const same =
        "value" in expected && "value" in actual
          ? Object.is(expected.value, actual.value)
          : "error" in expected && "error" in actual && expected.error === actual.error;
      if (!same) {
        throw new Error(
          `${backend.name} gave ${describeOutcome(actual)}, treewalk ${describeOutcome(expected)} for ${source} with ${environment.definitions.join("; ")}`,
        );
      }
      if (JSON.stringify(log.calls) !== JSON.stringify(expectedCalls)) {
        throw new Error(
          `${backend.name} called ${log.calls.join(" ")}, treewalk ${expectedCalls.join(" ")} for ${source} with ${environment.definitions.join("; ")}`,
        );
      }
    } finally {
      code.dispose();
    }
  });
}

function check(backend: Backend, program: Program, expected: number, actual: number): void {
  if (Object.is(expected, actual)) return;
  throw new Error(
    `${backend.name} gave ${formatNumber(actual)}, treewalk ${formatNumber(expected)} for ${program.source}`,
  );
}

/** Any text at all either compiles or raises an ExprError: never another error. */
export const onlyExprErrors = fc.property(
  fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 30 }), tokenSoup),
  (text) => {
    try {
      const program = toProgram(text);
      evaluateFirst(
        program,
        program.variables.map(() => 1),
      );
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
    }
  },
);

/** Row counts that matter to batch paths: none, one, a vm block ± 1, a wasm chunk ± 1, a few thousand. */
export const BATCH_LENGTHS = [0, 1, 2, 3, 1023, 1024, 1025, 4095, 4097, 5000] as const;

/** How a column is given: a Float64Array, a plain array, or one number for every row. */
type ColumnKind = "typed" | "plain" | "scalar";

/**
 * Columns for `count` variables and `n` rows, from a seed: special values
 * mixed with arbitrary bit patterns (every NaN, subnormal and infinity
 * included), each column of the given kind.
 */
export function batchColumns(
  count: number,
  n: number,
  kinds: readonly ColumnKind[],
  seed: number,
): (Float64Array | number[] | number)[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: cheap, deterministic, enough to mix the inputs.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const bits = new DataView(new ArrayBuffer(8));
  const value = () => {
    if (next() % 3 === 0) {
      bits.setUint32(0, next());
      bits.setUint32(4, next());
      return bits.getFloat64(0);
    }
    return SPECIAL_VALUES[next() % SPECIAL_VALUES.length] as number;
  };
  return Array.from({ length: count }, (_, k) => {
    const kind = kinds[k % kinds.length] ?? "typed";
    if (kind === "scalar") return value();
    const column = Array.from({ length: n }, value);
    return kind === "plain" ? column : Float64Array.from(column);
  });
}

/**
 * A back-end's `evaluateBatch` gives, row by row, exactly (`Object.is`)
 * what the reference evaluator gives for that row alone (an inexact
 * back-end: what its own scalar entry gives, which the scalar differential
 * holds to treewalk within the allowance).
 */
export function batchAgreesRowByRow(
  backend: Backend,
  compileWith: (source: string) => Compiled = (source) =>
    compile(source, { backend: backend.name }),
): fc.IPropertyWithHooks<[ProgramSyntax, number, ColumnKind[], number]> {
  return fc.property(
    programArbitrary(),
    fc.constantFrom(...BATCH_LENGTHS),
    fc.array(fc.constantFrom<ColumnKind>("typed", "typed", "plain", "scalar"), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.integer(),
    (ast, n, kinds, seed) => {
      const source = printProgram(ast);
      const resolved = toResolvedProgram(source);
      const compiled = compileWith(source);
      try {
        const count = compiled.variables.length;
        const columns = batchColumns(count, n, kinds, seed);
        const allScalar = columns.every((c) => typeof c === "number");
        const out = compiled.evaluateBatch(columns, allScalar ? { length: n } : {});
        if (out.length !== n)
          throw new Error(`${backend.name} gave ${out.length} rows, expected ${n}`);
        const row = new Array<number>(count).fill(0);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < count; k++) {
            const column = columns[k] as Float64Array | number[] | number;
            row[k] = typeof column === "number" ? column : (column[i] as number);
          }
          const expected = backend.exact ? evaluateFirst(resolved, row) : compiled.fn(...row);
          const actual = out[i] as number;
          if (!Object.is(expected, actual)) {
            throw new Error(
              `${backend.name} batch gave ${formatNumber(actual)} in row ${i} of ${n}, row by row ${formatNumber(expected)} for ${source} (${row.map(formatNumber).join(", ")})`,
            );
          }
        }
      } finally {
        compiled.dispose();
      }
    },
  );
}

/**
 * With the application's names (random constants, expression functions,
 * host functions that log, throw or return non-numbers): a back-end's
 * `evaluateBatch` gives each row exactly what its scalar entry gives, makes
 * exactly the host calls the rows make one after another, and fails with
 * the first failing row's error, leaving `out` untouched.
 */
export function batchAgreesOnExtensions(
  backend: Backend,
): fc.IPropertyWithHooks<[{ environment: unknown; source: string }, number, number]> {
  return fc.property(
    programWithEnvironmentArbitrary(),
    fc.constantFrom(1, 2, 1025),
    fc.integer(),
    (generated, n, seed) => {
      const { environment, source } = generated;
      const log = new HostLog();
      let compiled: Compiled;
      try {
        compiled = compile(source, { backend: backend.name, ...extensionOf(environment, log) });
      } catch (error) {
        // native refuses host calls; the scalar property checks how.
        if (error instanceof ExprError && error.kind === "backend") return;
        throw error;
      }
      try {
        const count = compiled.variables.length;
        const columns = batchColumns(count, n, ["typed", "plain", "scalar"], seed);
        const row = new Array<number>(count).fill(0);
        log.reset();
        const expected: Outcome[] = [];
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < count; k++) {
            const column = columns[k] as Float64Array | number[] | number;
            row[k] = typeof column === "number" ? column : (column[i] as number);
          }
          const o = outcome(() => compiled.fn(...row));
          expected.push(o);
          if ("error" in o) break;
        }
        const expectedCalls = [...log.calls];
        log.reset();
        const out = new Float64Array(n).fill(7);
        const actual = outcome(() => {
          compiled.evaluateBatch(columns, { out, length: n });
          return 0;
        });
        const failed = expected.find((o) => "error" in o);
        const where = `${backend.name} batch of ${n} rows for ${source} with ${environment.definitions.join("; ")}`;
        if (failed !== undefined) {
          if (!("error" in actual) || actual.error !== (failed as { error: string }).error) {
            throw new Error(
              `${where}: gave ${describeOutcome(actual)}, rows ${describeOutcome(failed)}`,
            );
          }
          if (!out.every((v) => v === 7)) throw new Error(`${where}: wrote to out before failing`);
        } else {
          if ("error" in actual) throw new Error(`${where}: failed with ${actual.error}`);
          expected.forEach((o, i) => {
            if (!Object.is((o as { value: number }).value, out[i])) {
              throw new Error(
                `${where}: row ${i} gave ${formatNumber(out[i] as number)}, alone ${describeOutcome(o)}`,
              );
            }
          });
        }
        if (JSON.stringify(log.calls) !== JSON.stringify(expectedCalls)) {
          throw new Error(
            `${where}: called ${log.calls.join(" ")}, rows ${expectedCalls.join(" ")}`,
          );
        }
      } finally {
        compiled.dispose();
      }
    },
  );
}

/** The exact back-ends auto may promote through, in any order. */
const EXACT_TIERS: readonly BackendName[] = ["treewalk", "vm", "closure", "js", "wasm"];

/** A random plan for the auto back-end: some exact tiers, in some order, with thresholds. */
const tierPlans = fc.shuffledSubarray([...EXACT_TIERS], { minLength: 1 }).chain((tiers) =>
  fc
    .array(fc.nat(12), { minLength: tiers.length - 1, maxLength: tiers.length - 1 })
    .map((steps) => {
      let sum = 0;
      return { tiers, thresholds: steps.map((step) => (sum += step)) };
    }),
);

/** One use of a compiled expression: `fn`, `evaluate` with an object or an array, or a batch. */
const uses = fc.oneof(
  fc.constant("fn" as const),
  fc.constant("object" as const),
  fc.constant("array" as const),
  fc.nat(20).map((rows) => ({ rows })),
);

/**
 * The auto back-end, promoted in the middle of a random sequence of calls
 * through every entry, gives on each call exactly what the reference
 * evaluator gives: a promotion changes nothing but the speed.
 */
export const autoAgreesAcrossPromotions = fc.property(
  programArbitrary(),
  tierPlans,
  fc.array(fc.tuple(uses, inputs), { maxLength: 30 }),
  (ast, plan, calls) => {
    const source = printProgram(ast);
    const reference = toResolvedProgram(source);
    const compiled = compile(source, plan);
    try {
      for (const [use, vars] of calls) {
        const values = compiled.variables.map((name) => vars[name] as number);
        const expected = evaluateFirst(reference, values);
        const actual =
          use === "fn"
            ? [compiled.fn(...values)]
            : use === "object"
              ? [compiled.evaluate(vars)]
              : use === "array"
                ? [compiled.evaluate(values)]
                : [...compiled.evaluateBatch(values, { length: use.rows })];
        for (const value of actual) {
          if (!Object.is(value, expected)) {
            throw new Error(
              `${source} on ${compiled.tier} (${use === "fn" || use === "object" || use === "array" ? use : "batch"}): ${formatNumber(value)}, expected ${formatNumber(expected)}`,
            );
          }
        }
      }
    } finally {
      compiled.dispose();
    }
  },
);
