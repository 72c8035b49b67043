/**
 * Command-line parsing (src/cli/args.ts) on its own: an expression that is
 * exactly an `Object.prototype` name is an expression, never taken for an
 * option (issue 20, defect 4), in every mode; and the CLI prints it.
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

const PROTOTYPE_NAMES = [
  "toString",
  "valueOf",
  "constructor",
  "__proto__",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
] as const;

describe("an expression named like an Object.prototype member", () => {
  it.each(PROTOTYPE_NAMES)("%s is an expression in every mode", (name) => {
    expect(parseArgs([name, "--var", `${name}=3`]).expression).toBe(name);
    expect(parseArgs(["explain", name]).expression).toBe(name);
    expect(parseArgs(["batch", name]).expression).toBe(name);
    expect(parseArgs(["--", name]).expression).toBe(name);
  });

  it("is evaluated by the CLI", () => {
    const run = spawnSync(process.execPath, [MAIN, "toString", "--var", "toString=3"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("3\n");
    expect(run.status).toBe(0);
  });
});

describe("a tier that cannot run here (issue 20, defect 9)", () => {
  it("exits 1, as -b native does: the machine, not the usage", () => {
    const env = { ...process.env, CC: "/nonexistent/exprjit-cc" };
    const run = spawnSync(process.execPath, [MAIN, "--tiers", "treewalk,native", "1"], {
      encoding: "utf8",
      env,
      timeout: 30_000,
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: "" });
    expect(run.stderr).toMatch(
      /^exprjit: tiers: back-end 'native' is not available here: CC is set/,
    );
    expect(run.stderr).not.toContain("--help");
  });

  it("a tier that is not a back-end is still a usage error, exit 2", () => {
    const run = spawnSync(process.execPath, [MAIN, "--tiers", "treewalk,nope", "1"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^exprjit: --tiers: unknown back-end 'nope' \(known: /);
  });
});
