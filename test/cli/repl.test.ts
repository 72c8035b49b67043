/**
 * The REPL three ways: driven line by line through fake IO (exact output),
 * through pipes as `exprjit repl` (results only, no prompt), and at a real
 * pseudo-terminal made by util-linux `script` (prompt, line editing and
 * history), where the test types only once the prompt is there.
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROMPT, REPL_HELP, type ReplOptions, runRepl } from "../../src/cli/repl.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Runs a session over `lines`; what it wrote, and its exit status. */
async function session(lines: readonly string[], options: ReplOptions = {}, prompt = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (text: string) => void out.push(text),
    stderr: (text: string) => void err.push(`!${text}`),
    lines: (async function* () {
      yield* lines;
    })(),
    ...(prompt ? { prompt: () => void out.push("<prompt>") } : {}),
  };
  const status = await runRepl(io, options);
  return { status, out: out.join(""), err: err.join("") };
}

describe("the REPL, line by line", () => {
  it("evaluates, keeps variables, and prints caret errors", async () => {
    const run = await session(["1+1.2-5", "x = 3", "y=x^2 + 1", "x*y", "", "1 + * 2", "z"]);
    expect(run.out).toBe("-2.8\nx = 3\ny = 10\n30\n");
    expect(run.err).toBe(
      [
        "!error: expected an operand after '+', found '*'",
        "  1 | 1 + * 2",
        "    |     ^",
        "!error: no value given for variable 'z'",
        "  1 | z",
        "    | ^",
        "",
      ].join("\n"),
    );
    expect(run.status).toBe(1);
  });

  it("tells `x == 3` (a comparison) from `x = 3` (setting x)", async () => {
    const run = await session(["x = 3", "x == 3", "x = x == 2"]);
    expect(run.out).toBe("x = 3\n1\nx = 0\n");
  });

  it("lists, sets and forgets variables with commands, starting from --var", async () => {
    const run = await session(
      [":vars", ":var t = pi/2", "sin(t)", ":unset a", ":vars", ":unset t", ":unset t"],
      {
        vars: { a: -0 },
      },
    );
    expect(run.out).toBe("a = -0\nt = 1.5707963267948966\n1\nt = 1.5707963267948966\n");
    expect(run.err).toBe("!no variable 't' is set\n");
  });

  it("refuses to set a builtin's name", async () => {
    const run = await session(["pi = 3", ":var sin=1", ":var 2x=1", ":var x"]);
    expect(run.err).toBe(
      [
        "!'pi' is a builtin name and cannot be set",
        "!'sin' is a builtin name and cannot be set",
        "!'2x' is not a variable name",
        "!usage: :var NAME=EXPR (for example :var x=1.5)",
        "",
      ].join("\n"),
    );
  });

  it("switches back-ends and says which are known", async () => {
    const run = await session([
      ":backend vm",
      ":backend",
      "2^10",
      ":backend wasn",
      ":backend default",
      ":b",
      ":backend auto",
      "2^3",
    ]);
    expect(run.out).toMatch(
      /^back-end: vm\nback-end: vm; available here: treewalk, vm, closure, js, wasm(, native)?\n1024\nback-end: default\nback-end: default \(auto\); available here: .*\nback-end: auto\n8\n$/,
    );
    expect(run.err).toBe(
      "!unknown back-end 'wasn' (known: auto, treewalk, vm, closure, js, wasm, native, or default)\n",
    );
  });

  it("explains, helps, and stops at :quit", async () => {
    const run = await session([":explain 1+1", ":help", ":quit", "2+2"]);
    expect(run.out).toMatch(/^expression: 1\+1\n\n== tokens: /);
    expect(run.out).toContain("== back-end vm: ");
    expect(run.out.endsWith(REPL_HELP)).toBe(true);
    expect(run.out).not.toContain("\n4\n");
    expect((await session([":what"])).err).toBe("!unknown command ':what' (:help lists them)\n");
  });

  it("prompts before each line when interactive, and exits 0 even after errors", async () => {
    const run = await session(["1+", "2"], {}, true);
    expect(run.out).toBe(
      "exprjit REPL: :help for commands, :quit to leave\n<prompt><prompt>2\n<prompt>",
    );
    expect(run.status).toBe(0);
  });
});

