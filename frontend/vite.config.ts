/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const fromHere = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

// The Django page loads /static/editor/editor.js and /static/editor/editor.css, so the
// output names are fixed (no hashes) and the build is deterministic: `make test` rebuilds
// and fails when the committed bundle differs from the source.
export default defineConfig({
  plugins: [react()],
  base: "/static/editor/",
  build: {
    outDir: fromHere("../static/editor/"),
    emptyOutDir: true,
    sourcemap: false,
    cssCodeSplit: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: fromHere("src/main.tsx"),
      output: {
        entryFileNames: "editor.js",
        chunkFileNames: "editor-[name].js",
        assetFileNames: (asset) =>
          asset.names?.some((name) => name.endsWith(".css")) ? "editor.css" : "[name][extname]",
        codeSplitting: false,
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["tests/**/*.test.{ts,tsx}"],
    setupFiles: ["tests/setup.ts"],
    // Bounded, not timed: a busy machine must not fail a correct test (see tests/setup.ts).
    testTimeout: 60_000,
  },
});
