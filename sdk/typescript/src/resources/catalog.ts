/** The project's building blocks: forms, credentials, connections, integrations, webhooks, functions. */
import type { RequestOptions, Transport } from "../http.js";
import type { PagePromise } from "../pagination.js";
import type { BodyOf, DataOf, ItemOf, QueryOf } from "../types.js";
import {
  parseWebhook,
  verifyWebhook,
  type HeadersLike,
  type RawBody,
  type VerifyOptions,
  type WebhookEvent,
} from "../webhook-signatures.js";
import { Crud, Resource, apiPath } from "./base.js";

export class Forms extends Crud<"forms"> {
  readonly submissions: FormSubmissions;

  constructor(transport: Transport) {
    super(transport, "forms");
    this.submissions = new FormSubmissions(transport);
  }
}

export class FormSubmissions extends Resource {
  list(formId: string, params: Omit<QueryOf<"forms_submissions_list">, "format"> = {}, options?: RequestOptions): PagePromise<ItemOf<"forms_submissions_list">> {
    return this.paginate(apiPath("forms", formId, "submissions"), params, options);
  }

  /** Every matching submission as one CSV file (`from`/`to` filter it). */
  async csv(formId: string, params: Omit<QueryOf<"forms_submissions_list">, "format" | "page" | "limit" | "offset"> = {}, options?: RequestOptions): Promise<string> {
    const path = apiPath("forms", formId, "submissions");
    const headers = { Accept: "text/csv", ...options?.headers };
    return (await this.transport.request<string>({ method: "GET", path, query: { ...params, format: "csv" }, options: { ...options, headers } })).body;
  }

  /** Submit values (checked against the form's fields). */
  create(formId: string, body: BodyOf<"forms_submissions_create">, options?: RequestOptions): Promise<DataOf<"forms_submissions_create">> {
    return this.postData(apiPath("forms", formId, "submissions"), body, options);
  }
}

export class Credentials extends Crud<"credentials"> {
  constructor(transport: Transport) {
    super(transport, "credentials");
  }
}

export class CredentialTypes extends Resource {
  /** The credential types and their fields. */
  list(options?: RequestOptions): Promise<DataOf<"credential_types_list">> {
    return this.getData(apiPath("credential-types"), undefined, options);
  }
}

export class Connections extends Crud<"connections"> {
  constructor(transport: Transport) {
    super(transport, "connections");
  }

  /** Connect once and report (read-only checks, the role's rights). */
  test(connectionId: string, options?: RequestOptions): Promise<DataOf<"connections_test_create">> {
    return this.postData(apiPath("connections", connectionId, "test"), undefined, options);
  }

  /** Tables and columns of a database connection. */
  schema(connectionId: string, options?: RequestOptions): Promise<DataOf<"connections_schema_retrieve">> {
    return this.getData(apiPath("connections", connectionId, "schema"), undefined, options);
  }

  /** A question in plain words: the SQL the model wrote, the rows by column name, and a sentence. */
  ask(connectionId: string, body: BodyOf<"connections_ask_create">, options?: RequestOptions): Promise<DataOf<"connections_ask_create">> {
    return this.postData(apiPath("connections", connectionId, "ask"), body, options);
  }
  /** One read-only statement → `{columns, rows, row_count, truncated, elapsed_ms}` (also on the Datasets connection). */
  query(connectionId: string, body: BodyOf<"connections_query_create">, options?: RequestOptions): Promise<DataOf<"connections_query_create">> {
    return this.postData(apiPath("connections", connectionId, "query"), body, options);
  }

}

export class Integrations extends Resource {
  list(params: QueryOf<"integrations_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"integrations_list">> {
    return this.paginate(apiPath("integrations"), params, options);
  }

  test(integrationId: string, options?: RequestOptions): Promise<DataOf<"integrations_test_create">> {
    return this.postData(apiPath("integrations", integrationId, "test"), undefined, options);
  }
}

/** Outbound webhook subscriptions and their deliveries; `verify` checks a delivery you received. */
export class Webhooks extends Crud<"webhooks"> {
  readonly deliveries: WebhookDeliveries;

  constructor(transport: Transport) {
    super(transport, "webhooks");
    this.deliveries = new WebhookDeliveries(transport);
  }

  /** Send a `webhook.test` event to the subscription now. */
  test(webhookId: string, options?: RequestOptions): Promise<DataOf<"webhooks_test_create">> {
    return this.postData(apiPath("webhooks", webhookId, "test"), undefined, options);
  }

  /** Verify a received delivery's signatures and parse it (see `verifyWebhook`). */
  verify(body: RawBody, headers: HeadersLike, secret: string, options?: VerifyOptions): WebhookEvent {
    return verifyWebhook(body, headers, secret, options);
  }

  /** Parse a delivery's body without verifying it. */
  parse(body: RawBody): WebhookEvent {
    return parseWebhook(body);
  }
}

export class WebhookDeliveries extends Resource {
  list(webhookId: string, params: QueryOf<"webhooks_deliveries_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"webhooks_deliveries_list">> {
    return this.paginate(apiPath("webhooks", webhookId, "deliveries"), params, options);
  }

  /** Send a finished delivery again (same id and body). */
  retry(webhookId: string, deliveryId: string, options?: RequestOptions): Promise<DataOf<"webhooks_deliveries_retry_create">> {
    return this.postData(apiPath("webhooks", webhookId, "deliveries", deliveryId, "retry"), undefined, options);
  }
}

/** Code, AI and HTTP functions that flows call by name. */
export class Functions extends Crud<"functions"> {
  constructor(transport: Transport) {
    super(transport, "functions");
  }

