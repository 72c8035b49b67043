/**
 * The playground's Vite config: a static site from playground/, importing
 * `exprjit` as a user would. The name resolves to this repository's package
 * (its package.json, its browser field, its built dist/: `npm run
 * playground` builds first), not to a source path.
 */

import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  resolve: { alias: [{ find: /^exprjit$/, replacement: packageRoot }] },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { port: 5178 },
  // "info", so `npm run playground` prints the URL it serves.
  logLevel: "info",
});
