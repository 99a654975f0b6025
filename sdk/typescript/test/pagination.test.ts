import { afterEach, describe, expect, it } from "vitest";

import { Client } from "../src/index.js";
import { fakeServer, ok, type FakeServer } from "./fake-server.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ITEMS = Array.from({ length: 25 }, (_, index) => ({ id: `exec_${index}` }));

/** A list of 25 items that pages by number, and by cursor like the executions list. */
async function listServer() {
  server = await fakeServer((seen) => {
    const url = new URL(seen.url, "http://x");
    const limit = Number(url.searchParams.get("limit") ?? 20);
    const cursor = url.searchParams.get("cursor");
    const start = cursor ? Number(cursor) : url.searchParams.has("offset") ? Number(url.searchParams.get("offset")) : (Number(url.searchParams.get("page") ?? 1) - 1) * limit;
    const data = ITEMS.slice(start, start + limit);
    const more = start + limit < ITEMS.length;
    const byCursor = url.pathname.endsWith("/executions");
    const cursorMeta = byCursor ? { next_cursor: more ? String(start + limit) : null, has_more: more } : {};
    if (cursor) return ok(data, { limit, ...cursorMeta });
    return ok(data, { page: Math.floor(start / limit) + 1, limit, offset: start, total: ITEMS.length, pages: Math.ceil(ITEMS.length / limit), ...cursorMeta });
  });
  return new Client("wf_live_k", { baseUrl: server.url });
}

const urls = () => server!.seen.map((seen) => seen.url.replace(/^\/api\/v1/, ""));

describe("lists", () => {
  it("await gives the first page; nextPage() the following ones", async () => {
    const client = await listServer();
    const first = await client.workflows.list({ limit: 10 });
    expect(first.data).toHaveLength(10);
    expect(first.meta.total).toBe(25);
    const third = await (await first.nextPage())!.nextPage();
    expect(third!.data.map((item) => item.id)).toEqual(["exec_20", "exec_21", "exec_22", "exec_23", "exec_24"]);
    expect(third!.hasNextPage()).toBe(false);
    expect(await third!.nextPage()).toBeNull();
    expect(urls()).toEqual(["/workflows?limit=10", "/workflows?limit=10&page=2", "/workflows?limit=10&page=3"]);
  });

  it("iterate every item, fetching pages only as they are reached", async () => {
    const client = await listServer();
    const seen: string[] = [];
    for await (const item of client.forms.list({ limit: 10 })) {
      seen.push(item.id);
      if (seen.length === 10) break;
    }
    expect(urls()).toEqual(["/forms?limit=10"]);
    expect(await client.forms.list({ limit: 10 }).toArray()).toHaveLength(25);
  });

  it("a list with next_cursor pages by cursor; paging: 'page' pages by number", async () => {
    const client = await listServer();
    expect(await client.executions.list({ limit: 10, status: "completed" }).toArray()).toEqual(ITEMS);
    expect(urls()).toEqual(["/executions?limit=10&status=completed", "/executions?limit=10&status=completed&cursor=10", "/executions?limit=10&status=completed&cursor=20"]);
    server!.seen.length = 0;
    expect(await client.executions.list({ limit: 10, paging: "page" }).toArray()).toEqual(ITEMS);
    expect(urls()).toEqual(["/executions?limit=10", "/executions?limit=10&page=2", "/executions?limit=10&page=3"]);
  });

  it("an offset keeps paging by offset", async () => {
    const client = await listServer();
    const pages = [];
    for await (const page of client.workflows.list({ limit: 10, offset: 5 }).pages()) pages.push(page.data.length);
    expect(pages).toEqual([10, 10]);
    expect(urls()).toEqual(["/workflows?limit=10&offset=5", "/workflows?limit=10&offset=15"]);
  });

  it("nothing is fetched until the list is used", async () => {
    const client = await listServer();
    const pending = client.workflows.list();
    expect(server!.seen).toHaveLength(0);
    await pending;
    await pending;
    expect(server!.seen).toHaveLength(1);
  });
});
