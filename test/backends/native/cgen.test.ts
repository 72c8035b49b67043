/**
 * The generated C, as text: the evaluation function for small programs,
 * which helpers are pulled in, and that deep programs stay flat. No
 * compiler is needed here.
 */

import { describe, expect, it } from "vitest";
import { toResolvedProgram } from "../../../src/api/frontend.js";
import { generateAddon } from "../../../src/backends/native/addon.js";
import { generateFunction } from "../../../src/backends/native/cgen.js";
import { LIBM_TRANSCENDENTALS } from "../../../src/backends/native/runtime.js";
import { FUNCTION_LIST } from "../../../src/semantics/builtins.js";
import { validateExtension } from "../../../src/semantics/extension.js";

const fn = (source: string) => generateFunction(toResolvedProgram(source));

describe("C generation of user functions", () => {
  const user = validateExtension({
    functions: {
      lerp: "lerp(a, b, t) = a + (b - a) * t",
      sq: "sq(v) = lerp(0, v, v)",
      h: Math.abs,
    },
  });

  it("writes a static function per expression function, callees first, no user name in the text", () => {
    expect(generateFunction(toResolvedProgram("sq(x) - 1", {}, user)).definition).toBe(
      [
        "static double exprjit_u0(double a0, double a1, double a2) {",
        "  double t0, t1, t2;",
        "  t0 = a1 - a0;",
        "  t1 = t0 * a2;",
        "  t2 = a0 + t1;",
        "  return t2;",
        "}",
        "",
        "static double exprjit_u1(double a0) {",
        "  double t0;",
        "  t0 = exprjit_u0(0x0p+0, a0, a0);",
        "  return t0;",
        "}",
        "",
        "static double exprjit_eval(double a0) {",
        "  double t0, t1;",
        "  t0 = exprjit_u1(a0);",
        "  t1 = t0 - 0x1p+0;",
        "  return t1;",
        "}",
      ].join("\n"),
    );
  });

  it("refuses a host function call, naming the function", () => {
    expect(() => generateFunction(toResolvedProgram("1 + h(x)", {}, user))).toThrow(
      "the native back-end cannot call host function 'h' (a JavaScript function)",
    );
  });
});

