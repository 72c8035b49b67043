/**
 * The CLI when its standard output fails: a reader that leaves early
 * (EPIPE) and a full device (ENOSPC), through the built CLI in real
 * pipelines, and the rule itself.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { outputFailure, watchOutput } from "../../src/cli/output.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Runs a bash pipeline with $EXPRJIT as the CLI; its stdout, stderr and PIPESTATUS. */
function pipeline(script: string) {
  const run = spawnSync("bash", ["-c", `${script}; echo "status=\${PIPESTATUS[*]}" >&2`], {
    encoding: "utf8",
    env: { ...process.env, EXPRJIT: `"${process.execPath}" "${MAIN}"` },
    timeout: 60_000,
  });
  return { stdout: run.stdout, stderr: run.stderr };
}

describe("standard output that fails", () => {
  it("stops quietly with status 0 when the reader goes away (| head -1)", () => {
    const { stdout, stderr } = pipeline(`seq 20000 | sed 's/$/*2/' | eval "$EXPRJIT" | head -1`);
    expect(stdout).toBe("2\n");
    // seq may or may not be killed by SIGPIPE in turn; exprjit itself exits 0, saying nothing.
    expect(stderr).toMatch(/^status=\d+ \d+ 0 0\n$/);
  });

  it("also when one result is a dump larger than the pipe holds", () => {
    const big = Array.from({ length: 10_000 }, (_, i) => `x${i}`).join("+");
    const whole = spawnSync(process.execPath, [MAIN, "--dump", "tokens", big], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }).stdout;
    expect(whole.length).toBeGreaterThan(100_000);
    const { stdout, stderr } = pipeline(`eval "$EXPRJIT" --dump tokens '${big}' | head -1`);
    expect(stdout).toBe(`${whole.split("\n")[0]}\n`);
    expect(stderr).toBe("status=0 0\n");
  });

  it.skipIf(!existsSync("/dev/full"))(
    "says why in one line, exit 1, on a full device (>/dev/full)",
    () => {
      const { stdout, stderr } = pipeline(`eval "$EXPRJIT" 1+1 >/dev/full`);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        "exprjit: cannot write to standard output: no space left on device (ENOSPC)\nstatus=1\n",
      );
    },
  );
});

describe("outputFailure", () => {
  const nodeError = (code: string, message: string) =>
    Object.assign(new Error(message), { code, syscall: "write" });

  it("is quiet and successful for EPIPE, one line and status 1 otherwise", () => {
    expect(outputFailure(nodeError("EPIPE", "write EPIPE"))).toEqual({ code: 0 });
    expect(outputFailure(nodeError("EIO", "EIO: i/o error, write"))).toEqual({
      code: 1,
      message: "exprjit: cannot write to standard output: i/o error (EIO)\n",
    });
    expect(outputFailure("odd")).toEqual({
      code: 1,
      message: "exprjit: cannot write to standard output: odd\n",
    });
  });

  it("is what watchOutput does on stdout's error event", () => {
    let listener: ((error: Error) => void) | undefined;
    const written: string[] = [];
    const exits: number[] = [];
    watchOutput({
      stdout: { on: (_event, l) => (listener = l) },
      stderr: { write: (text) => written.push(text) },
      exit: ((code: number) => {
        exits.push(code);
      }) as (code: number) => never,
    });
    listener?.(nodeError("ENOSPC", "ENOSPC: no space left on device, write"));
    expect({ written, exits }).toEqual({
      written: ["exprjit: cannot write to standard output: no space left on device (ENOSPC)\n"],
      exits: [1],
    });
  });
});
