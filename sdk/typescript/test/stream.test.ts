import { afterEach, describe, expect, it } from "vitest";

import { Client, NotFoundError } from "../src/index.js";
import { fakeServer, ok, type FakeServer, type Seen } from "./fake-server.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const event = (seq: number, kind = "step.succeeded") => ({ event: kind, execution_id: "exec_1", workflow_id: "wf_1", seq, data: {} });
const EXECUTION = { id: "exec_1", status: "completed", event_seq: 4, output: { ok: true } };

/** The event log of one run: `log` grows as the run goes; GET /executions/exec_1 answers EXECUTION. */
async function logServer(log: (after: number, call: number) => { data: unknown[]; meta: Record<string, unknown> }) {
  let calls = 0;
  server = await fakeServer((seen: Seen) => {
    const url = new URL(seen.url, "http://x");
    if (url.pathname.endsWith("/events")) {
      const page = log(Number(url.searchParams.get("after")), calls++);
      return ok(page.data, page.meta);
    }
    if (url.pathname.endsWith("/execute")) return { status: 202, body: { success: true, data: { execution_id: "exec_1", status: "pending", started_at: null } } };
    return ok(EXECUTION);
  });
  return new Client("wf_live_k", { baseUrl: server.url });
}

describe("stream by polling", () => {
  it("yields events in order across polls and ends after execution.finished", async () => {
    const all = [event(1, "execution.started"), event(2), event(3), event(4, "execution.finished")];
    const client = await logServer((after, call) => {
      const data = all.filter((item) => item.seq > after).slice(0, call === 0 ? 2 : 1);
      return { data, meta: { has_more: false, complete: true, status: "running" } };
    });
    const got = [];
    for await (const item of client.executions.stream("exec_1", { via: "polling", pollIntervalMs: 10 })) got.push(item.seq);
    expect(got).toEqual([1, 2, 3, 4]);
    const afters = server!.seen.map((seen) => new URL(seen.url, "http://x").searchParams.get("after"));
    expect(afters).toEqual(["0", "2", "3"]);
  });

  it("continues from the execution's event_seq when the log was trimmed", async () => {
    const client = await logServer(() => ({ data: [], meta: { complete: false, status: "completed" } }));
    const got = [];
    for await (const item of client.executions.stream("exec_1", { via: "polling", after: 1 })) got.push(item);
    expect(got).toEqual([]);
    expect(server!.seen.map((seen) => seen.url)).toEqual(["/api/v1/executions/exec_1/events?after=1&limit=1000", "/api/v1/executions/exec_1"]);
  });
});

describe("executeAndWait", () => {
  it("answers the finished run the server waited for", async () => {
    server = await fakeServer(() => ok(EXECUTION));
    const client = new Client("wf_live_k", { baseUrl: server.url });
    expect(await client.workflows.executeAndWait("wf_1", { input: { a: 1 } })).toEqual(EXECUTION);
    expect(JSON.parse(server.seen[0].body)).toEqual({ input: { a: 1 }, wait: 60 });
  });

  it("follows the events of a run still going, then reads it", async () => {
    const client = await logServer(() => ({ data: [event(1), event(2, "execution.finished")], meta: { has_more: false, status: "completed" } }));
    expect(await client.workflows.executeAndWait("wf_1", {}, { waitTimeoutMs: 10_000, via: "polling" })).toEqual(EXECUTION);
    expect(server!.seen.map((seen) => new URL(seen.url, "http://x").pathname)).toEqual([
      "/api/v1/workflows/wf_1/execute", "/api/v1/executions/exec_1/events", "/api/v1/executions/exec_1",
    ]);
  });

  it("gives up after waitTimeoutMs", async () => {
    const client = await logServer(() => ({ data: [], meta: { has_more: false, status: "running" } }));
    await expect(client.executions.wait("exec_1", { waitTimeoutMs: 200, via: "polling", pollIntervalMs: 20 })).rejects.toThrow(/did not finish within 200 ms/);
  });
});

/** A stand-in for the runtime's WebSocket (Node 20 has none): plays messages, then closes. */
function scriptedSocket(sessions: Array<{ messages: unknown[]; close: number }>) {
  const opened: Array<{ url: string; protocols: string[] }> = [];
  class ScriptedSocket {
    onmessage: ((message: { data: string }) => void) | null = null;
    onclose: ((closed: { code: number }) => void) | null = null;
    constructor(url: string, protocols: string[]) {
      opened.push({ url, protocols });
      const session = sessions[opened.length - 1];
      setTimeout(() => {
        for (const message of session.messages) this.onmessage?.({ data: JSON.stringify(message) });
        this.onclose?.({ code: session.close });
      }, 5);
    }
    close() {}
  }
  return { opened, WebSocket: ScriptedSocket as unknown as typeof WebSocket };
}

describe("stream by WebSocket", () => {
  async function ticketServer() {
    server = await fakeServer(() => ({ status: 201, body: { success: true, data: { ticket: "t1", expires_in: 60 } } }));
    return new Client("wf_live_k", { baseUrl: server.url });
  }

  it("presents a ticket, resumes a dropped socket after the last seq, skips repeats", async () => {
    const client = await ticketServer();
    const { opened, WebSocket } = scriptedSocket([
      { messages: [event(1), event(2)], close: 1006 },
      { messages: [event(2), event(3, "execution.finished")], close: 1000 },
    ]);
    const got = [];
    for await (const item of client.executions.stream("exec_1", { WebSocket })) got.push(item.seq);
    expect(got).toEqual([1, 2, 3]);
    expect(opened.map((socket) => socket.url)).toEqual([
      server!.url.replace("http", "ws") + "/ws/executions/exec_1/?after=0",
      server!.url.replace("http", "ws") + "/ws/executions/exec_1/?after=2",
    ]);
    expect(opened[0].protocols).toEqual(["flowbuilder", "flowbuilder.ticket.t1"]);
  });

  it("a snapshot of a finished run ends the stream; a 4404 close is a NotFoundError", async () => {
    const client = await ticketServer();
    const done = scriptedSocket([{ messages: [{ event: "snapshot", seq: 9, execution: EXECUTION }], close: 1000 }]);
    const got = [];
    for await (const item of client.executions.stream("exec_1", { WebSocket: done.WebSocket })) got.push(item);
    expect(got).toEqual([]);
    const refused = scriptedSocket([{ messages: [], close: 4404 }]);
    await expect(client.executions.stream("exec_1", { WebSocket: refused.WebSocket }).next()).rejects.toBeInstanceOf(NotFoundError);
  });
});
