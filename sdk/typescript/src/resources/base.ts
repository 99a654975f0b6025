import type { ApiRequest, RequestOptions, Transport } from "../http.js";
import { list, type ListParams, type PagePromise } from "../pagination.js";
import type { BodyOf, DataOf, ItemOf, OperationId, QueryOf } from "../types.js";

/** `/api/v1` plus the segments, each one URL-encoded (ids come from callers). */
export function apiPath(...segments: Array<string | number>): string {
  return "/api/v1/" + segments.map((segment) => encodeURIComponent(String(segment))).join("/");
}

/** A namespace of the client (`client.workflows`, …): calls that answer `data`. */
export class Resource {
  constructor(protected readonly transport: Transport) {}

  protected async data<T>(request: ApiRequest): Promise<T> {
    const answer = await this.transport.request<{ data: T } | null>(request);
    return (answer.body === null ? undefined : answer.body.data) as T;
  }

  protected getData<T>(path: string, query?: object, options?: RequestOptions): Promise<T> {
    return this.data<T>({ method: "GET", path, query, options });
  }

  protected postData<T>(path: string, body?: unknown, options?: RequestOptions, query?: object): Promise<T> {
    return this.data<T>({ method: "POST", path, body, options, query });
  }

  protected patchData<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.data<T>({ method: "PATCH", path, body, options });
  }

  protected putData<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.data<T>({ method: "PUT", path, body, options });
  }

  protected async remove(path: string, options?: RequestOptions): Promise<void> {
    await this.transport.request({ method: "DELETE", path, options });
  }

  protected paginate<T>(path: string, params?: object, options?: RequestOptions): PagePromise<T> {
    return list<T>(this.transport, path, params as ListParams | undefined, options);
  }
}

type Op<N extends string, Suffix extends string> = Extract<`${N}_${Suffix}`, OperationId>;

/** The five calls of a resource at `/<segment>` and `/<segment>/{id}` (PATCH for update). */
export class Crud<N extends "forms" | "credentials" | "connections" | "webhooks" | "functions" | "knowledge_bases" | "channels"> extends Resource {
  constructor(transport: Transport, protected readonly segment: string) {
    super(transport);
  }

  list(params: QueryOf<Op<N, "list">> = {} as QueryOf<Op<N, "list">>, options?: RequestOptions): PagePromise<ItemOf<Op<N, "list">>> {
    return this.paginate(apiPath(this.segment), params, options);
  }

  create(body: BodyOf<Op<N, "create">>, options?: RequestOptions): Promise<DataOf<Op<N, "create">>> {
    return this.postData(apiPath(this.segment), body, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<DataOf<Op<N, "retrieve">>> {
    return this.getData(apiPath(this.segment, id), undefined, options);
  }

  /** PATCH: only the fields given change (`options.ifMatch` makes it conditional). */
  update(id: string, body: BodyOf<Op<N, "partial_update">>, options?: RequestOptions): Promise<DataOf<Op<N, "partial_update">>> {
    return this.patchData(apiPath(this.segment, id), body, options);
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.remove(apiPath(this.segment, id), options);
  }
}
