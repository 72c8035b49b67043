/**
 * The native back-end in a hostile environment: cache entries truncated,
 * filled with garbage, emptied or swapped for another formula's; a cache
 * directory that cannot be written (read-only, full); compilers that fail
 * or lie; symbolic links at and above the cache path; two processes
 * building one new entry at once; the size cap; a very large formula.
 * Cases that compile run in fresh processes (child.ts) with their own
 * private cache, since the toolchain and loaded objects are per process;
 * the directory checks and eviction are called directly. The cache never
 * crashes the process, heals itself, and every failure is an ExprError of
 * kind backend naming the path.
 */

import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { toProgram } from "../../../src/api/frontend.js";
import {
  cacheLimit,
  DEFAULT_CACHE_MAX_BYTES,
  evict,
  findEntry,
} from "../../../src/backends/native/cache.js";
import { cacheDirectory } from "../../../src/backends/native/directory.js";
import { native } from "../../../src/backends/native/index.js";
import { compile } from "../../../src/index.js";

const availability = native.availability();
const work = mkdtempSync(join(tmpdir(), "exprjit-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const child = fileURLToPath(new URL("./child.ts", import.meta.url));
const injector = fileURLToPath(new URL("./inject-fs.ts", import.meta.url));

interface ChildResult {
  readonly availability: { available: boolean; reason?: string };
  readonly value?: number;
  readonly how?: string;
  readonly error?: { kind: string; message: string };
}

/** The node arguments and environment of one child run. */
function childCommand(env: Record<string, string>, args: readonly string[], inject: boolean) {
  const imports = inject ? ["--import", "tsx", "--import", injector] : ["--import", "tsx"];
  return { args: [...imports, child, ...args], env: { ...process.env, ...env } };
}

/** Runs child.ts: compiles `source` on native, evaluates it on `values`. */
function runChild(
  env: Record<string, string>,
  source: string,
  values: readonly number[] = [],
  inject = false,
): ChildResult {
  const command = childCommand(env, [source, ...values.map(String)], inject);
  const run = spawnSync(process.execPath, command.args, {
    env: command.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return parse(run.status, run.signal, run.stdout, run.stderr);
}

function parse(status: number | null, signal: string | null, stdout: string, stderr: string) {
  const line = stdout.trim().split("\n").pop() ?? "";
  if (status !== 0 || line === "") {
    throw new Error(`child ended with ${status ?? signal}: ${stderr}`);
  }
  return JSON.parse(line) as ChildResult;
}

/** A fresh private cache directory (mode 0700). */
function freshCache(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** The entry files of a cache: records and objects. */
function entries(dir: string): { records: string[]; objects: string[]; others: string[] } {
  const names = readdirSync(dir);
  return {
    records: names.filter((n) => n.endsWith(".sum")),
    objects: names.filter((n) => n.endsWith(".node")),
    others: names.filter((n) => !n.endsWith(".sum") && !n.endsWith(".node")),
  };
}

/** The object file of the only entry built in `dir` after `before` (a list of records). */
function objectOf(dir: string, record: string): string {
  const hash = readFileSync(join(dir, record), "utf8").trim().split(" ")[2] as string;
  return join(dir, `${record.slice(0, 64)}-${hash.slice(0, 16)}.node`);
}

/** A shell script standing in for the compiler. */
function script(name: string, body: string): string {
  const path = join(work, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(!availability.available)("a damaged cache entry", () => {
  const dir = freshCache("damaged");
  const env = { EXPRJIT_CACHE_DIR: dir };
  let record = "";
  let object = "";

  it("is built once", () => {
    expect(runChild(env, "x * 7 + 1", [1]).value).toBe(8);
    const built = entries(dir).records.filter((r) => !r.startsWith("0"));
    // The probe's 1+1 leaves no entry; the formula leaves one.
    expect(built).toHaveLength(1);
    record = built[0] as string;
    object = objectOf(dir, record);
  });

  it.each([
    ["truncated to 8 KiB", (file: string) => truncateSync(file, 8192)],
    ["empty", (file: string) => truncateSync(file, 0)],
    [
      "filled with garbage of the same size",
      (file: string) => writeFileSync(file, Buffer.alloc(readFileSync(file).length, 0x5a)),
    ],
    ["missing", (file: string) => rmSync(file)],
  ])("is rebuilt, not loaded, when %s", (_, damage) => {
    damage(object);
    const result = runChild(env, "x * 7 + 1", [2]);
    expect(result.error).toBeUndefined();
    expect(result.value).toBe(15);
    expect(result.how).toMatch(/^compiled/);
    // Healed: the next process loads it without the compiler.
    object = objectOf(dir, record);
    expect(runChild(env, "x * 7 + 1", [3]).how).toMatch(/^loaded from the cache/);
  });

  it("is rebuilt when its record is garbage", () => {
    writeFileSync(join(dir, record), "not a record\n");
    const result = runChild(env, "x * 7 + 1", [2]);
    expect([result.value, result.how?.startsWith("compiled")]).toEqual([15, true]);
  });
});

describe.skipIf(!availability.available)("a cache entry swapped for another formula's", () => {
  const dir = freshCache("swapped");
  const env = { EXPRJIT_CACHE_DIR: dir };

  let a = "";
  let b = "";

  it("is detected by the fingerprint the object exports, and rebuilt", () => {
    expect(runChild(env, "x * 3 + 1", [2]).value).toBe(7);
    a = entries(dir).records[0] as string;
    expect(runChild(env, "x * 2 + 4", [2]).value).toBe(8);
    b = entries(dir).records.find((r) => r !== a) as string;
    const ra = join(dir, a);
    // The whole entry of b under a's key: record and object, so size and hash agree.
    const hashB = readFileSync(join(dir, b), "utf8").trim().split(" ")[2] as string;
    copyFileSync(objectOf(dir, b), join(dir, `${a.slice(0, 64)}-${hashB.slice(0, 16)}.node`));
    copyFileSync(join(dir, b), ra);

    const result = runChild(env, "x * 3 + 1", [2]);
    expect(result.value).toBe(7);
    expect(result.how).toMatch(/^compiled/);
    expect(runChild(env, "x * 3 + 1", [2]).how).toMatch(/^loaded from the cache/);
  });

  it("is detected by its hash when only the object was swapped", () => {
    copyFileSync(objectOf(dir, b), objectOf(dir, a));
    const rebuilt = runChild(env, "x * 3 + 1", [2]);
    expect([rebuilt.value, rebuilt.how?.startsWith("compiled")]).toEqual([7, true]);
    expect(runChild(env, "x * 2 + 4", [2]).value).toBe(8);
  });
});

describe.skipIf(!availability.available)("a cache directory that cannot be written", () => {
  it.each([
    ["read-only", "EACCES", "permission denied (EACCES)"],
    ["full", "ENOSPC", "no space left on the device (ENOSPC)"],
  ])(
    "(%s) gives an ExprError naming the path, and still serves what it holds",
    (_, code, words) => {
      const dir = freshCache(`unwritable-${code}`);
      const env = { EXPRJIT_CACHE_DIR: dir };
      expect(runChild(env, "x - 1", [3]).value).toBe(2);
      const failing = { ...env, EXPRJIT_TEST_FAIL_DIR: dir, EXPRJIT_TEST_FAIL_CODE: code };

      const result = runChild(failing, "x - 2", [3], true);
      expect(result.error?.kind).toBe("backend");
      expect(result.error?.message).toMatch(
        new RegExp(
          `^native: cannot write the C source to ${dir}/[0-9a-f]{64}\\.\\d+\\.[0-9a-f]{12}\\.c: ${words.replace(/[()]/g, "\\$&")}$`,
        ),
      );
      expect(result.error?.message).not.toMatch(/Error:|\n {4}at /);

      const cached = runChild(failing, "x - 1", [5], true);
      expect([cached.value, cached.how?.startsWith("loaded from the cache")]).toEqual([4, true]);
    },
  );
});

describe.skipIf(!availability.available)("a cache cap that cannot be read", () => {
  it("makes native unavailable with the reason, instead of failing every new formula", () => {
    const env = { EXPRJIT_CACHE_DIR: freshCache("badcap"), EXPRJIT_CACHE_MAX_BYTES: "abc" };
    const result = runChild(env, "x + 1", [1]);
    const reason = "EXPRJIT_CACHE_MAX_BYTES must be a whole number of bytes, not 'abc'";
    expect(result.availability).toEqual({ available: false, reason });
  });
});

describe.skipIf(!availability.available)("clearing a cache that cannot be written", () => {
  it("is an ExprError naming the file, not a report of 0 entries removed", () => {
    const dir = freshCache("unclearable");
    const env = { EXPRJIT_CACHE_DIR: dir };
    expect(runChild(env, "x - 7", [8]).value).toBe(1);
    const failing = { ...env, EXPRJIT_TEST_FAIL_DIR: dir, EXPRJIT_TEST_FAIL_RM: "1" };
    const result = runChild(failing, ":clear", [], true);
    expect(result.error?.kind).toBe("backend");
    expect(result.error?.message).toMatch(
      new RegExp(`^native: cannot remove ${dir}/\\S+: permission denied \\(EACCES\\)$`),
    );
    expect(runChild(env, ":clear").value).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(!availability.available)("a compiler that fails or lies", () => {
  const realCc = spawnSync("sh", ["-c", "command -v cc"], { encoding: "utf8" }).stdout.trim();
  const version = 'if [ "$1" = --version ]; then echo "liar cc 1.0"; exit 0; fi';

  it.each([
    [
      "exits 0 without writing its output",
      `${version}\nexit 0`,
      "reported success but wrote no object to",
    ],
    [
      "writes garbage and exits 0",
      `${version}\nwhile [ "$1" != -o ]; do shift; done\necho garbage > "$2"\nexit 0`,
      "cannot load the compiled code",
    ],
    ["cannot find its assembler", `PATH=/nonexistent exec "${realCc}" "$@"`, "cannot execute"],
  ])("makes native unavailable when it %s, and compile reports why", (name, body, reason) => {
    const cc = script(`cc-${name.replace(/\W+/g, "-")}`, body);
    const result = runChild(
      { CC: cc, EXPRJIT_CACHE_DIR: join(work, `cache-${cc.length}-${name.length}`) },
      "x + 1",
      [1],
    );
    expect(result.availability.available).toBe(false);
    expect(result.availability.reason).toContain(reason);
    expect(result.error?.kind).toBe("backend");
    expect(result.error?.message).toContain(reason);
    expect(result.error?.message).not.toMatch(/Error:|ENOENT:/);
  });
});

describe("symbolic links at and above the cache path", () => {
  /** cacheDirectory(false) with EXPRJIT_CACHE_DIR set to `dir`, its error message if it refuses. */
  function refusal(dir: string): string | undefined {
    const saved = process.env.EXPRJIT_CACHE_DIR;
    process.env.EXPRJIT_CACHE_DIR = dir;
    try {
      cacheDirectory(false);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    } finally {
      process.env.EXPRJIT_CACHE_DIR = saved;
    }
  }

  it("refuses a dangling symbolic link at the cache path, saying so", () => {
    const link = join(work, "dangling");
    symlinkSync(join(work, "nowhere"), link);
    expect(refusal(link)).toBe(
      `the cache directory ${link} is a symbolic link (to ${join(work, "nowhere")}, which does not exist); set EXPRJIT_CACHE_DIR to a real directory`,
    );
  });

  it("refuses a symbolic link to a private directory at the cache path", () => {
    const real = freshCache("link-target");
    const link = join(work, "link-to-private");
    symlinkSync(real, link);
    expect(refusal(link)).toMatch(/^the cache directory .* is a symbolic link \(to [^,]*\);/);
  });

  it("refuses a parent that is a symbolic link into a world-writable directory", () => {
    const open = join(work, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    symlinkSync(open, join(work, "via"));
    expect(refusal(join(work, "via", "cache"))).toBe(
      `the cache directory ${join(work, "via", "cache")} is reached through the symbolic link ${join(work, "via")} into ${open}, which every user can write to; use a directory only you can write to`,
    );
    // Without the link, a world-writable parent without the sticky bit is refused too.
    expect(refusal(join(open, "cache"))).toBe(
      `the cache directory ${join(open, "cache")} is inside ${open}, which other users can write to; use a directory only you can write to`,
    );
  });

  it("accepts a private directory reached through a private symbolic link", () => {
    const real = freshCache("private-parent");
    symlinkSync(real, join(work, "private-link"));
    expect(refusal(join(work, "private-link", "cache"))).toBeUndefined();
  });
});

describe.skipIf(!availability.available)("two processes building one new entry at once", () => {
  it("both get the right value, and leave one whole entry", async () => {
    const dir = freshCache("race");
    const env = { EXPRJIT_CACHE_DIR: dir };
    // Warm the probe and the compiler's identity, so both children race on the formula itself.
    runChild(env, "1", []);
    const start = () =>
      new Promise<ChildResult>((done, fail) => {
        const command = childCommand(env, ["x * 11 - 3", "2"], false);
        const run = spawn(process.execPath, command.args, { env: command.env });
        let stdout = "";
        let stderr = "";
        run.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        run.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        run.on("error", fail);
        run.on("close", (status, signal) => {
          try {
            done(parse(status, signal, stdout, stderr));
          } catch (error) {
            fail(error);
          }
        });
      });
    const results = await Promise.all([start(), start()]);
    expect(results.map((r) => r.value)).toEqual([19, 19]);
    const after = entries(dir);
    expect(after.records).toHaveLength(2); // "1" and the formula
    expect(after.others.filter((n) => !/^(compiler|probe)-/.test(n))).toEqual([]);
    for (const record of after.records) {
      expect(findEntry(dir, record.slice(0, 64))).toBe(objectOf(dir, record));
    }
  });
});

describe("the cache's size cap", () => {
  /** A fake entry of `size` object bytes, last used `age` seconds ago. */
  function fakeEntry(dir: string, key: string, size: number, age: number): void {
    const record = join(dir, `${key}.sum`);
    writeFileSync(join(dir, `${key}-${"a".repeat(16)}.node`), Buffer.alloc(size));
    writeFileSync(record, `exprjit-entry/1 ${size} ${"a".repeat(64)}\n`);
    const when = Date.now() / 1000 - age;
    utimesSync(record, when, when);
  }

  it("evicts the least recently used entries beyond the cap, never the one just built", () => {
    const dir = freshCache("cap");
    const key = (i: number) => String(i).repeat(64);
    for (let i = 1; i <= 5; i++) fakeEntry(dir, key(i), 1000, 100 - i * 10);
    // 1 is the oldest; 5 was used most recently. Keep 1 (as if just built).
    // Each entry is 1000 bytes of object and an 87-byte record: three fit in 3300.
    evict(dir, 3300, key(1));
    expect(entries(dir).records.sort()).toEqual([key(1), key(4), key(5)].map((k) => `${k}.sum`));
    expect(entries(dir).objects).toHaveLength(3);
  });

  it("removes stale temporary files and objects no record names", () => {
    const dir = freshCache("stale");
    const key = "7".repeat(64);
    fakeEntry(dir, key, 10, 0);
    const stale = [
      `${key}.123.abcdefabcdef.c`,
      `${key}-${"b".repeat(16)}.node`,
      `${"8".repeat(64)}.node`,
    ];
    for (const name of stale) {
      writeFileSync(join(dir, name), "x");
      utimesSync(join(dir, name), 1, 1);
    }
    writeFileSync(join(dir, "not-ours.txt"), "kept");
    evict(dir, 1_000_000);
    expect(readdirSync(dir).sort()).toEqual([
      `${key}-${"a".repeat(16)}.node`,
      `${key}.sum`,
      "not-ours.txt",
    ]);
  });

  it("reads its cap from EXPRJIT_CACHE_MAX_BYTES, refusing what is not a whole number", () => {
    const saved = process.env.EXPRJIT_CACHE_MAX_BYTES;
    try {
      delete process.env.EXPRJIT_CACHE_MAX_BYTES;
      expect(cacheLimit()).toBe(DEFAULT_CACHE_MAX_BYTES);
      process.env.EXPRJIT_CACHE_MAX_BYTES = " 40000 ";
      expect(cacheLimit()).toBe(40000);
      process.env.EXPRJIT_CACHE_MAX_BYTES = "40k";
      expect(() => cacheLimit()).toThrow(
        "EXPRJIT_CACHE_MAX_BYTES must be a whole number of bytes, not '40k'",
      );
    } finally {
      if (saved === undefined) delete process.env.EXPRJIT_CACHE_MAX_BYTES;
      else process.env.EXPRJIT_CACHE_MAX_BYTES = saved;
    }
  });

  it.skipIf(!availability.available)("holds a real cache within EXPRJIT_CACHE_MAX_BYTES", () => {
    const dir = freshCache("real-cap");
    const env = { EXPRJIT_CACHE_DIR: dir, EXPRJIT_CACHE_MAX_BYTES: "40000" };
    for (const k of [2, 3, 4, 5]) expect(runChild(env, `x * ${k}`, [2]).value).toBe(2 * k);
    const bytes = readdirSync(dir).reduce((sum, n) => sum + readFileSync(join(dir, n)).length, 0);
    expect(bytes).toBeLessThanOrEqual(40000);
    expect(entries(dir).records.length).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(!availability.available)("a very large formula", () => {
  /** A balanced tree of `leaves` operands: depth about log2(leaves). */
  function balanced(leaves: number, at: { n: number }): string {
    if (leaves === 1) {
      at.n++;
      return at.n % 3 === 0 ? "x" : at.n % 3 === 1 ? `${at.n % 997}.25` : "y";
    }
    const half = Math.floor(leaves / 2);
    const op = at.n % 2 === 0 ? "+" : "-";
    return `(${balanced(half, at)} ${op} ${balanced(leaves - half, at)})`;
  }

  it("compiles on native as on the other back-ends (80k leaves, over 600 KB)", () => {
    const source = balanced(80_000, { n: 0 });
    expect(source.length).toBeGreaterThan(600_000);
    expect(toProgram(source).depth).toBeLessThan(40);
    const expected = compile(source, { backend: "vm" }).fn(1.5, -2.5);
    const code = compile(source, { backend: "native" });
    expect(code.fn(1.5, -2.5)).toBe(expected);
    // GCC's optimiser is superlinear in one function's size: a function this large is built at -O0.
    expect(code.how).toContain("-O0");
  });
});
