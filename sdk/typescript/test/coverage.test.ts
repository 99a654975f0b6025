// Every operation of the API's schema has an SDK method, and every SDK method calls an
// operation the schema has (method and path), read from the generated src/schema.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

import { Client } from "../src/index.js";
import { fakeServer, type FakeServer } from "./fake-server.js";

function schemaOperations(): Map<string, RegExp> {
  const source = readFileSync(path.join(__dirname, "..", "src", "schema.ts"), "utf8");
  const block = source.slice(source.indexOf("export interface paths"), source.indexOf("export type webhooks"));
  const operations = new Map<string, RegExp>();
  for (const [, route, body] of block.matchAll(/^ {4}"(\/api\/v1\/[^"]*)": \{\n([\s\S]*?)^ {4}\};/gm)) {
    for (const [, method] of body.matchAll(/^ {8}(get|put|post|delete|patch): operations/gm)) {
      operations.set(`${method.toUpperCase()} ${route}`, new RegExp(`^${route.replace(/\{[^}]+\}/g, "[^/]+")}$`));
    }
  }
  return operations;
}

let server: FakeServer;
beforeAll(async () => {
  server = await fakeServer((seen) => {
    if (seen.method === "DELETE") return { status: 204 };
    const finished = { id: "exec_1", status: "completed", execution_id: "exec_1", ticket: "t" };
    return { status: 200, body: { success: true, data: seen.url.includes("/events") ? [] : finished, meta: { has_more: false, status: "completed" } } };
  });
});
afterAll(() => server.close());

it("covers the whole schema, and nothing outside it", async () => {
  const c = new Client("wf_live_k", { baseUrl: server.url, maxRetries: 0 });
  const id = "x_1";
  const calls: Array<() => PromiseLike<unknown>> = [
    () => c.workflows.list(), () => c.workflows.create({ name: "a" }), () => c.workflows.retrieve(id),
    () => c.workflows.update(id, {}), () => c.workflows.replace(id, { name: "a" }), () => c.workflows.delete(id),
    () => c.workflows.validate(id), () => c.workflows.testStep(id, { node_id: "n" }), () => c.workflows.preview(id, { node_id: "n", text: "t" }),
    () => c.workflows.publish(id), () => c.workflows.activate(id), () => c.workflows.deactivate(id),
    () => c.workflows.import({ name: "a" }), () => c.workflows.export(id), () => c.workflows.execute(id),
    () => c.workflows.listExecutions(id), () => c.workflows.retrieveExecution(id, id), () => c.workflows.metrics(id),
    () => c.workflows.versions.list(id), () => c.workflows.versions.retrieve(id, 1), () => c.workflows.versions.restore(id, 1),
    () => c.workflows.hooks.list(id), () => c.workflows.hooks.regenerate(id, "start"),
    () => c.executions.list(), () => c.executions.retrieve(id), () => c.executions.cancel(id), () => c.executions.retry(id),
    () => c.executions.resume(id), () => c.executions.steps(id), () => c.executions.events(id),
    () => c.forms.list(), () => c.forms.create({ name: "f", fields: [] }), () => c.forms.retrieve(id), () => c.forms.update(id, {}),
    () => c.forms.delete(id), () => c.forms.submissions.list(id), () => c.forms.submissions.create(id, { data: {} }),
    () => c.credentials.list(), () => c.credentials.create({ name: "c", type: "bearer", secret: { token: "t" } }), () => c.credentials.retrieve(id),
    () => c.credentials.update(id, {}), () => c.credentials.delete(id), () => c.credentialTypes.list(),
    () => c.connections.list(), () => c.connections.create({ name: "c", kind: "rest", base_url: "https://x.test" }), () => c.connections.retrieve(id),
    () => c.connections.update(id, {}), () => c.connections.delete(id), () => c.connections.test(id), () => c.connections.schema(id),
    () => c.connections.ask(id, { question: "?" }), () => c.connections.query(id, { sql: "SELECT 1" }),
    () => c.datasets.list(), () => c.datasets.create("d", { content: "a\n1\n", filename: "d.csv" }), () => c.datasets.retrieve(id),
    () => c.datasets.update(id, { name: "e" }), () => c.datasets.delete(id), () => c.datasets.preview({ content: "a\n1\n", filename: "d.csv" }),
    () => c.datasets.replace(id, { content: "a\n1\n", filename: "d.csv" }, { types: { a: "text" } }),
    () => c.datasets.append(id, { content: "a\n2\n", filename: "d.csv" }), () => c.datasets.rows(id), () => c.datasets.download(id),
    () => c.integrations.list(), () => c.integrations.test(id),
    () => c.webhooks.list(), () => c.webhooks.create({ url: "https://x.test", events: ["workflow.executed"] }), () => c.webhooks.retrieve(id),
    () => c.webhooks.update(id, {}), () => c.webhooks.delete(id), () => c.webhooks.test(id), () => c.webhooks.deliveries.list(id),
    () => c.webhooks.deliveries.retry(id, id),
    () => c.functions.list(), () => c.functions.create({ name: "f", kind: "code", spec: {} }), () => c.functions.retrieve(id),
    () => c.functions.update(id, {}), () => c.functions.delete(id), () => c.functions.test(id, {}), () => c.functions.versions(id),
    () => c.knowledgeBases.list(), () => c.knowledgeBases.create({ name: "k" }), () => c.knowledgeBases.retrieve(id),
    () => c.knowledgeBases.update(id, {}), () => c.knowledgeBases.delete(id), () => c.knowledgeBases.search(id, { q: "refund" }),
    () => c.knowledgeBases.documents.list(id), () => c.knowledgeBases.documents.upload(id, { content: "# FAQ\n\nHi", filename: "faq.md" }),
    () => c.knowledgeBases.documents.delete(id, id),
    () => c.apiKeys.list(), () => c.apiKeys.create({ name: "k" }), () => c.apiKeys.retrieve(id), () => c.apiKeys.delete(id),
    () => c.members.list(), () => c.members.retrieve(id), () => c.members.update(id, {}), () => c.members.delete(id),
    () => c.projects.list(), () => c.usage.retrieve(), () => c.auditLog.list(), () => c.nodeTypes.list(), () => c.metrics.workflow(id),
    () => c.system.queue(), () => c.system.requeue(id), () => c.wsTickets.create(),
    () => c.channels.list(), () => c.channels.create({ name: "c", type: "web" }), () => c.channels.retrieve(id),
    () => c.channels.update(id, {}), () => c.channels.delete(id), () => c.channels.metrics(id),
    () => c.conversations.list(), () => c.conversations.retrieve(id),
  ];
  for (const call of calls) await call();
  const operations = schemaOperations();
  const called = server.seen.map((seen) => {
    const route = new URL(seen.url, "http://x").pathname;
    const match = [...operations].find(([name, pattern]) => name.startsWith(`${seen.method} `) && pattern.test(route));
    expect(match, `${seen.method} ${route} is not in the schema`).toBeDefined();
    return match![0];
  });
  expect(operations.size).toBeGreaterThan(70);
  expect([...operations.keys()].filter((name) => !called.includes(name))).toEqual([]);
});
