import { defineConfig } from "tsup";

// ESM (dist/index.js) and CommonJS (dist/index.cjs), each with its type declarations.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node18",
  platform: "node",
  sourcemap: false,
  splitting: false,
  // Keep `node:crypto` as written: Deno resolves only the prefixed names.
  removeNodeProtocol: false,
});
