import { afterEach, describe, expect, it } from "vitest";

import { APIConnectionError, APITimeoutError, Client, RateLimitedError, ServiceUnavailableError } from "../src/index.js";
import { backoffMs } from "../src/http.js";
import { fail, fakeServer, ok, type FakeServer, type Script } from "./fake-server.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: Script, options: ConstructorParameters<typeof Client>[1] = {}) {
  server = await fakeServer(script);
  return new Client("wf_live_k", { baseUrl: server.url, ...options });
}

const page = ok([{ id: "proj_1" }], { page: 1, pages: 1, limit: 20, total: 1 });

describe("429", () => {
  it("is retried after Retry-After, on any method", async () => {
    const client = await clientFor((_, index) => (index === 0 ? fail(429, "RATE_LIMITED", "slow down", {}, { "Retry-After": "1" }) : ok({ id: "wf_1" })));
    const started = Date.now();
    await client.workflows.create({ name: "A" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server!.seen.map((seen) => seen.method)).toEqual(["POST", "POST"]);
  });

  it("throws RateLimitedError with retryAfter when retries are spent or the wait is too long", async () => {
    const client = await clientFor(() => fail(429, "RATE_LIMITED", "slow down", {}, { "Retry-After": "7" }), { maxRetries: 0 });
    await expect(client.projects.list()).rejects.toMatchObject({ name: "RateLimitedError", retryAfter: 7, status: 429 });
    const impatient = new Client("wf_live_k", { baseUrl: server!.url, maxRetryAfterMs: 5_000 });
    await expect(impatient.projects.list()).rejects.toBeInstanceOf(RateLimitedError);
    expect(server!.seen).toHaveLength(2);
  });
});

describe("503 and network errors", () => {
  it("are retried with backoff on idempotent calls", async () => {
    const client = await clientFor((_, index) => (index === 0 ? fail(503, "SERVICE_UNAVAILABLE") : index === 1 ? { status: 0, drop: true } : page));
    expect((await client.projects.list()).data).toEqual([{ id: "proj_1" }]);
    expect(server!.seen).toHaveLength(3);
  });

  it("are not retried on a POST that could run twice", async () => {
    const client = await clientFor(() => fail(503, "SERVICE_UNAVAILABLE"));
    await expect(client.workflows.create({ name: "A" })).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(client.executions.cancel("exec_1")).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(server!.seen).toHaveLength(2);
  });

  it("a dropped connection is an APIConnectionError once retries are spent", async () => {
    const client = await clientFor(() => ({ status: 0, drop: true }), { maxRetries: 1 });
    await expect(client.workflows.retrieve("wf_1")).rejects.toBeInstanceOf(APIConnectionError);
    expect(server!.seen).toHaveLength(2);
  });
});

describe("execute", () => {
  it("sends an Idempotency-Key and retries with the same one", async () => {
    const started = { status: 202, body: { success: true, data: { execution_id: "exec_1", status: "pending", started_at: null } } };
    const client = await clientFor((_, index) => (index === 0 ? fail(503, "SERVICE_UNAVAILABLE") : started));
    expect(await client.workflows.execute("wf_1", { input: { a: 1 } })).toMatchObject({ execution_id: "exec_1" });
    const keys = server!.seen.map((seen) => seen.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    await client.workflows.execute("wf_1", {}, { idempotencyKey: "mine" });
    expect(server!.seen[2].headers["idempotency-key"]).toBe("mine");
    expect(server!.seen[3]).toBeUndefined();
  });
});

describe("timeouts", () => {
  it("end an attempt after timeoutMs", async () => {
    const client = await clientFor(() => ({ ...page, delayMs: 1_000 }), { timeoutMs: 100, maxRetries: 0 });
    await expect(client.projects.list()).rejects.toBeInstanceOf(APITimeoutError);
  });

  it("a caller's signal aborts without retrying", async () => {
    const client = await clientFor(() => ({ ...page, delayMs: 1_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 50);
    await expect(client.projects.list({}, { signal: controller.signal })).rejects.toThrow("stop");
    expect(server!.seen).toHaveLength(1);
  });
});

describe("backoff", () => {
  it("doubles from ~0.5 s up to 8 s, with jitter", () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(10, () => 1)).toBe(8000);
  });
});
