// The README's runnable examples (```js blocks: whole programs) run as written, importing
// "@flowbuilder/sdk" (the package resolves itself by name), against the live server.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export async function checkReadme() {
  const readme = readFileSync(path.join(HERE, "..", "..", "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]);
  assert.ok(blocks.length >= 4, `only ${blocks.length} runnable examples in the README`);
  const outputs = [];
  for (const [index, code] of blocks.entries()) {
    const file = path.join(HERE, `.readme-example-${index}.mjs`);
    writeFileSync(file, code);
    try {
      const { stdout } = await promisify(execFile)("node", [file], { env: process.env, timeout: 120_000 });
      outputs.push(stdout.trim());
    } finally {
      rmSync(file, { force: true });
    }
  }
  assert.match(outputs[0], /^completed /, `the quickstart printed ${outputs[0]}`);
  assert.match(outputs[1], /execution\.finished/);
  assert.match(outputs[3], /^404 WORKFLOW_NOT_FOUND /);
  console.log(`ok the README's ${blocks.length} examples run as written; the quickstart printed: ${outputs[0].split("\n")[0]}`);
}
