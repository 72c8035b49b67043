/**
 * The package as a user gets it: `npm pack` of this checkout's build
 * (`npm test` builds dist/ first), installed from the tarball into a
 * private consumer project, then used the ways users use it: `require()`,
 * `import`, bundled for the browser by esbuild, and read by a debugger
 * through its source maps. Also: importing it touches no file and starts
 * no process; its export conditions give TypeScript CommonJS and ES
 * consumers (module node16) their types, keep Node's modules out of a
 * Rollup bundle, and let an engine of one back-end carry that one alone.
 */

import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// Made in beforeAll, not at load: a run that filters these tests out must leave nothing behind.
let work = "";
let consumer = "";
let installed = "";
afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

/** npm, quietly, with its cache and logs inside the private directory. */
function npm(args: readonly string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_cache: join(work, "npm-cache") },
    timeout: 120_000,
  });
}

/** This Node running `args` in the consumer project. */
function node(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSync(process.execPath, args, {
    cwd: consumer,
    encoding: "utf8",
    env,
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "exprjit-package-"));
  consumer = join(work, "consumer");
  installed = join(consumer, "node_modules", "exprjit");
  const packed = JSON.parse(
    npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT),
  ) as { filename: string }[];
  const tarball = join(work, packed[0]?.filename ?? "");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), '{ "name": "consumer", "private": true }\n');
  // The runtime dependencies (the CLI's CSV library) come packed from this
  // checkout's node_modules: the install stays offline, its cache private.
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const dependencies = Object.keys(pkg.dependencies ?? {}).map((name) => {
    const [dep] = JSON.parse(
      npm(
        ["pack", "--json", "--ignore-scripts", "--pack-destination", work],
        join(ROOT, "node_modules", name),
      ),
    ) as { filename: string }[];
    return join(work, dep?.filename ?? "");
  });
  npm(["install", "--offline", "--ignore-scripts", tarball, ...dependencies], consumer);
}, 180_000);

