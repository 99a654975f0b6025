import { ConfigurationError } from "./errors.js";
import { Transport, type ApiAnswer, type ApiRequest } from "./http.js";
import { ApiKeys, AuditLog, Members, Metrics, NodeTypes, Projects, System, Usage, WsTickets } from "./resources/accounts.js";
import { Connections, CredentialTypes, Credentials, Datasets, Forms, Functions, Integrations, KnowledgeBases, Webhooks } from "./resources/catalog.js";
import { Channels, Conversations } from "./resources/chat.js";
import { Executions } from "./resources/executions.js";
import { Workflows } from "./resources/workflows.js";
import { VERSION } from "./version.js";

export interface ClientOptions {
  /** Where the API is (default `FLOWBUILDER_BASE_URL`, else http://127.0.0.1:8000). */
  baseUrl?: string;
  /** `X-Project-Id` for every call (default: the organization's default project). */
  projectId?: string;
  /** Per attempt (default 60 000 ms; `execute` with `wait` adds the wait). */
  timeoutMs?: number;
  /** Retries of 429s, and of 503s and network errors on idempotent calls (default 2). */
  maxRetries?: number;
  /** The longest `Retry-After` to wait for before a retry (default 60 000 ms); longer ones throw at once. */
  maxRetryAfterMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

const DEFAULT_BASE_URL = "http://127.0.0.1:8000";

/** An environment variable in Node, Bun or Deno (undefined without permission or elsewhere). */
export function readEnv(name: string): string | undefined {
  const runtime = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env?: { get(name: string): string | undefined } } };
  if (runtime.process?.env) return runtime.process.env[name];
  try {
    return runtime.Deno?.env?.get(name);
  } catch {
    return undefined; // Deno without --allow-env
  }
}

/** Refuse to run in a browser page: the key would be readable there, and the API answers no CORS. */
export function assertNotBrowser(): void {
  const scope = globalThis as { window?: unknown; document?: unknown };
  if (typeof scope.window !== "undefined" && typeof scope.document !== "undefined") {
    throw new ConfigurationError(
      "@flowbuilder/sdk runs on servers (Node 18+, Deno, Bun), not in a browser: the Flowbuilder API sends no CORS " +
        "headers by design, and an API key in a web page is readable by anyone who opens it. Call the API from your " +
        "server and hand the results to the page.",
    );
  }
}

/**
 * The Flowbuilder API client: `new Client(apiKey?, { baseUrl, projectId, timeoutMs, maxRetries })`.
 * The key comes from the argument or `FLOWBUILDER_API_KEY`.
 */
export class Client {
  readonly workflows: Workflows;
  readonly executions: Executions;
  readonly forms: Forms;
  readonly credentials: Credentials;
  readonly credentialTypes: CredentialTypes;
  readonly connections: Connections;
  readonly datasets: Datasets;
  readonly integrations: Integrations;
  readonly webhooks: Webhooks;
  readonly functions: Functions;
  readonly knowledgeBases: KnowledgeBases;
  readonly apiKeys: ApiKeys;
  readonly members: Members;
  readonly projects: Projects;
  readonly usage: Usage;
  readonly auditLog: AuditLog;
  readonly nodeTypes: NodeTypes;
  readonly metrics: Metrics;
  readonly system: System;
  readonly wsTickets: WsTickets;
  readonly channels: Channels;
  readonly conversations: Conversations;
  private readonly transport: Transport;

  constructor(apiKey?: string | null, options: ClientOptions = {}) {
    assertNotBrowser();
    const key = apiKey ?? readEnv("FLOWBUILDER_API_KEY");
    if (!key) throw new ConfigurationError("apiKey is required: pass it or set FLOWBUILDER_API_KEY");
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new ConfigurationError("No fetch in this runtime: use Node 18+, Deno or Bun, or pass options.fetch.");
    this.transport = new Transport({
      apiKey: key,
      baseUrl: options.baseUrl ?? readEnv("FLOWBUILDER_BASE_URL") ?? DEFAULT_BASE_URL,
      projectId: options.projectId,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 2,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      fetch: fetchImpl.bind(globalThis),
      userAgent: `flowbuilder-sdk-typescript/${VERSION}`,
    });
    this.executions = new Executions(this.transport);
    this.workflows = new Workflows(this.transport, this.executions);
    this.forms = new Forms(this.transport);
    this.credentials = new Credentials(this.transport);
    this.credentialTypes = new CredentialTypes(this.transport);
    this.connections = new Connections(this.transport);
    this.datasets = new Datasets(this.transport);
    this.integrations = new Integrations(this.transport);
    this.webhooks = new Webhooks(this.transport);
    this.functions = new Functions(this.transport);
    this.knowledgeBases = new KnowledgeBases(this.transport);
    this.apiKeys = new ApiKeys(this.transport);
    this.members = new Members(this.transport);
    this.projects = new Projects(this.transport);
    this.usage = new Usage(this.transport);
    this.auditLog = new AuditLog(this.transport);
    this.nodeTypes = new NodeTypes(this.transport);
    this.metrics = new Metrics(this.transport);
    this.system = new System(this.transport);
    this.wsTickets = new WsTickets(this.transport);
    this.channels = new Channels(this.transport);
    this.conversations = new Conversations(this.transport);
  }

  /** The base URL calls go to. */
  get baseUrl(): string {
    return this.transport.settings.baseUrl;
  }

  /**
   * Any call, with the same authentication, retries and errors: the whole answer (status,
   * headers such as `ETag`, and the body's envelope). `path` starts with `/api/v1/`.
   */
  request<T = unknown>(request: ApiRequest): Promise<ApiAnswer<T>> {
    return this.transport.request<T>(request);
  }
}
