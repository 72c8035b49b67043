/**
 * The SQL suite every engine runs: the conformance tables, the user
 * extension's cases, NULL handling, database functions, refusals,
 * injection, and a differential property over the shared generator; every
 * row compared with `Object.is` against the reference with the engine's
 * own libm (oracle.ts), and the engine's libm against JavaScript's within
 * the bound of {@link LIBM_BOUNDS}.
 */

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toProgram } from "../../src/api/frontend.js";
import { userNamesOf } from "../../src/api/scope.js";
import { allowanceOf } from "../../src/backends/native/spelling.js";
import { ExprBackendError, ExprError, ExprOptionsError } from "../../src/errors.js";
import type { FunctionName } from "../../src/semantics/builtins.js";
import { DIALECTS } from "../../src/sql/dialects.js";
import { type SqlDialectName, sqlFunction, sqlPrelude, toSQL } from "../../src/sql/index.js";
import { USER_EXTENSION, USER_VALUE_CASES, VALUE_CASES, VARS } from "../conformance/cases.js";
import { input, sourceArbitrary, specialRows } from "../differential/arbitraries.js";
import type { Engine } from "./engines.js";
import { EngineLibm } from "./oracle.js";

/**
 * How far (ulp) an engine's function may be from JavaScript's where it is
 * not native's allowance (src/backends/native/spelling.ts): the engines
 * call the C library's plain double functions, where native widens cbrt,
 * cosh and tanh; DuckDB has no expm1 or log1p (formulas on exp and ln).
 */
export const LIBM_BOUNDS: Record<SqlDialectName, Partial<Record<FunctionName, number>>> = {
  duckdb: { cbrt: 3, cosh: 2, tanh: 3, expm1: 4, log1p: 4 },
  postgres: { cbrt: 3, cosh: 2, tanh: 3 },
  clickhouse: { cbrt: 3, expm1: 4, log1p: 4 },
};

const VARIABLE_VALUES = VARS as unknown as Record<string, number>;

