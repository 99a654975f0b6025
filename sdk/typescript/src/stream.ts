/**
 * Live events of one run, in `seq` order, without gaps or repeats, ending after
 * `execution.finished`. Two ways, one result:
 * - WebSocket (`/ws/executions/<id>/?after=N`, authenticated by a single-use ticket from
 *   `POST /ws-tickets` sent as the subprotocol `flowbuilder.ticket.<t>`), when the runtime has
 *   a global `WebSocket` (Node 22+, Deno, Bun). A dropped socket reconnects with `?after=` the
 *   last seq; after `silenceMs` without a message the event log is read once, because a lost
 *   `execution.finished` is the one gap no later event reveals (docs/design.md D18).
 * - Polling `GET /executions/{id}/events?after=N` otherwise (Node 18–21).
 */
import { ConfigurationError, errorFor } from "./errors.js";
import { sleep, type RequestOptions, type Transport } from "./http.js";
import { apiPath } from "./resources/base.js";
import type { EventsPage } from "./resources/executions.js";
import type { Execution, ExecutionEvent } from "./types.js";

export interface StreamOptions extends RequestOptions {
  /** Only events after this seq (default 0: from the run's first event). */
  after?: number;
  /** "auto" (default): WebSocket when the runtime has one, else polling. */
  via?: "auto" | "websocket" | "polling";
  /** Polling interval (default 500 ms). */
  pollIntervalMs?: number;
  /** WebSocket silence after which the event log is read once (default 5000 ms). */
  silenceMs?: number;
  /** A WebSocket constructor to use instead of the global one. */
  WebSocket?: WebSocketConstructor;
}

type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** What the stream needs from `client.executions`. */
export interface EventSource {
  events(executionId: string, params: { after?: number; limit?: number }, options?: RequestOptions): Promise<EventsPage>;
  retrieve(executionId: string, options?: RequestOptions): Promise<Execution>;
}

const FINISHED_EVENT = "execution.finished";
const FINISHED = new Set(["completed", "failed", "cancelled"]);
const MAX_RECONNECTS = 5;
const CLOSE_ERRORS: Record<number, [number, string, string]> = {
  4401: [401, "UNAUTHORIZED", "The WebSocket refused the ticket or the key."],
  4403: [403, "PLAN_UPGRADE_REQUIRED", "The organization's plan has no API access."],
  4404: [404, "NOT_FOUND", "No such execution in this organization."],
};

interface Cursor {
  after: number;
}

export async function* streamEvents(source: EventSource, transport: Transport, executionId: string, options: StreamOptions): AsyncGenerator<ExecutionEvent> {
  const cursor: Cursor = { after: options.after ?? 0 };
  const WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const via = options.via ?? "auto";
  if (via === "websocket" && !WS) {
    throw new ConfigurationError("This runtime has no WebSocket (Node 22+, Deno and Bun do): use via: \"polling\".");
  }
  if (via !== "polling" && WS) yield* viaWebSocket(WS, source, transport, executionId, cursor, options);
  else yield* viaPolling(source, executionId, cursor, options);
}

/** One read of the log: the new events, and whether the run is over. */
async function* readLog(source: EventSource, executionId: string, cursor: Cursor, options: StreamOptions): AsyncGenerator<ExecutionEvent, "finished" | "more" | "idle"> {
  const page = await source.events(executionId, { after: cursor.after, limit: 1000 }, options);
  for (const event of page.data) {
    if (event.seq <= cursor.after) continue;
    cursor.after = event.seq;
    yield event;
    if (event.event === FINISHED_EVENT) return "finished";
  }
  if (page.meta.complete === false) {
    // The log was trimmed past our seq: continue from where the execution says it is.
    const execution = await source.retrieve(executionId, options);
    cursor.after = Math.max(cursor.after, execution.event_seq ?? 0);
    return FINISHED.has(String(execution.status)) ? "finished" : "more";
  }
  if (page.meta.has_more) return "more";
  return FINISHED.has(String(page.meta.status)) ? "finished" : "idle";
}

async function* viaPolling(source: EventSource, executionId: string, cursor: Cursor, options: StreamOptions): AsyncGenerator<ExecutionEvent> {
  for (;;) {
    const state = yield* readLog(source, executionId, cursor, options);
    if (state === "finished") return;
    if (state === "idle") await sleep(options.pollIntervalMs ?? 500, options.signal);
  }
}

type Delivery = { kind: "message"; data: string } | { kind: "close"; code: number } | { kind: "silence" };

/** Socket callbacks in, awaited one at a time out (with a silence timeout). */
class Inbox {
  private items: Delivery[] = [];
  private waiting: ((item: Delivery) => void) | null = null;

  push(item: Delivery): void {
    if (this.waiting) {
      const deliver = this.waiting;
      this.waiting = null;
      deliver(item);
    } else this.items.push(item);
  }

  next(silenceMs: number, signal?: AbortSignal): Promise<Delivery> {
    const queued = this.items.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.push({ kind: "silence" }), silenceMs);
      const abort = () => {
        clearTimeout(timer);
        this.waiting = null;
        reject(signal?.reason);
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      this.waiting = (item) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
        resolve(item);
      };
    });
  }
}

function socketUrl(baseUrl: string, executionId: string, after: number): string {
  const url = new URL(`/ws/executions/${encodeURIComponent(executionId)}/`, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("after", String(after));
  return url.toString();
}

async function openSocket(WS: WebSocketConstructor, transport: Transport, executionId: string, cursor: Cursor, options: RequestOptions) {
  const answer = await transport.request<{ data: { ticket: string } }>({ method: "POST", path: apiPath("ws-tickets"), body: {}, options });
  const socket = new WS(socketUrl(transport.settings.baseUrl, executionId, cursor.after), ["flowbuilder", `flowbuilder.ticket.${answer.body.data.ticket}`]);
  const inbox = new Inbox();
  socket.onmessage = (message) => inbox.push({ kind: "message", data: String(message.data) });
  socket.onclose = (closed) => inbox.push({ kind: "close", code: closed.code });
  return { socket, inbox };
}

async function* viaWebSocket(WS: WebSocketConstructor, source: EventSource, transport: Transport, executionId: string, cursor: Cursor, options: StreamOptions): AsyncGenerator<ExecutionEvent> {
  for (let connection = 0; connection <= MAX_RECONNECTS; connection++) {
    const { socket, inbox } = await openSocket(WS, transport, executionId, cursor, options);
    try {
      for (;;) {
        const item = await inbox.next(options.silenceMs ?? 5000, options.signal);
        if (item.kind === "close") {
          const refusal = CLOSE_ERRORS[item.code];
          if (refusal) throw errorFor({ status: refusal[0], code: refusal[1], message: refusal[2] });
          break; // dropped: reconnect from the last seq
        }
        if (item.kind === "silence") {
          if ((yield* readLog(source, executionId, cursor, options)) === "finished") return;
          continue;
        }
        const message = JSON.parse(item.data) as ExecutionEvent & { execution?: Execution };
        if (message.event === "snapshot") {
          // The log no longer reaches back to our seq: the snapshot says where the run is.
          cursor.after = Math.max(cursor.after, message.seq ?? 0);
          if (FINISHED.has(String(message.execution?.status))) return;
          continue;
        }
        if (message.seq <= cursor.after) continue;
        cursor.after = message.seq;
        yield message;
        if (message.event === FINISHED_EVENT) return;
      }
    } finally {
      socket.close();
    }
  }
  yield* viaPolling(source, executionId, cursor, options); // the socket keeps dropping: poll instead
}
