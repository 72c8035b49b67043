// After `tsc`: the CommonJS face of the package for `require("exprjit")`
// (package.json's `node` → `require` condition). dist/cjs/index.js is a
// real CommonJS module that requires the ES build (Node >= 20.19 loads
// ES modules with require()); beside it go the declarations again, read
// as CommonJS because dist/cjs/package.json says so, so that TypeScript
// under `module: node16` types a CommonJS consumer without TS1479.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
const cjs = join(dist, "cjs");
mkdirSync(cjs, { recursive: true });

/**
 * Copies every declaration file under `dir` (but dist/cjs itself) into
 * dist/cjs, without its source-map comment (the maps stay with the ES build).
 */
function copyDeclarations(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === cjs) continue;
    if (statSync(path).isDirectory()) copyDeclarations(path);
    else if (name.endsWith(".d.ts")) {
      const target = join(cjs, relative(dist, path));
      mkdirSync(join(target, ".."), { recursive: true });
      const text = readFileSync(path, "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
      writeFileSync(target, text);
    }
  }
}
copyDeclarations(dist);
writeFileSync(join(cjs, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
writeFileSync(
  join(cjs, "index.js"),
  '"use strict";\n// The ES build, through require() of ES modules (Node >= 20.19).\nmodule.exports = require("../index.js");\n',
);
