/**
 * scripts/with-node.sh without the network: its usage errors, running a
 * command under a version already in the cache (a stand-in node), and
 * failed installs (a stand-in npm) that leave nothing in the cache.
 */

import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/with-node.sh", import.meta.url));
const ARCH = process.arch === "x64" ? "x64" : process.arch === "arm64" ? "arm64" : undefined;
const work = mkdtempSync(join(tmpdir(), "exprjit-with-node-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function withNode(args: readonly string[], env: Record<string, string> = {}) {
  const run = spawnSync(SCRIPT, args, {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** The pinned majors and versions, as `--list` prints them. */
const pinned = withNode(["--list"])
  .stdout.trim()
  .split("\n")
  .map((line) => line.split(" ") as [string, string]);

describe("scripts/with-node.sh", () => {
  it("lists the pinned versions: every supported major, one exact version each", () => {
    for (const [major, version] of pinned)
      expect(version).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
    expect(pinned.map(([major]) => major)).toEqual(expect.arrayContaining(["20", "22", "24"]));
  });

  it("explains itself and refuses what it cannot do", () => {
    expect(withNode(["--help"])).toMatchObject({ status: 0, stderr: "" });
    expect(withNode(["--help"]).stdout).toMatch(/^Usage: scripts\/with-node\.sh MAJOR COMMAND/);
    const majors = pinned.map(([major]) => major).join(" ");
    expect(withNode(["18", "node"])).toEqual({
      status: 2,
      stdout: "",
      stderr: `with-node: Node 18 is not pinned in scripts/node-versions (pinned: ${majors})\n`,
    });
    expect(withNode(["lts", "node"])).toMatchObject({
      status: 2,
      stderr: "with-node: 'lts' is not a Node major version (try --help)\n",
    });
    expect(withNode(["24"])).toMatchObject({
      status: 2,
      stderr: "with-node: no command given (usage: scripts/with-node.sh MAJOR COMMAND [ARG...])\n",
    });
    expect(withNode([])).toMatchObject({ status: 2, stdout: "" });
  });

  describe.skipIf(process.platform !== "linux" || ARCH === undefined)("on this machine", () => {
    const [major, version] = pinned[0] as [string, string];

    it("runs the command with the cached Node first on PATH", () => {
      const cache = join(work, "cache-installed");
      const bin = join(cache, `node-${version}-linux-${ARCH}`, "bin");
      mkdirSync(bin, { recursive: true });
      executable(join(bin, "node"), 'echo "stand-in node $*"');
      const env = { EXPRJIT_NODE_CACHE: cache };
      expect(withNode([major, "node", "--version", "a b"], env)).toEqual({
        status: 0,
        stdout: "stand-in node --version a b\n",
        stderr: "",
      });
      const path = withNode([major, "sh", "-c", 'echo "$PATH"'], env).stdout.trim();
      expect(path.split(delimiter)[0]).toBe(bin);
    });

    it.each([
      ["npm fails", "exit 1", `npm could not fetch node-linux-${ARCH}@${version}`],
      [
        "the tarball is not the pinned one",
        `for a; do d="$a"; done; echo junk > "$d/node-linux-${ARCH}-${version}.tgz"`,
        `node-linux-${ARCH}@${version} does not match scripts/node-versions (got sha512-`,
      ],
    ])("fails with a reason and leaves nothing in the cache when %s", (name, body, reason) => {
      const cache = join(work, `cache-${name.replaceAll(" ", "-")}`);
      const fakeBin = join(work, `bin-${name.replaceAll(" ", "-")}`);
      mkdirSync(fakeBin, { recursive: true });
      executable(join(fakeBin, "npm"), body);
      const env = { EXPRJIT_NODE_CACHE: cache, PATH: `${fakeBin}${delimiter}${process.env.PATH}` };
      const result = withNode([major, "node", "--version"], env);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`with-node: ${reason}`);
      expect(readdirSync(cache)).toEqual([]);
    });
  });
});
