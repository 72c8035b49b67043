/**
 * Where code generation from strings is forbidden, native still loads:
 * its per-arity entry falls back to a generic one.
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { native } from "../../../src/backends/native/index.js";

const INDEX = fileURLToPath(new URL("../../../dist/index.js", import.meta.url));
const availability = native.availability();

describe.skipIf(!availability.available)("native without code generation from strings", () => {
  it("compiles and runs under --disallow-code-generation-from-strings", () => {
    const script = `import(${JSON.stringify(INDEX)}).then((m) => {
      const f = m.compile("x * 2 + y", { backend: "native" });
      console.log(f.evaluate({ x: 1.5, y: -0.5 }), f.fn(2, 1));
    });`;
    const run = spawnSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "-e", script],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("2.5 5\n");
  });
});