describe("installed from its tarball", () => {
  it("is require()d by a CommonJS program where Node can require ES modules", () => {
    const run = node(["-e", 'console.log(require("exprjit").evaluate("1+1"))']);
    // Unflagged from Node 20.19 and 22.12; every Node CI pins is at least that.
    expect(process.features.require_module).toBe(true);
    expect(run).toEqual({ status: 0, stdout: "2\n", stderr: "" });
  });

  it("is imported by an ES module", () => {
    const script = 'import { compile } from "exprjit"; console.log(compile("x*2+1").fn(20));';
    expect(node(["--input-type=module", "-e", script])).toMatchObject({
      status: 0,
      stdout: "41\n",
    });
  });

  it("ships the sources its source maps and declaration maps name", () => {
    const maps = listFiles(join(installed, "dist")).filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[] };
      for (const source of sources) {
        const path = resolve(dirname(map), source);
        if (!path.startsWith(installed) || !existsSync(path)) missing.push(relative(work, path));
      }
    }
    expect(missing).toEqual([]);
  });

  it("ships the documents README links to", () => {
    const readme = readFileSync(join(installed, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(((?:docs|\.)\/[^)#]+)/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !existsSync(join(installed, link)))).toEqual([]);
  });
});

describe("importing the package", () => {
  it("touches no file and starts no process; asking for `backends` is what probes native", () => {
    // Wraps every file-system and process entry point a back-end could reach, logging each call.
    const spy = join(work, "spy.mjs");
    writeFileSync(
      spy,
      `import fs from "node:fs";
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
globalThis.touched = [];
const watch = (object, names) => {
  for (const name of names) {
    const original = object[name];
    object[name] = function (...args) {
      globalThis.touched.push(name + " " + String(args[0]));
      return original.apply(this, args);
    };
  }
};
watch(fs, ["accessSync", "existsSync", "lstatSync", "statSync", "readFileSync", "readdirSync",
  "realpathSync", "mkdirSync", "mkdtempSync", "openSync", "writeFileSync", "access", "stat"]);
watch(childProcess, ["spawn", "spawnSync", "execFile", "execFileSync"]);
syncBuiltinESMExports();
`,
    );
    const script = [
      'const m = await import("exprjit");',
      "const atImport = [...globalThis.touched];",
      "m.evaluate('1+1'); m.compile('x*2').fn(1);",
      "const afterCompile = [...globalThis.touched];",
      "const names = [...m.backends];",
      "console.log(JSON.stringify({ atImport, afterCompile, afterBackends: globalThis.touched, names }));",
    ].join("\n");
    const run = node(["--import", spy, "--input-type=module", "-e", script]);
    expect(run.stderr).toBe("");
    const seen = JSON.parse(run.stdout) as {
      atImport: string[];
      afterCompile: string[];
      afterBackends: string[];
      names: string[];
    };
    // Newer Nodes load modules through the same fs functions: the package's own files are
    // the loader's doing. Anything else (headers, a compiler on PATH, a cache) is ours.
    const notLoading = (calls: string[]) =>
      calls.filter((call) => !call.includes("/node_modules/exprjit/dist/"));
    expect(notLoading(seen.atImport)).toEqual([]);
    expect(notLoading(seen.afterCompile)).toEqual([]);
    // Proves the spy sees what native's availability check does.
    expect(notLoading(seen.afterBackends).length).toBeGreaterThan(0);
    expect(seen.names.slice(0, 5)).toEqual(["treewalk", "vm", "closure", "js", "wasm"]);
  });
});

describe("bundled for the browser by esbuild", () => {
  it("an entry importing only evaluate: no Node module, no native code, under 140 KB minified", async () => {
    const entry = join(consumer, "entry.js");
    writeFileSync(entry, 'import { evaluate } from "exprjit";\nconsole.log(evaluate("1+1"));\n');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      absWorkingDir: consumer,
      logLevel: "silent",
    });
    const text = result.outputFiles[0]?.text ?? "";
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /native|js\/module\.js$|registry\.js$/.test(input))).toEqual(
      [],
    );
    expect(inputs).toContain("node_modules/exprjit/dist/backends/registry.browser.js");
    for (const word of ["dlopen", "spawnSync", "process.", 'from"node:', "require("]) {
      expect(text).not.toContain(word);
    }
    // The library itself is about 130 KB (every back-end but native, user functions,
    // bindings, batch paths, wide calls, the auto tiers and the closure compiler's
    // per-operator closures and kernels, about 20 KB, included); the bound catches
    // something large slipping in, such as a Node polyfill.
    expect(text.length).toBeLessThan(140_000);
  });

  it("tree-shakes: an entry importing only parse holds no back-end at all", async () => {
    const entry = join(consumer, "parse-only.js");
    writeFileSync(entry, 'import { parse } from "exprjit";\nconsole.log(parse("1+1"));\n');
    const { text, kept } = await minifiedForBrowser(entry, "esm");
    expect(kept).toContain("node_modules/exprjit/dist/syntax/parser.js");
    expect(kept.filter((input) => input.includes("/backends/"))).toEqual([]);
    expect(text.length).toBeLessThan(20_000);
  });

  it("runs in a page's globals: no process, no require", async () => {
    const entry = join(consumer, "page.js");
    writeFileSync(
      entry,
      'import { backends, compile, evaluate } from "exprjit";\nglobalThis.result = [evaluate("1+1.2-5"), compile("x*2+1").fn(20), [...backends]];\n',
    );
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "iife",
      write: false,
      logLevel: "silent",
    });
    // A context with the language's globals and the few web ones a page has too.
    const { runInNewContext } = await import("node:vm");
    const { WebAssembly: wasm } = globalThis as Record<string, unknown>;
    const sandbox: Record<string, unknown> = { WebAssembly: wasm, TextEncoder, TextDecoder };
    runInNewContext(result.outputFiles[0]?.text ?? "", sandbox);
    expect(sandbox.result).toEqual([-2.8, 41, ["treewalk", "vm", "closure", "js", "wasm"]]);
  });
});

