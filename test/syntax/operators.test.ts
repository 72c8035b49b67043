/**
 * THE operator table: the token tables derived from it, the facts it
 * states (mirrors, 0-or-1 results), and the promise it makes to whoever
 * adds an operator: every back-end that does not handle it fails to
 * type-check.
 */

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BINARY,
  BINARY_BY_KIND,
  type BinaryOp,
  mirrorOf,
  UNARY,
  UNARY_BY_KIND,
} from "../../src/syntax/operators.js";
import { KIND } from "../../src/syntax/token.js";

const SPECIALS = [0, -0, 1, -1, 0.5, 2, 3, Number.NaN, Infinity, -Infinity, 5e-324, 1e308];

describe("the token tables derived from the operator table", () => {
  it("maps each spelling to its operator, ** and ^ both to power", () => {
    expect(BINARY_BY_KIND[KIND.STAR_STAR]?.op).toBe("^");
    expect(BINARY_BY_KIND[KIND.CARET]?.op).toBe("^");
    expect(BINARY_BY_KIND[KIND.AND_AND]).toEqual({ op: "&&", level: 2, assoc: "left" });
    expect(UNARY_BY_KIND[KIND.BANG]).toBe("!");
    expect(UNARY_BY_KIND[KIND.STAR]).toBeUndefined();
  });

  it("has every operator reachable from exactly the tokens the table lists", () => {
    const spelled = BINARY_BY_KIND.flatMap((entry) => (entry === undefined ? [] : [entry.op]));
    expect(new Set(spelled)).toEqual(new Set(Object.keys(BINARY)));
    expect(spelled).toHaveLength(15); // 14 operators, power spelled twice
    expect(UNARY_BY_KIND.filter((op) => op !== undefined)).toHaveLength(Object.keys(UNARY).length);
  });
});

describe("facts the table states", () => {
  it("gives mirrors that are operators and exact: a op b is b mirror a", () => {
    for (const op of Object.keys(BINARY) as BinaryOp[]) {
      const mirror = mirrorOf(op);
      if (mirror === undefined) continue;
      expect(Object.keys(BINARY)).toContain(mirror);
      for (const a of SPECIALS) {
        for (const b of SPECIALS) {
          const left = BINARY[op].apply(a, b);
          const right = BINARY[mirror].apply(b, a);
          if (!Object.is(left, right)) expect.fail(`${a} ${op} ${b} is not ${b} ${mirror} ${a}`);
        }
      }
    }
  });

  it("marks 0-or-1 exactly the operators whose every result is +0 or 1", () => {
    for (const [op, spec] of Object.entries(BINARY)) {
      const results = SPECIALS.flatMap((a) => SPECIALS.map((b) => spec.apply(a, b)));
      const zeroOrOne = results.every((v) => Object.is(v, 0) || v === 1);
      expect(spec.zeroOrOne, op).toBe(zeroOrOne);
    }
    for (const [op, spec] of Object.entries(UNARY)) {
      const zeroOrOne = SPECIALS.every((a) => Object.is(spec.apply(a), 0) || spec.apply(a) === 1);
      expect(spec.zeroOrOne, op).toBe(zeroOrOne);
    }
  });

  it("lets && and || decide on the left side's truth: false for &&, true for ||", () => {
    expect(BINARY["&&"].decides).toBe(false);
    expect(BINARY["||"].decides).toBe(true);
    for (const spec of Object.values(BINARY)) {
      expect(spec.decides === undefined).toBe(spec.class !== "logical");
    }
  });
});

/**
 * The files that fail to type-check in a copy of src/ where `file` has
 * `addition` inserted after the line `anchor`.
 */
function filesFailingWith(file: string, anchor: string, addition: string): string[] {
  const root = resolve(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(tmpdir(), "exprjit-typecheck-"));
  try {
    cpSync(join(root, "src"), join(dir, "src"), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, include: ["src"] }));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    expect(text).toContain(anchor);
    writeFileSync(path, text.replace(anchor, anchor + addition));
    let output = "";
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "."], {
        cwd: dir,
        encoding: "utf8",
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    return [
      ...new Set([...output.matchAll(/^(src\/[^(]+)\(/gm)].map((m) => m[1] as string)),
    ].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("extending the language (docs/ARCHITECTURE.md checklists)", () => {
  it("adding an operator is a type error in every back-end until it handles it", () => {
    const failing = filesFailingWith(
      "src/syntax/operators.ts",
      '  "%": arithmetic("PERCENT", 5, (a, b) => a % b),\n',
      '  "//": arithmetic("SLASH", 5, (a, b) => Math.floor(a / b)),\n',
    );
    expect(failing).toEqual([
      "src/backends/closure/block-ops.ts",
      "src/backends/closure/scalar-ops.ts",
      "src/backends/js/codegen.ts",
      "src/backends/native/cgen.ts",
      "src/backends/vm/opcodes.ts",
      "src/backends/wasm/codegen.ts",
      "src/semantics/evaluate.ts",
    ]);
  });

  it("adding a builtin is a type error where it needs a spelling of its own (C)", () => {
    const failing = filesFailingWith(
      "src/semantics/builtins.ts",
      "  round: unary(Math.round, false),\n",
      "  frac: unary((x) => x - Math.floor(x), false),\n",
    );
    // spelling.ts is where it goes; cgen.ts fails with it, where it looks the spelling up.
    expect(failing).toEqual(["src/backends/native/cgen.ts", "src/backends/native/spelling.ts"]);
  });
});