/** The SQL tests for the engine `start` gives. */
export function sqlSuite(dialect: SqlDialectName, start: () => Promise<Engine>): void {
  let engine: Engine;
  let libm: EngineLibm;

  beforeAll(async () => {
    engine = await start();
    const prelude = sqlPrelude(dialect);
    if (prelude !== "") await engine.exec(prelude);
    libm = new EngineLibm(engine);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    const bounds = LIBM_BOUNDS[dialect];
    const seen = [...(libm?.distance ?? [])].map(([name, d]) => `${name} ${d}`).join(", ");
    console.log(`${engine?.version}: libm distance from V8 in ulp (greatest seen): ${seen}`);
    for (const [name, distance] of libm?.distance ?? []) {
      const bound = bounds[name as FunctionName] ?? allowanceOf(name as FunctionName);
      if (distance > bound) {
        const at = libm.worst.get(name)?.join(", ");
        throw new Error(
          `${engine.version}: ${name}(${at}) is ${distance} ulp from V8 (bound ${bound})`,
        );
      }
    }
  });

  /** Runs `source` on `rows` and compares each row with the reference. */
  async function check(
    source: string,
    rows: readonly (readonly number[])[],
    options: Parameters<typeof toSQL>[1] | undefined = undefined,
  ): Promise<void> {
    const program = toProgram(
      source,
      {},
      options === undefined ? undefined : userNamesOf(options, {}, source),
    );
    let sql: string;
    try {
      sql = toSQL(source, options ?? { dialect });
    } catch (error) {
      // Only ClickHouse 18.16 refuses constructs; the message names the construct and the dialect.
      if (
        dialect === "clickhouse" &&
        error instanceof ExprBackendError &&
        / in ClickHouse: /.test(error.message)
      ) {
        return;
      }
      throw error;
    }
    const got = await engine.values(sql, program.variables, rows).catch((error: Error) => {
      throw new Error(`${engine.version}: ${source} failed: ${error.message}\n${sql}`);
    });
    const want = await libm.evaluate(program, rows);
    rows.forEach((row, i) => {
      if (!Object.is(got[i], want[i])) {
        expect.fail(
          `${engine.version}: ${source} on (${row.join(", ")}) gave ${got[i]}, the reference ${want[i]}\n${sql}`,
        );
      }
    });
  }

  describe(`${dialect}: the conformance tables`, () => {
    it("gives every value case's value", async () => {
      for (const [source] of VALUE_CASES) {
        const { variables } = toProgram(source);
        await check(source, [variables.map((name) => VARIABLE_VALUES[name] as number)]);
      }
    });

    it("gives the cases the differential property found (engine quirks)", async () => {
      // ClickHouse 18.16 sent -(-x) to its shards as --x (a comment) and dropped not(not(x)).
      for (const source of [
        "--(x || x)",
        "!!x",
        "-(-x) * !!y",
        "atanh(x)",
        "nan ^ x",
        "expm1(x)",
        "log1p(x)",
      ]) {
        const program = toProgram(source);
        await check(source, specialRows(program.variables.length));
      }
    });

    it("gives the user extension's cases, and refuses host functions it was not given SQL for", async () => {
      const options = { dialect, ...USER_EXTENSION };
      for (const [source, , host] of USER_VALUE_CASES) {
        if (host) {
          expect(() => toSQL(source, options)).toThrow(ExprBackendError);
          expect(() => toSQL(source, options)).toThrow(/host function '\w+', which cannot run in/);
          continue;
        }
        const { variables } = toProgram(source, {}, userNamesOf(options, {}, source));
        await check(source, [variables.map((name) => VARIABLE_VALUES[name] as number)], options);
      }
    });
  });

  describe(`${dialect}: near the limits of binary64`, () => {
    const max = Number.MAX_VALUE;
    const tiny = 5e-324;
    // Products, quotients and sums at the edges: ties to 0 and to Infinity, subnormals, signs.
    const pairs: (readonly [number, number])[] = [
      [1e308, 10],
      [-1e308, 10],
      [1e-308, 1e-308],
      [-1e-308, 1e-308],
      [tiny, 0.5],
      [tiny, -0.5],
      [max, max],
      [max, 1 + 2 ** -52],
      [max, 1 + 2 ** -53],
      [2 ** 512, 2 ** 511],
      [2 ** 512, 2 ** 512],
      [2 ** -538, 2 ** -537],
      [3 * 2 ** -539, 2 ** -537],
      [2 ** -538, -(2 ** -537)],
      [1.5 * 2 ** -1000, 2 ** -75],
      [max, -max],
      [max, 2 ** 970],
      [2 ** 1023, 2 ** 1023],
      [max, 0],
      [-0, 0],
      [1, -0],
      [0, -0],
      [-1, 0],
      [tiny, max],
      [max, tiny],
      [2 ** -1073, 2],
      [3, 2 ** -1074],
      [2 ** 53 + 2, 3],
      [1e300, 1e-300],
      [1e308, 1e-308],
      [7, 1e-320],
      [-2.5, 2 ** 60],
      [1.0000001, 1e10],
      [0.9999999, 1e10],
      [-2, 1025],
      [2, -1074],
      [2, -1075],
      [2, -1075.5],
      [10, 308.3],
      [10, -323.5],
      [-10, 309],
      [709.782712893384, 1],
      [709.7827128933841, 1],
      [-745.1332191019411, 1],
      [-745.1332191019412, 1],
      [Number.NaN, 0],
      [1, Number.NaN],
      [-1, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, 0.5],
      [Number.NEGATIVE_INFINITY, -3],
      [-0, -3],
      [-0, -2],
      [-0, 3],
      [-0, Number.NEGATIVE_INFINITY],
      [-8, 1 / 3],
      [0.5, Number.POSITIVE_INFINITY],
    ];
    const rows = pairs.flatMap(([a, b]) => [
      [a, b],
      [b, a],
    ]);
    for (const source of [
      "x * y",
      "x / y",
      "x + y",
      "x - y",
      "x % y",
      "x ^ y",
      "exp(x)",
      "expm1(x)",
      "log1p(x)",
      "log2(x)",
      "round(x)",
      "sign(x)",
      "min(x, y)",
      "max(x, y)",
      "hypot(x, y)",
      "x < y",
      "x >= y",
      "x == y",
      "x != y",
    ]) {
      it(`gives ${source} exactly there`, async () => {
        const program = toProgram(source);
        const used = rows.map((row) => row.slice(0, program.variables.length));
        await check(source, used);
      });
    }
  });

  describe(`${dialect}: NULL, database functions, host functions`, () => {
    it("gives NULL on a row where a variable the program reads is NULL", async () => {
      const sql = toSQL("z ? x : 0 * y", { dialect });
      const rows = [
        [0, 1, 2],
        [null, 1, 2],
        [0, null, 2],
        [0, 1, null],
      ];
      expect(await engine.values(sql, ["z", "x", "y"], rows)).toEqual([0, null, null, null]);
    });

    it("reads the caller's columns: any SQL, cast to the double type", async () => {
      const sql = toSQL("x / y", { dialect, columns: { x: '"a" + 1', y: '"b"' } });
      expect(
        await engine.values(
          sql,
          ["a", "b"],
          [
            [1, 4],
            [-1, 0],
          ],
        ),
      ).toEqual([0.5, Number.NaN]);
    });

    it("installs a formula as a database function and calls it from a query", async () => {
      if (dialect === "clickhouse") {
        expect(() => sqlFunction("x", { dialect, name: "f" })).toThrow(
          "cannot make a database function of this program in ClickHouse",
        );
        return;
      }
      await engine.exec(sqlFunction("x % y + min(x, y)", { dialect, name: "exprjit_test_f" }));
      const got = await engine.values(
        'exprjit_test_f("p", "q")',
        ["p", "q"],
        [
          [5.5, 2],
          [-0, 3],
        ],
      );
      expect(got).toEqual([(5.5 % 2) + 2, -0]);
      expect(Object.is(got[1], -0)).toBe(true);
    });

    it("calls the caller's SQL function for a host function it maps", async () => {
      // ClickHouse 18.16 has no user functions: a builtin stands for the caller's.
      const name = dialect === "clickhouse" ? "negate" : "exprjit_test_twice";
      if (dialect !== "clickhouse") await engine.exec(sqlFunction("v * 2", { dialect, name }));
      const options = { dialect, ...USER_EXTENSION, sqlFunctions: { twice: name } };
      const sql = toSQL("twice(x) + 1", options);
      expect(await engine.values(sql, ["x"], [[1.5]])).toEqual([
        dialect === "clickhouse" ? -0.5 : 4,
      ]);
    });
  });

  describe(`${dialect}: refusals and names`, () => {
    it("refuses SQL that would grow past the bound, naming the dialect", () => {
      const deep = `${"min(".repeat(12)}x${", y)".repeat(12)}`;
      const run = (): string => toSQL(deep, { dialect, maxSqlLength: 20_000 });
      if (dialect === "postgres") expect(run()).toContain("exprjit_min2");
      else
        expect(run).toThrow(
          `cannot compile to SQL: its SQL for ${DIALECTS[dialect].title} would be longer than 20000 characters`,
        );
    });

    it("emits nothing of the source but exact literals and quoted identifiers (injection)", async () => {
      // Names the language accepts are identifiers: quotes and SQL never get through.
      expect(() => toSQL('x"; DROP TABLE t; --', { dialect })).toThrow(ExprError);
      expect(() =>
        toSQL("k + 1", {
          dialect,
          constants: { 'k"); DROP TABLE t; --': 1 } as Record<string, number>,
        }),
      ).toThrow(ExprError);
      expect(() => toSQL("f(1)", { dialect, functions: { 'f") --': "f(v) = v" } })).toThrow(
        ExprError,
      );
      expect(() => sqlFunction("x", { dialect, name: 'f"(); DROP TABLE t; --' })).toThrow(
        ExprOptionsError,
      );
      // A constant's name never reaches the SQL: only its value, as a literal.
      const sql = toSQL("select + drop", { dialect, constants: { drop: 0.1 } });
      expect(sql).not.toContain("drop");
      expect(sql).toContain(DIALECTS[dialect].quote("select"));
      // Keywords and prototype names are ordinary, quoted columns.
      const values = await engine.values(
        toSQL("select * constructor + __proto__", { dialect }),
        ["select", "constructor", "__proto__"],
        [[2, 3, 0.5]],
      );
      expect(values).toEqual([6.5]);
    });

    it("rejects an unknown dialect and bad options with ExprOptionsError", () => {
      expect(() => toSQL("x", { dialect: "oracle" as SqlDialectName })).toThrow(
        "the SQL dialect must be one of duckdb, postgres, clickhouse",
      );
      expect(() => toSQL("x", { dialect, columns: { x: 1 as unknown as string } })).toThrow(
        "columns.x must be SQL text",
      );
    });
  });

  describe(`${dialect}: the differential property`, () => {
    const refusals =
      dialect === "clickhouse" ? "refusals only of what 18.16 lacks" : "refusals under 2%";
    it(`gives, row by row, the reference's value for random programs (${refusals})`, async () => {
      let programs = 0;
      let refused = 0;
      const refusedBy = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          sourceArbitrary(),
          fc.array(fc.tuple(input, input, input, input, input), { maxLength: 3 }),
          async (source, extra) => {
            let program: ReturnType<typeof toProgram>;
            try {
              program = toProgram(source);
            } catch {
              return; // a generated program the language refuses (e.g. too deep) is not SQL's concern
            }
            programs++;
            try {
              toSQL(source, { dialect });
            } catch (error) {
              if (!(error instanceof ExprBackendError)) throw error;
              refused++;
              return;
            }
            const n = program.variables.length;
            const rows = [...specialRows(n), ...extra.map((r) => r.slice(0, n))];
            await check(source, rows);
          },
        ),
        { numRuns: Number(process.env.EXPRJIT_SQL_RUNS ?? 150) },
      );
      const share = refused / programs;
      console.log(
        `${engine.version}: ${programs} random programs, ${refused} refused (${(100 * share).toFixed(1)}%)`,
      );
      if (dialect === "clickhouse") {
        // Only what 18.16 cannot express at all: %, and the functions it lacks.
        for (const message of refusedBy.keys()) {
          expect(message).toMatch(
            /'%' cannot be exact in ClickHouse|'(sinh|cosh|tanh|asinh|acosh|atanh|atan2)' cannot be exact in ClickHouse/,
          );
        }
      } else expect(share).toBeLessThan(0.02);
    }, 600_000);
  });
}