  /** Run the current version with `input`: `{ok, output | error, logs, duration_ms, limits_hit, version}`. */
  test(functionId: string, body: BodyOf<"functions_test_create">, options?: RequestOptions): Promise<DataOf<"functions_test_create">> {
    return this.postData(apiPath("functions", functionId, "test"), body, options);
  }

  versions(functionId: string, params: QueryOf<"functions_versions_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"functions_versions_list">> {
    return this.paginate(apiPath("functions", functionId, "versions"), params, options);
  }
}

/** `client.knowledgeBases`: documents an `ai.chat` node answers from; upload, list, delete, search. */
export class KnowledgeBases extends Crud<"knowledge_bases"> {
  readonly documents: KnowledgeDocuments;

  constructor(transport: Transport) {
    super(transport, "knowledge-bases");
    this.documents = new KnowledgeDocuments(transport);
  }

  /** The passages an `ai.chat` node would get for the question `q`, best first. */
  search(knowledgeBaseId: string, params: QueryOf<"knowledge_bases_search_list">, options?: RequestOptions): Promise<DataOf<"knowledge_bases_search_list">> {
    return this.getData(apiPath("knowledge-bases", knowledgeBaseId, "search"), params, options);
  }
}

export class KnowledgeDocuments extends Resource {
  list(knowledgeBaseId: string, params: QueryOf<"knowledge_bases_documents_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"knowledge_bases_documents_list">> {
    return this.paginate(apiPath("knowledge-bases", knowledgeBaseId, "documents"), params, options);
  }

  /** Upload a .txt, .md or .html document (UTF-8) as multipart `file` (and an optional `title`). */
  upload(
    knowledgeBaseId: string,
    file: { content: string | Blob; filename: string; title?: string },
    options?: RequestOptions,
  ): Promise<DataOf<"knowledge_bases_documents_create">> {
    const form = new FormData();
    const blob = file.content instanceof Blob ? file.content : new Blob([file.content]);
    form.append("file", blob, file.filename);
    if (file.title !== undefined) form.append("title", file.title);
    return this.postData(apiPath("knowledge-bases", knowledgeBaseId, "documents"), form, options);
  }

  delete(knowledgeBaseId: string, documentId: string, options?: RequestOptions): Promise<void> {
    return this.remove(apiPath("knowledge-bases", knowledgeBaseId, "documents", documentId), options);
  }
}

/** A file for a dataset upload: CSV (UTF-8) or .xlsx content, with its name. */
export interface DatasetFile {
  content: string | Blob;
  filename: string;
}

function datasetForm(file: DatasetFile, fields: Record<string, string | Record<string, string> | undefined>): FormData {
  const form = new FormData();
  form.append("file", file.content instanceof Blob ? file.content : new Blob([file.content]), file.filename);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  return form;
}

/** Upload options: `delimiter` (`,` `;` or a tab; default detected), `types` ({column: type}) to correct inference. */
export interface DatasetUploadFields {
  delimiter?: string;
  types?: Record<string, string>;
}

/** `client.datasets`: CSV and Excel files as tables that `db.query`, `db.ask` and `connections.query` read. */
export class Datasets extends Resource {
  list(params: QueryOf<"datasets_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"datasets_list">> {
    return this.paginate(apiPath("datasets"), params, options);
  }

  /** Upload a file as a new dataset named `name`. */
  create(name: string, file: DatasetFile, fields: DatasetUploadFields = {}, options?: RequestOptions): Promise<DataOf<"datasets_create">> {
    return this.postData(apiPath("datasets"), datasetForm(file, { name, ...fields }), options);
  }

  /** The inferred columns and the first rows of a file; nothing is stored. */
  preview(file: DatasetFile, fields: DatasetUploadFields = {}, options?: RequestOptions): Promise<DataOf<"datasets_preview_create">> {
    return this.postData(apiPath("datasets", "preview"), datasetForm(file, { ...fields }), options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<DataOf<"datasets_retrieve">> {
    return this.getData(apiPath("datasets", id), undefined, options);
  }

  /** Rename (the SQL table name follows). */
  update(id: string, body: BodyOf<"datasets_partial_update">, options?: RequestOptions): Promise<DataOf<"datasets_partial_update">> {
    return this.patchData(apiPath("datasets", id), body, options);
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.remove(apiPath("datasets", id), options);
  }

  /** New rows and columns from a file, all at once (a refused file leaves the old data). */
  replace(id: string, file: DatasetFile, fields: DatasetUploadFields = {}, options?: RequestOptions): Promise<DataOf<"datasets_replace_create">> {
    return this.postData(apiPath("datasets", id, "replace"), datasetForm(file, { ...fields }), options);
  }

  /** Rows added from a file with the same columns (by name). */
  append(id: string, file: DatasetFile, fields: { delimiter?: string } = {}, options?: RequestOptions): Promise<DataOf<"datasets_append_create">> {
    return this.postData(apiPath("datasets", id, "append"), datasetForm(file, { ...fields }), options);
  }

  /** The rows, as objects keyed by column name, a page at a time. */
  rows(id: string, params: QueryOf<"datasets_rows_retrieve"> = {}, options?: RequestOptions): PagePromise<ItemOf<"datasets_rows_retrieve">> {
    return this.paginate(apiPath("datasets", id, "rows"), params, options);
  }

  /** The whole dataset as CSV text (UTF-8, the original headers). */
  async download(id: string, options?: RequestOptions): Promise<string> {
    const headers = { Accept: "text/csv", ...options?.headers };
    return (await this.transport.request<string>({ method: "GET", path: apiPath("datasets", id, "download"), options: { ...options, headers } })).body;
  }
}
