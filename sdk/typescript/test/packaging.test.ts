// `npm pack` output installs into a clean folder and imports as ESM and as CommonJS, with its
// type declarations resolving for a TypeScript consumer. Needs a built dist/ (npm run build).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
let folder = "";

function run(command: string, args: string[], cwd = folder): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, FLOWBUILDER_API_KEY: "" } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

beforeAll(() => {
  if (!existsSync(path.join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run npm run build first");
  folder = mkdtempSync(path.join(tmpdir(), "flowbuilder-sdk-pack-"));
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", folder], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed[0].files.map((file) => file.path);
  expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md", "CHANGELOG.md", "package.json"]));
  expect(files.filter((file) => file.startsWith("src/") || file.startsWith("test/"))).toEqual([]);
  writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  // No runtime dependencies: the tarball installs without a registry.
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", path.join(folder, packed[0].filename)]);
}, 120_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const CHECK = `
  if (typeof sdk.Client !== "function" || typeof sdk.verifyWebhook !== "function") throw new Error("exports missing");
  try { new sdk.Client(); } catch (error) {
    if (!(error instanceof sdk.ConfigurationError)) throw error;
    console.log(error.message);
  }
`;

describe("the packed package", () => {
  it("imports as ESM", () => {
    writeFileSync(path.join(folder, "esm.mjs"), `import * as sdk from "@flowbuilder/sdk";\n${CHECK}`);
    expect(run("node", ["esm.mjs"])).toContain("apiKey is required: pass it or set FLOWBUILDER_API_KEY");
  });

  it("requires as CommonJS", () => {
    writeFileSync(path.join(folder, "cjs.cjs"), `const sdk = require("@flowbuilder/sdk");\n${CHECK}`);
    expect(run("node", ["cjs.cjs"])).toContain("apiKey is required: pass it or set FLOWBUILDER_API_KEY");
  });

  it("types resolve for ESM and CommonJS consumers", () => {
    const source = `import { Client, NotFoundError, type Workflow } from "@flowbuilder/sdk";
      export async function names(client: Client): Promise<string[]> {
        const names: string[] = [];
        for await (const workflow of client.workflows.list({ status: "active" })) names.push((workflow satisfies Pick<Workflow, "name">).name);
        try { await client.workflows.retrieve("wf_x"); } catch (error) { if (error instanceof NotFoundError) names.push(error.code); }
        return names;
      }\n`;
    writeFileSync(path.join(folder, "consumer.mts"), source);
    writeFileSync(path.join(folder, "consumer.cts"), source);
    const options = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"];
    const withNode = ["--typeRoots", path.join(ROOT, "node_modules", "@types"), "--types", "node"];
    run("node", [TSC, ...options, ...withNode, "consumer.mts", "consumer.cts"]); // a Node project with @types/node
    const manifest = JSON.parse(readFileSync(path.join(folder, "node_modules", "@flowbuilder", "sdk", "package.json"), "utf8"));
    expect(manifest.name).toBe("@flowbuilder/sdk");
  });
});
