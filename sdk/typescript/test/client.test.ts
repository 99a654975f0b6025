import { afterEach, describe, expect, it } from "vitest";

import { Client, ConfigurationError } from "../src/index.js";
import { fakeServer, ok, type FakeServer } from "./fake-server.js";

let server: FakeServer | undefined;
const saved = { key: process.env.FLOWBUILDER_API_KEY, base: process.env.FLOWBUILDER_BASE_URL };

afterEach(async () => {
  await server?.close();
  server = undefined;
  process.env.FLOWBUILDER_API_KEY = saved.key;
  process.env.FLOWBUILDER_BASE_URL = saved.base;
  if (saved.key === undefined) delete process.env.FLOWBUILDER_API_KEY;
  if (saved.base === undefined) delete process.env.FLOWBUILDER_BASE_URL;
  delete (globalThis as { window?: unknown }).window;
  delete (globalThis as { document?: unknown }).document;
});

describe("the key", () => {
  it("without one, the error says exactly what to do", () => {
    delete process.env.FLOWBUILDER_API_KEY;
    expect(() => new Client()).toThrow(new ConfigurationError("apiKey is required: pass it or set FLOWBUILDER_API_KEY"));
    expect(() => new Client("")).toThrow(ConfigurationError);
  });

  it("comes from FLOWBUILDER_API_KEY, and the base URL from FLOWBUILDER_BASE_URL", async () => {
    server = await fakeServer(() => ok([], { page: 1, pages: 0, limit: 20, total: 0 }));
    process.env.FLOWBUILDER_API_KEY = "wf_live_from_env";
    process.env.FLOWBUILDER_BASE_URL = server.url;
    await new Client().workflows.list();
    expect(server.seen[0].headers.authorization).toBe("Bearer wf_live_from_env");
  });
});

describe("a browser", () => {
  it("is refused with the reason", () => {
    Object.assign(globalThis, { window: {}, document: {} });
    expect(() => new Client("wf_live_x")).toThrow(/not in a browser: the Flowbuilder API sends no CORS headers/);
  });
});

describe("requests", () => {
  it("send the key, X-Project-Id per client or per call, a User-Agent and JSON", async () => {
    server = await fakeServer((seen) => (seen.method === "POST" ? { status: 201, body: { success: true, data: { id: "wf_1" } } } : ok({ id: "wf_1" })));
    const client = new Client("wf_live_k", { baseUrl: server.url + "/", projectId: "proj_a" });
    await client.workflows.retrieve("wf 1/x");
    await client.workflows.create({ name: "A", nodes: [], edges: [] }, { projectId: "proj_b" });
    const [get, post] = server.seen;
    expect(get.url).toBe("/api/v1/workflows/wf%201%2Fx");
    expect(get.headers["x-project-id"]).toBe("proj_a");
    expect(get.headers["user-agent"]).toMatch(/^flowbuilder-sdk-typescript\/\d+\.\d+\.\d+$/);
    expect(post.headers["x-project-id"]).toBe("proj_b");
    expect(post.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(post.body)).toEqual({ name: "A", nodes: [], edges: [] });
  });

  it("repeat array query parameters and leave out undefined ones", async () => {
    server = await fakeServer(() => ok([], { page: 1, pages: 0, limit: 20, total: 0 }));
    const client = new Client("wf_live_k", { baseUrl: server.url });
    await client.credentials.list({ type: ["bearer", "basic"], sort: undefined });
    expect(server.seen[0].url).toBe("/api/v1/credentials?type=bearer&type=basic");
  });

  it("answer 204 deletes with nothing", async () => {
    server = await fakeServer(() => ({ status: 204 }));
    const client = new Client("wf_live_k", { baseUrl: server.url });
    await expect(client.workflows.delete("wf_1", { ifMatch: '"r3"' })).resolves.toBeUndefined();
    expect(server.seen[0].headers["if-match"]).toBe('"r3"');
  });

  it("hand a CSV export over as text", async () => {
    server = await fakeServer(() => ({ status: 200, body: "name,email\r\nAda,ada@x.test\r\n", headers: { "Content-Type": "text/csv; charset=utf-8" } }));
    const client = new Client("wf_live_k", { baseUrl: server.url });
    expect(await client.forms.submissions.csv("form_1", { from: "2026-11-01" })).toBe("name,email\r\nAda,ada@x.test\r\n");
    expect(server.seen[0].url).toBe("/api/v1/forms/form_1/submissions?from=2026-11-01&format=csv");
    expect(server.seen[0].headers.accept).toBe("text/csv");
  });

  it("expose every resource namespace", () => {
    const client = new Client("wf_live_k", { baseUrl: "http://127.0.0.1:1" });
    for (const name of ["workflows", "executions", "forms", "credentials", "credentialTypes", "connections", "integrations", "webhooks",
      "functions", "apiKeys", "members", "projects", "usage", "auditLog", "nodeTypes", "metrics", "system", "wsTickets"]) {
      expect(client).toHaveProperty(name);
    }
    expect(client.workflows.versions).toBeDefined();
    expect(client.forms.submissions).toBeDefined();
    expect(client.webhooks.deliveries).toBeDefined();
  });
});
