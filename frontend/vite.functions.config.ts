import { defineConfig } from "vite";

const fromHere = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

// The function page's bundle (CodeMirror 6 and the test panel), built after the editor's into
// the same folder (so `make frontend-check` diffs it too): static/editor/functions.{js,css}.
// Fixed names and no hashes, like the editor's, so the build is deterministic.
export default defineConfig({
  base: "/static/editor/",
  build: {
    outDir: fromHere("../static/editor/"),
    emptyOutDir: false,
    sourcemap: false,
    cssCodeSplit: false,
    rolldownOptions: {
      input: fromHere("src/functions/main.ts"),
      output: {
        entryFileNames: "functions.js",
        chunkFileNames: "functions-[name].js",
        assetFileNames: (asset) =>
          asset.names?.some((name) => name.endsWith(".css")) ? "functions.css" : "[name][extname]",
        codeSplitting: false,
      },
    },
  },
});
