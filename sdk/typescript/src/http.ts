/**
 * The transport: one fetch per attempt, the envelope unwrapped, errors typed, retries with
 * backoff. What is retried:
 * - 429 on any call (a refused call did nothing), after `Retry-After`;
 * - 503, timeouts and connection errors only on idempotent calls (GET, PUT, DELETE, HEAD,
 *   and a POST carrying an `Idempotency-Key`, which the API runs at most once).
 */
import { APIConnectionError, APIError, APITimeoutError, RateLimitedError, errorFor } from "./errors.js";

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;
export type Query = Record<string, QueryValue>;

/** Per-call options, accepted as the last argument of every method. */
export interface RequestOptions {
  /** `X-Project-Id` for this call (overrides the client's). */
  projectId?: string;
  /** `Idempotency-Key` (execute sends a fresh one when none is given). */
  idempotencyKey?: string;
  /** `If-Match`: the ETag read before, so a write happens only if nobody wrote in between (412 otherwise). */
  ifMatch?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  projectId?: string;
  timeoutMs: number;
  maxRetries: number;
  /** The longest `Retry-After` worth waiting for; a longer one throws RateLimitedError at once. */
  maxRetryAfterMs: number;
  fetch: typeof fetch;
  userAgent: string;
}

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: object;
  body?: unknown;
  options?: RequestOptions;
}

export interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (the whole envelope); null for 204. */
  body: T;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });

/** Exponential backoff with jitter: ~0.5 s, 1 s, 2 s, … up to 8 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling * (0.75 + 0.25 * random()));
}

export function buildUrl(baseUrl: string, path: string, query?: object): string {
  const url = new URL(baseUrl.replace(/\/+$/, "") + path);
  for (const [name, value] of Object.entries(query ?? {}) as [string, QueryValue][]) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  return url.toString();
}

export class Transport {
  constructor(readonly settings: TransportOptions) {}

  async request<T>(request: ApiRequest): Promise<ApiAnswer<T>> {
    const options = request.options ?? {};
    const headers = this.headers(request, options);
    const idempotent = IDEMPOTENT.has(request.method) || "Idempotency-Key" in headers;
    const retries = options.maxRetries ?? this.settings.maxRetries;
    for (let attempt = 0; ; attempt++) {
      let response: RawAnswer;
      try {
        response = await this.send(request, headers, options);
      } catch (error) {
        if (!(error instanceof APIConnectionError) || !idempotent || attempt >= retries) throw error;
        await sleep(backoffMs(attempt), options.signal);
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, headers: response.headers, body: parseBody(response) as T };
      }
      const error = errorFromAnswer(response);
      const delay = this.retryDelay(error, attempt, idempotent);
      if (delay === null || attempt >= retries) throw error;
      await sleep(delay, options.signal);
    }
  }

  /** How long to wait before retrying this error, or null when it is not retried. */
  retryDelay(error: APIError, attempt: number, idempotent: boolean): number | null {
    if (error instanceof RateLimitedError) {
      if (error.retryAfter === null) return backoffMs(attempt);
      const wait = error.retryAfter * 1000;
      return wait <= this.settings.maxRetryAfterMs ? wait : null;
    }
    if (error.status === 503 && idempotent) {
      const retryAfter = Number(error.headers.get("retry-after"));
      return Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoffMs(attempt);
    }
    return null;
  }

  private headers(request: ApiRequest, options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      Authorization: `Bearer ${this.settings.apiKey}`,
      "User-Agent": this.settings.userAgent,
    };
    const projectId = options.projectId ?? this.settings.projectId;
    if (projectId) headers["X-Project-Id"] = projectId;
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
    if (options.ifMatch) headers["If-Match"] = options.ifMatch;
    // A FormData body (an upload) gets its multipart Content-Type, with the boundary, from fetch.
    if (request.body !== undefined && !(request.body instanceof FormData)) headers["Content-Type"] = "application/json";
    return { ...headers, ...options.headers };
  }

  private async send(request: ApiRequest, headers: Record<string, string>, options: RequestOptions): Promise<RawAnswer> {
    const url = buildUrl(this.settings.baseUrl, request.path, request.query);
    const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const forward = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", forward, { once: true });
    try {
      const body = request.body === undefined || request.body instanceof FormData ? request.body : JSON.stringify(request.body);
      const response = await this.settings.fetch(url, { method: request.method, headers, body, signal: controller.signal });
      // The whole body is read inside the timeout.
      return { status: response.status, statusText: response.statusText, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (controller.signal.aborted) throw new APITimeoutError(`${request.method} ${request.path}: no answer within ${timeoutMs} ms`);
      throw new APIConnectionError(`${request.method} ${url}: ${describe(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", forward);
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code} ${cause.message ?? ""}`.trim();
  return error instanceof Error ? error.message : String(error);
}

/** JSON answers parsed; others (CSV exports) as text; an empty body as null. */
function parseBody(answer: RawAnswer): unknown {
  if (!answer.text) return null;
  const type = answer.headers.get("content-type") ?? "application/json";
  return type.includes("json") ? JSON.parse(answer.text) : answer.text;
}

/** An answer read in full. */
export interface RawAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** The typed error of a non-2xx answer; a body that is not the API's envelope still gives one. */
export function errorFromAnswer(answer: RawAnswer): APIError {
  let error: { code?: unknown; message?: unknown; details?: unknown; field?: unknown } | undefined;
  try {
    error = (JSON.parse(answer.text) as { error?: typeof error })?.error;
  } catch {
    error = undefined; // not JSON (a proxy's page): described by its status below
  }
  return errorFor({
    status: answer.status,
    code: typeof error?.code === "string" ? error.code : `HTTP_${answer.status}`,
    message: typeof error?.message === "string" ? error.message : `HTTP ${answer.status} ${answer.statusText}`.trim(),
    details: error?.details,
    field: typeof error?.field === "string" ? error.field : null,
    requestId: answer.headers.get("x-request-id"),
    headers: answer.headers,
  });
}
