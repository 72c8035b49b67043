/**
 * Random programs through `wasm`: each module validates, our WAT assembles
 * (with wabt) to exactly our bytes, and every result is Object.is-identical
 * to the reference interpreter's.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { toProgram } from "../../../src/api/frontend.js";
import { generateWasm } from "../../../src/backends/wasm/codegen.js";
import { host } from "../../../src/backends/wasm/host.js";
import { encodeModule } from "../../../src/backends/wasm/module.js";
import { renderWat } from "../../../src/backends/wasm/wat.js";
import { compile } from "../../../src/index.js";
import { validateExtension } from "../../../src/semantics/extension.js";
import { VALUE_CASES } from "../../conformance/cases.js";
import {
  type ExprOptions,
  extensionOf,
  HostLog,
  programWithEnvironmentArbitrary,
  sourceArbitrary,
  specialRows,
} from "../../differential/arbitraries.js";

const wabt = await wabtInit();

/** Our WAT, assembled by wabt. */
function assemble(wat: string): Uint8Array {
  const module = wabt.parseWat("expr.wat", wat);
  try {
    return module.toBinary({ canonicalize_lebs: true, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Bushier trees than the differential harness draws: these tests are about the code emitted. */
const PROGRAMS: ExprOptions = { maxDepth: 5, depthSize: "medium" };

/** The ExprTk benchmark workload and the other shapes BENCHMARKS.md names. */
const WORKLOAD = [
  "(y + x)",
  "2 * (y + x)",
  "(2 * y + 2 * x)",
  "((1.23 * x^2) / y) - 123.123",
  "(y + x / y) * (x - y / x)",
  "x / ((x + y) + (x - y)) / y",
  "1 - ((x * y) + (y / x)) - 3",
  "(5.5 + x) + (2 * x - 2 / 3 * y) * (x / 3 + y / 4) + (y + 7.7)",
  "1.1*x^1 + 2.2*y^2 - 3.3*x^3 + 4.4*y^15 - 5.5*x^23 + 6.6*y^55",
  "sin(2 * x) + cos(pi / y)",
  "1 - sin(2 * x) + cos(pi / y)",
  "sqrt(111.111 - sin(2 * x) + cos(pi / y) / 333.333)",
  "(x^2 / sin(2 * pi / y)) - x / 2",
  "x + (cos(y - sin(2 / x * pi)) - sin(x - cos(2 * y / pi))) - y",
  "abs(x - y) + min(x, y) * max(x, y)",
  "1+1.2-5",
  "x < y ? x * y : (x > 2 && y > 2 ? x - y : x + y)",
  "!x || !(y != 2) && -x % 3 >= 0.5",
  "hypot(x, y, 1e308) + atan2(y, x) + min(x) + max(x, y, 2)",
  "-0 + 5e-324 - 1.7976931348623157e308 * inf / nan",
];

function checkAssembles(source: string): void {
  const code = generateWasm(toProgram(source));
  const bytes = encodeModule(code);
  expect(host?.validate(bytes), source).toBe(true);
  expect(hex(assemble(renderWat(code))), source).toBe(hex(bytes));
}

describe("our WAT assembles to exactly our bytes", () => {
  it.each(WORKLOAD)("%s", (source) => checkAssembles(source));

  it("for wide calls, which import the argument memory and store into it", () => {
    const args = Array.from({ length: 300 }, (_, i) => `x * ${i} + y`);
    checkAssembles(`hypot(${args.join(", ")}) + hypot(x, 1, 2, 3, 4, 5, 6, 7, sin(y))`);
  });

  it("for every conformance case", () => {
    for (const [source] of VALUE_CASES) checkAssembles(source);
  });

  it("for random programs", () => {
    fc.assert(fc.property(sourceArbitrary(PROGRAMS), checkAssembles), { numRuns: 150 });
  });

  it("for random programs with expression and host functions", () => {
    fc.assert(
      fc.property(programWithEnvironmentArbitrary(), ({ environment, source }) => {
        const user = validateExtension(extensionOf(environment, new HostLog()));
        const code = generateWasm(toProgram(source, {}, user));
        const bytes = encodeModule(code);
        expect(host?.validate(bytes), source).toBe(true);
        expect(hex(assemble(renderWat(code))), source).toBe(hex(bytes));
      }),
      { numRuns: 150 },
    );
  });
});

describe("random programs agree with treewalk", () => {
  it("Object.is on every input", () => {
    fc.assert(
      fc.property(sourceArbitrary(PROGRAMS), (source) => {
        const reference = compile(source, { backend: "treewalk" });
        const { fn } = compile(source, { backend: "wasm" });
        for (const values of specialRows(reference.variables.length)) {
          const want = reference.fn(...values);
          const got = fn(...values);
          if (!Object.is(got, want)) {
            expect.fail(`${source} on [${values.join(", ")}]: wasm ${got}, treewalk ${want}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