describe("C generation", () => {
  it("writes three-address code over parameters and exact literals", () => {
    expect(fn("(y + x) * 2 - 0.1").definition).toBe(
      [
        "static double exprjit_eval(double a0, double a1) {",
        "  double t0, t1, t2;",
        "  t0 = a0 + a1;",
        "  t1 = t0 * 0x1p+1;",
        "  t2 = t1 - 0x1.999999999999ap-4;",
        "  return t2;",
        "}",
      ].join("\n"),
    );
  });

  it("jumps over the branch not taken, and tests truth with == 0 (NaN is true)", () => {
    expect(fn("x ? -x : !x").definition).toBe(
      [
        "static double exprjit_eval(double a0) {",
        "  double t0, t1, t2;",
        "  if (a0 == 0) goto L0_else;",
        "  t1 = -a0;",
        "  t0 = t1;",
        "  goto L0_done;",
        "L0_else:;",
        "  t2 = (double)(a0 == 0);",
        "  t0 = t2;",
        "L0_done:;",
        "  return t0;",
        "}",
      ].join("\n"),
    );
  });

  it("short-circuits && and || to 1 or 0", () => {
    expect(fn("x && y || 3").definition).toBe(
      [
        "static double exprjit_eval(double a0, double a1) {",
        "  double t0, t1;",
        "  t0 = 0.0;",
        "  if (a0 == 0) goto L0_done;",
        "  t0 = (double)(a1 != 0);",
        "L0_done:;",
        "  t1 = 1.0;",
        "  if (t0 != 0) goto L1_done;",
        "  t1 = (double)(0x1.8p+1 != 0);",
        "L1_done:;",
        "  return t1;",
        "}",
      ].join("\n"),
    );
  });

  it("spells operators and functions with their JS meaning", () => {
    const { definition, helpers } = fn(
      "x % y + x ^ y + min(x, y, 1) + hypot(x, y) + abs(x) + cbrt(y)",
    );
    expect(definition).toContain("fmod(a0, a1)");
    expect(definition).toContain("js_pow(a0, a1)");
    expect(definition).toContain("js_min(a0, a1)");
    expect(definition).toMatch(/js_min\(t\d+, 0x1p\+0\)/);
    expect(definition).toContain("js_hypot(2, (const double[]){a0, a1})");
    expect(definition).toContain("fabs(a0)");
    expect(definition).toContain("js_cbrt(a1)");
    expect(helpers.map((h) => h.name)).toEqual(["js_pow", "js_min", "js_hypot", "js_cbrt"]);
  });

  it("takes no parameters and needs no helper for a constant expression", () => {
    const { definition, helpers, arity } = fn("1+1.2-5");
    expect(definition.split("\n")[0]).toBe("static double exprjit_eval(void) {");
    expect(helpers).toEqual([]);
    expect(arity).toBe(0);
  });

  it("writes constants exactly, non-finite ones through math.h", () => {
    const { definition } = fn("pi + e + inf + nan - 1e999");
    expect(definition).toContain("0x1.921fb54442d18p+1 + 0x1.5bf0a8b145769p+1");
    expect(definition).toContain("+ HUGE_VAL");
    expect(definition).toContain("+ NAN");
  });

  it("keeps a 2,000-term sum flat: one statement per operation, no nesting", () => {
    const { definition } = fn(Array.from({ length: 2000 }, () => "x").join("+"));
    const lines = definition.split("\n");
    expect(lines.filter((line) => /^ {2}t\d+ = /.test(line))).toHaveLength(1999);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(200);
  });

  it("puts the evaluation function inside a Node-API module exporting Main, slots, arity, abi, fingerprint", () => {
    const { c, arity, fingerprint } = generateAddon(toResolvedProgram("y * x"));
    expect(arity).toBe(2);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(c).toContain(`CHECK(napi_create_string_utf8(env, "${fingerprint}"`);
    expect(generateAddon(toResolvedProgram("y * x + 0")).fingerprint).not.toBe(fingerprint);
    expect(c).toContain("#include <node_api.h>");
    expect(c).toContain("  slot[0] = exprjit_eval(slot[0], slot[1]);");
    expect(c).toContain("CHECK(napi_create_arraybuffer(env, 16, &data, &slots));");
    expect(c).toContain('CHECK(napi_create_string_utf8(env, "exprjit-native/2"');
    for (const name of ["Main", "slots", "arity", "abi", "fingerprint"]) {
      expect(c).toContain(
        `napi_set_named_property(env, exports, "${name}", ${name === "Main" ? "main" : name})`,
      );
    }
  });

  it("never puts source text, not even variable names, into the C", () => {
    const a = generateAddon(toResolvedProgram("price * qty + 1")).c;
    const b = generateAddon(toResolvedProgram("x * y + 1")).c;
    expect(a).toBe(b);
    expect(a).not.toContain("price");
  });
});

describe("the libm functions the compiler must not fold", () => {
  it("lists every C library function a transcendental builtin is spelled with", () => {
    for (const f of FUNCTION_LIST.filter((g) => g.transcendental && g.name !== "hypot")) {
      const arity = f.minArgs === 2 ? "(x, y)" : "(x)";
      const { definition, helpers } = fn(`${f.name}${arity}`);
      const code = [definition, ...helpers.map((h) => h.code)].join("\n");
      const called = [...code.matchAll(/\b([a-z0-9]+)\(/g)].map((m) => m[1] as string);
      const libm = called.filter((name) => !name.startsWith("js_") && name !== "exprjit_eval");
      const allowed: readonly string[] = [
        ...LIBM_TRANSCENDENTALS,
        "fabs",
        "isnan",
        "isinf",
        "double",
      ];
      expect(
        libm.filter((name) => !allowed.includes(name)),
        f.name,
      ).toEqual([]);
      expect(
        libm.some((name) => (LIBM_TRANSCENDENTALS as readonly string[]).includes(name)),
        f.name,
      ).toBe(true);
    }
  });
});