describe("exprjit repl, piped", () => {
  function piped(input: string, args: readonly string[] = ["repl"]) {
    const run = spawnSync(process.execPath, [MAIN, ...args], {
      input,
      encoding: "utf8",
      timeout: 30_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it("prints results only: printf '1+2\\n:quit\\n' | exprjit repl prints 3", () => {
    expect(piped("1+2\n:quit\n")).toEqual({ status: 0, stdout: "3\n", stderr: "" });
  });

  it("takes --backend and --var, and exits 1 if a line failed", () => {
    const run = piped("x*2\n:backend\n1/\n", ["repl", "-b", "vm", "--var", "x=21"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^42\nback-end: vm; available here: treewalk, vm, closure, js, wasm(, native)?\n$/,
    );
    expect(run.stderr).toBe(
      "error: expected an operand after '/', found end of input\n  1 | 1/\n    |   ^\n",
    );
  });

  it("takes the run's user constants and functions, which cannot be set", () => {
    const run = piped("fall(3)\ng = 2\nt = 4\nfall(t)\n", [
      "repl",
      "--const",
      "g=9.81",
      "--define",
      "fall(t) = g * t^2 / 2",
    ]);
    expect(run).toEqual({
      status: 1,
      stdout: "44.145\nt = 4\n78.48\n",
      stderr: "'g' is a user constant or function and cannot be set\n",
    });
  });

  it("refuses an expression or a dump on its command line", () => {
    expect(piped("", ["repl", "1+1"])).toMatchObject({
      status: 2,
      stderr:
        "exprjit: repl reads its expressions from the terminal or standard input\n(try exprjit --help)\n",
    });
    expect(piped("", ["repl", "--dump", "js"]).stderr).toMatch(
      /^exprjit: the REPL prints results; leave out --dump/,
    );
  });
});

const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0;

describe.skipIf(!hasScript)("exprjit at a terminal", () => {
  /** `exprjit ARGS` in a pseudo-terminal; type() waits for `expect` before typing `keys`. */
  function terminal(args: string) {
    const child: ChildProcess = spawn(
      "script",
      ["-qfec", `"${process.execPath}" "${MAIN}" ${args}`, "/dev/null"],
      { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, TERM: "xterm" } },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    let seen = 0;
    return {
      async type(expect: string, keys: string) {
        const deadline = Date.now() + 20_000;
        while (output.indexOf(expect, seen) === -1) {
          if (Date.now() > deadline)
            throw new Error(`never saw ${JSON.stringify(expect)} in ${JSON.stringify(output)}`);
          await new Promise((done) => setTimeout(done, 20));
        }
        seen = output.indexOf(expect, seen) + expect.length;
        child.stdin?.write(keys);
      },
      output: () => output,
      exited,
    };
  }

  it("starts the REPL with no arguments: prompt, results, history with the up arrow", async () => {
    const tty = terminal("");
    await tty.type(PROMPT, "x = 4\r");
    await tty.type("x = 4\r\n", "x*2\r");
    await tty.type("8\r\n", "\u001b[A\u001b[A\r"); // up twice: "x = 4" again
    await tty.type("x = 4\r\n", ":quit\r");
    expect(await tty.exited).toBe(0);
    const lines = tty.output().split("\r\n");
    expect(lines).toContain("exprjit REPL: :help for commands, :quit to leave");
    expect(lines.filter((line) => line === "x = 4")).toHaveLength(2);
    expect(lines).toContain("8");
  });

  it("leaves on Ctrl-D", async () => {
    const tty = terminal("repl");
    await tty.type(PROMPT, "2^10\r");
    await tty.type("1024\r\n", "\u0004");
    expect(await tty.exited).toBe(0);
  });
});

describe("exprjit --help", () => {
  it("names the REPL and the environment variables the CLI reads", () => {
    const help = spawnSync(process.execPath, [MAIN, "--help"], { encoding: "utf8" }).stdout;
    expect(help).toContain("\n  exprjit repl [options]          the REPL");
    expect(help).toMatch(/\nEnvironment:\n {2}CC {18}the C compiler/);
    expect(help).toContain("\n  EXPRJIT_CACHE_DIR   where the native back-end keeps compiled code");
  });
});
