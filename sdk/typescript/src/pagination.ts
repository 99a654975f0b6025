/**
 * Lists: `await client.workflows.list()` is the first page (`data`, `meta`, `nextPage()`);
 * `for await (const item of client.workflows.list())` walks every item, fetching each page
 * only when the one before is used up. Two ways of paging, as the API offers them:
 * - "page": `page` numbers (every list; `meta.page` / `meta.pages`);
 * - "cursor": `meta.next_cursor` / `meta.has_more` (executions and steps), steady while new
 *   runs arrive. A list whose answer has a `next_cursor` pages by cursor unless `paging: "page"`.
 */
import type { RequestOptions, Transport } from "./http.js";

export type Paging = "page" | "cursor";

export interface ListMeta {
  page?: number;
  limit?: number;
  offset?: number;
  total?: number;
  pages?: number;
  next_cursor?: string | null;
  has_more?: boolean;
  [key: string]: unknown;
}

export class Page<T> {
  constructor(
    readonly data: T[],
    readonly meta: ListMeta,
    private readonly next: (() => Promise<Page<T>>) | null,
  ) {}

  hasNextPage(): boolean {
    return this.next !== null;
  }

  /** The next page, or null after the last. */
  async nextPage(): Promise<Page<T> | null> {
    return this.next ? this.next() : null;
  }

  /** This page's items, then every following page's. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let page: Page<T> | null = this; page; page = await page.nextPage()) yield* page.data;
  }
}

/** A list call: awaitable (the first page) and async-iterable (every item), lazily. */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  private loaded?: Promise<Page<T>>;

  constructor(private readonly load: () => Promise<Page<T>>) {}

  then<A = Page<T>, B = never>(
    onfulfilled?: ((value: Page<T>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.loaded ??= this.load();
    return this.loaded.then(onfulfilled, onrejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* await this;
  }

  /** Every page in turn (each fetched when asked for). */
  async *pages(): AsyncGenerator<Page<T>> {
    for (let page: Page<T> | null = await this; page; page = await page.nextPage()) yield page;
  }

  /** Every item in one array (fetches every page: mind long lists). */
  async toArray(): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) items.push(item);
    return items;
  }
}

export interface ListParams {
  paging?: Paging;
  [name: string]: unknown;
}

/** A lazily fetched list at `path` with `params` (query parameters, plus `paging`). */
export function list<T>(transport: Transport, path: string, params: ListParams = {}, options?: RequestOptions): PagePromise<T> {
  const { paging, ...query } = params;
  const fetchPage = async (pageQuery: Record<string, unknown>): Promise<Page<T>> => {
    const answer = await transport.request<{ data: T[]; meta?: ListMeta }>({ method: "GET", path, query: pageQuery, options });
    const meta = answer.body.meta ?? {};
    const after = nextQuery(pageQuery, meta, paging);
    return new Page(answer.body.data, meta, after ? () => fetchPage(after) : null);
  };
  return new PagePromise(() => fetchPage(query));
}

function nextQuery(query: Record<string, unknown>, meta: ListMeta, paging: Paging | undefined): Record<string, unknown> | null {
  const byCursor = paging === "cursor" || (paging === undefined && "next_cursor" in meta);
  if (byCursor) {
    if (!meta.has_more || !meta.next_cursor) return null;
    return { ...query, page: undefined, offset: undefined, cursor: meta.next_cursor };
  }
  const { page, pages, offset, limit, total } = meta;
  if (offset !== undefined && limit !== undefined && total !== undefined) {
    if (offset + limit >= total) return null;
  } else if (page === undefined || pages === undefined || page >= pages) return null;
  if (query.offset !== undefined && offset !== undefined && limit !== undefined) return { ...query, offset: offset + limit };
  if (page === undefined) return null;
  return { ...query, page: page + 1, offset: undefined };
}
