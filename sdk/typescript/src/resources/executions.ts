import { APITimeoutError } from "../errors.js";
import type { RequestOptions } from "../http.js";
import type { PagePromise, Paging } from "../pagination.js";
import { streamEvents, type StreamOptions } from "../stream.js";
import type { BodyOf, DataOf, Execution, ExecutionEvent, ItemOf, QueryOf } from "../types.js";
import { Resource, apiPath } from "./base.js";

export interface WaitOptions extends StreamOptions {
  /** How long to wait for the end in all (default 300 000 ms = 5 minutes). */
  waitTimeoutMs?: number;
}

export interface EventsPage {
  data: ExecutionEvent[];
  meta: { after?: number; limit?: number; last_seq?: number; next_after?: number; has_more?: boolean; complete?: boolean; status?: string };
}

/** `/executions`: list, retrieve, cancel, retry, resume, steps, events, live stream, wait. */
export class Executions extends Resource {
  /** Newest first (`order: "asc"` for oldest first); iterating pages by cursor unless `paging: "page"`. */
  list(params: QueryOf<"executions_list"> & { paging?: Paging } = {}, options?: RequestOptions): PagePromise<ItemOf<"executions_list">> {
    return this.paginate(apiPath("executions"), params, options);
  }

  retrieve(executionId: string, options?: RequestOptions): Promise<Execution> {
    return this.getData(apiPath("executions", executionId), undefined, options);
  }

  cancel(executionId: string, options?: RequestOptions): Promise<DataOf<"executions_cancel_create">> {
    return this.postData(apiPath("executions", executionId, "cancel"), {}, options);
  }

  /** Run a failed execution again from its failed step. */
  retry(executionId: string, body: BodyOf<"executions_retry_create"> = {}, options?: RequestOptions): Promise<DataOf<"executions_retry_create">> {
    return this.postData(apiPath("executions", executionId, "retry"), body, options);
  }

  /** Feed a waiting node (`payload`, and `node_id` when several wait). */
  resume(executionId: string, body: BodyOf<"executions_resume_create"> = {}, options?: RequestOptions): Promise<DataOf<"executions_resume_create">> {
    return this.postData(apiPath("executions", executionId, "resume"), body, options);
  }

  /** Every step of a run, paged by cursor (runs of more than 100 steps list only the first 100 inline). */
  steps(executionId: string, params: QueryOf<"executions_steps_retrieve"> = {}, options?: RequestOptions): PagePromise<ItemOf<"executions_steps_retrieve">> {
    return this.paginate(apiPath("executions", executionId, "steps"), params, options);
  }

  /** One page of the run's event log: the events after seq `after`. */
  async events(executionId: string, params: QueryOf<"executions_events_retrieve"> = {}, options?: RequestOptions): Promise<EventsPage> {
    const path = apiPath("executions", executionId, "events");
    return (await this.transport.request<EventsPage>({ method: "GET", path, query: params, options })).body;
  }

  /**
   * The run's events as they happen, ending after `execution.finished`: over a WebSocket when
   * the runtime has one (Node 22+, Deno, Bun), else by polling the event log.
   */
  stream(executionId: string, options: StreamOptions = {}): AsyncGenerator<ExecutionEvent> {
    return streamEvents(this, this.transport, executionId, options);
  }

  /** Resolve with the execution once it has finished (completed, failed or cancelled). */
  async wait(executionId: string, options: WaitOptions = {}): Promise<Execution> {
    const timeoutMs = options.waitTimeoutMs ?? 300_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new APITimeoutError(`${executionId} did not finish within ${timeoutMs} ms`)), timeoutMs);
    const forward = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", forward, { once: true });
    try {
      for await (const event of this.stream(executionId, { ...options, signal: controller.signal })) void event;
      return await this.retrieve(executionId, { ...options, signal: controller.signal });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", forward);
    }
  }
}
