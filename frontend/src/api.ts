/** The public API over the browser session: CSRF header on unsafe methods, envelopes unwrapped. */
import type {
  ConnectionSummary,
  CredentialSummary,
  Definition,
  EventsMeta,
  FormSummary,
  KnowledgeBaseSummary,
  FunctionSummary,
  Execution,
  ExecutionEvent,
  ExecutionStep,
  JsonValue,
  PageMeta,
  NodeTypeInfo,
  PreviewResult,
  Problem,
  Version,
  Workflow,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await requestEnvelope<T, unknown>(method, path, body)).data;
}

/** An answer's data with its ETag (the revision it names; null when the server sent none). */
export interface Tagged<T> {
  data: T;
  etag: string | null;
}

export async function requestTagged<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Tagged<T>> {
  const { data, etag } = await requestEnvelope<T, unknown>(method, path, body, extraHeaders);
  return { data, etag };
}

/** The whole success envelope: `data` and `meta` (pages, event logs), and the answer's ETag. */
export async function requestEnvelope<T, M>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<{ data: T; meta: M; etag: string | null }> {
  const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE.has(method)) headers["X-CSRFToken"] = readCookie("csrftoken") ?? "";
  const response = await fetch(`/api/v1/${path}`, {
    method,
    headers,
    credentials: "same-origin",
    // Conditional requests are the editor's own business: never answer from the HTTP cache.
    cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let envelope: { success?: boolean; data?: T; meta?: M; error?: { code?: string; message?: string; field?: string; details?: unknown } } = {};
  try {
    envelope = await response.json();
  } catch {
    throw new ApiError(response.status, "BAD_RESPONSE", `The server answered ${response.status} without JSON`);
  }
  if (!response.ok || envelope.success === false) {
    const error = envelope.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? "ERROR",
      error.message ?? `Request failed (${response.status})`,
      error.field ?? null,
      error.details ?? null,
    );
  }
  return { data: envelope.data as T, meta: envelope.meta as M, etag: response.headers?.get("ETag") ?? null };
}

/** What a credential picker asks for: every credential of any of the field's types. */
export function credentialsPath(types: string[]): string {
  const query = types.map((type) => `type=${encodeURIComponent(type)}`);
  return `credentials?${[...query, "limit=100"].join("&")}`;
}

export function connectionsPath(kinds: string[]): string {
  const query = kinds.map((kind) => `kind=${encodeURIComponent(kind)}`);
  return `connections?${[...query, "limit=100"].join("&")}`;
}

const wf = (id: string) => `workflows/${encodeURIComponent(id)}`;

export const api = {
  nodeTypes: () => request<NodeTypeInfo[]>("GET", "node-types"),
  workflow: (id: string) => requestTagged<Workflow>("GET", wf(id)),
  /** Saves only if the server's draft is still at `etag` (412 PRECONDITION_FAILED otherwise). */
  saveDraft: (id: string, definition: Definition, etag: string | null) =>
    requestTagged<Workflow>("PATCH", `${wf(id)}?validate=false`, { definition }, etag ? { "If-Match": etag } : {}),
  validate: (id: string, definition: Definition) =>
    request<{ valid: boolean; problems: Problem[] }>("POST", `${wf(id)}/validate`, { definition }),
  publish: (id: string, note: string) => request<Version>("POST", `${wf(id)}/publish`, { note }),
  versions: (id: string) => request<Version[]>("GET", `${wf(id)}/versions`),
  restoreVersion: (id: string, n: number) => requestTagged<Workflow>("POST", `${wf(id)}/versions/${n}/restore`),
  activate: (id: string) => request<Workflow>("POST", `${wf(id)}/activate`),
  deactivate: (id: string) => request<Workflow>("POST", `${wf(id)}/deactivate`),
  execute: (id: string, input: JsonValue) =>
    request<{ execution_id: string; status: string; started_at: string }>("POST", `${wf(id)}/execute`, {
      input,
      version: "draft",
      test: true, // the editor's Run is a test run: counted apart in the dashboard and usage
    }),
  /** Rename, only if the server's workflow is still at `etag` (D13). */
  rename: (id: string, name: string, etag: string | null) =>
    requestTagged<Workflow>("PATCH", `${wf(id)}?validate=false`, { name }, etag ? { "If-Match": etag } : {}),
  /** Run one node of the saved draft as a test run, the steps before it from pins or the run (D24). */
  testStep: (id: string, nodeId: string, executionId: string | null) =>
    request<{ execution_id: string; status: string }>("POST", `${wf(id)}/test-step`, { node_id: nodeId, execution_id: executionId }),
  /** A setting's value with the engine on the draft's pins and the run's data. */
  preview: (id: string, nodeId: string, text: string, executionId: string | null) =>
    request<PreviewResult>("POST", `${wf(id)}/preview`, { node_id: nodeId, text, execution_id: executionId }),
  execution: (id: string) => request<Execution>("GET", `executions/${encodeURIComponent(id)}`),
  /** The run's live events after `after`, from its event log. */
  executionEvents: (id: string, after: number) =>
    requestEnvelope<ExecutionEvent[], EventsMeta>("GET", `executions/${encodeURIComponent(id)}/events?after=${after}&limit=1000`),
  /** A page of the run's steps after `cursor`. */
  executionSteps: (id: string, cursor: string) =>
    requestEnvelope<ExecutionStep[], PageMeta>("GET", `executions/${encodeURIComponent(id)}/steps?cursor=${encodeURIComponent(cursor)}&limit=500`),
  /** A value the API sent as a `$truncated` preview, whole (`url` is from the preview). */
  fullStep: (url: string) => requestEnvelope<ExecutionStep[], PageMeta>("GET", url.replace(/^\/api\/v1\//, "")),
  retryExecution: (id: string) => request<Execution>("POST", `executions/${encodeURIComponent(id)}/retry`),
  cancelExecution: (id: string) => request<Execution>("POST", `executions/${encodeURIComponent(id)}/cancel`),
  resumeExecution: (id: string, nodeId: string, payload: JsonValue) =>
    request<Execution>("POST", `executions/${encodeURIComponent(id)}/resume`, { payload, node_id: nodeId }),
  credentials: (types: string[]) => request<CredentialSummary[]>("GET", credentialsPath(types)),
  forms: () => request<FormSummary[]>("GET", "forms?limit=100"),
  knowledgeBases: () => request<KnowledgeBaseSummary[]>("GET", "knowledge-bases?limit=100"),
  functions: () => request<FunctionSummary[]>("GET", "functions?limit=100"),
  connections: (kinds: string[] = []) => request<ConnectionSummary[]>("GET", connectionsPath(kinds)),
};