describe("its export conditions", () => {
  /** The TypeScript of this checkout, compiling the project in `dir` of the consumer. */
  function tsc(dir: string) {
    const compiler = join(ROOT, "node_modules", "typescript", "lib", "tsc.js");
    return spawnSync(process.execPath, [compiler, "-p", dir], {
      encoding: "utf8",
      timeout: 120_000,
    });
  }

  it.each([
    ["commonjs", "out/main.js"],
    ["module", "out/main.js"],
  ])(
    "type a TypeScript consumer under module node16 (package type %s) that then runs",
    (type, out) => {
      const dir = join(consumer, `ts-${type}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type }));
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            module: "node16",
            moduleResolution: "node16",
            target: "ES2022",
            strict: true,
            outDir: "out",
            types: [],
          },
          include: ["main.ts"],
        }),
      );
      writeFileSync(
        join(dir, "main.ts"),
        [
          'import { type Compiled, compile, evaluate, ExprInputError } from "exprjit";',
          'const f: Compiled = compile("x * 2", { backend: "vm" });',
          "// @ts-expect-error: values are numbers",
          'const refused = (() => { try { f.evaluate({ x: "1" }); } catch (e) { return e instanceof ExprInputError; } })();',
          'console.log(f.fn(21), evaluate("1 + 2"), refused);',
        ].join("\n"),
      );
      // TS1479 ("a CommonJS module ... cannot import an ECMAScript module") was the CommonJS failure.
      expect(tsc(dir)).toMatchObject({ status: 0, stdout: "" });
      const run = spawnSync(process.execPath, [join(dir, out)], { cwd: dir, encoding: "utf8" });
      expect(run).toMatchObject({ status: 0, stdout: "42 3 true\n" });
    },
  );

  it("give require() a CommonJS module and import the ES build, one and the same library", () => {
    const script = [
      'const viaRequire = require("exprjit");',
      'import("exprjit").then((m) => console.log(m.compile === viaRequire.compile, require.resolve("exprjit")));',
    ].join("\n");
    const run = node(["-e", script]);
    expect(run.stdout).toBe(`true ${join(installed, "dist", "cjs", "index.js")}\n`);
  });

  it("keep Node's modules out of a Rollup bundle with the default resolution", async () => {
    const { rollup } = await import("rollup");
    const { nodeResolve } = await import("@rollup/plugin-node-resolve");
    const entry = join(consumer, "rollup-entry.js");
    writeFileSync(
      entry,
      'import { compile } from "exprjit";\nconsole.log(compile("x*2+1").fn(20));\n',
    );
    const warnings: string[] = [];
    const bundle = await rollup({
      input: entry,
      plugins: [nodeResolve()],
      onwarn: (warning) => void warnings.push(`${warning.code}: ${warning.message}`),
    });
    try {
      const { output } = await bundle.generate({ format: "es", inlineDynamicImports: true });
      const code = output.map((chunk) => (chunk.type === "chunk" ? chunk.code : "")).join("\n");
      expect(code.match(/["']node:[a-z_]+["']/g) ?? []).toEqual([]);
      // Nor the native back-end (comments aside: Rollup keeps them).
      expect(code).not.toMatch(/name: "native"|\.dlopen\(/);
      expect(warnings).toEqual([]);
      const { runInNewContext } = await import("node:vm");
      const logged: unknown[] = [];
      const iife = await bundle.generate({ format: "iife", inlineDynamicImports: true });
      const { WebAssembly: wasm } = globalThis as Record<string, unknown>;
      runInNewContext(iife.output[0].code, {
        console: { log: (v: unknown) => logged.push(v) },
        WebAssembly: wasm,
        TextEncoder,
        TextDecoder,
      });
      expect(logged).toEqual([41]);
    } finally {
      await bundle.close();
    }
  });

  it("make an engine of the back-ends named: a vm-only bundle holds vm alone", async () => {
    const entry = join(consumer, "vm-only.js");
    writeFileSync(
      entry,
      [
        'import { createEngine } from "exprjit/engine";',
        'import { vm } from "exprjit/backends/vm";',
        "const { compile, evaluate } = createEngine([vm]);",
        'globalThis.result = [compile("x*2+1").tier, compile("x*2+1").fn(20), evaluate("1+1")];',
      ].join("\n"),
    );
    const { text, kept } = await minifiedForBrowser(entry, "iife");
    const backends = new Set(
      kept.flatMap((input) => /\/backends\/([a-z]+)\//.exec(input)?.slice(1) ?? []),
    );
    expect([...backends]).toEqual(["vm"]);
    const { runInNewContext } = await import("node:vm");
    const sandbox: Record<string, unknown> = {};
    runInNewContext(text, sandbox);
    expect(sandbox.result).toEqual(["vm", 41, 2]);
  });
});

/**
 * `entry` bundled and minified by esbuild for the browser: the text, and
 * the inputs that reached it (esbuild reads every module it may need; the
 * bytes in the output show what stayed).
 */
async function minifiedForBrowser(
  entry: string,
  format: "esm" | "iife",
): Promise<{ text: string; kept: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format,
    minify: true,
    write: false,
    metafile: true,
    absWorkingDir: consumer,
    logLevel: "silent",
  });
  const output = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const kept = Object.keys(output).filter((input) => (output[input]?.bytesInOutput ?? 0) > 0);
  return { text: result.outputFiles[0]?.text ?? "", kept };
}

/** Every file under `dir`, recursively. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
