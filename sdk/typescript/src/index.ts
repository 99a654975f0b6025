export { Client, type ClientOptions } from "./client.js";
export * from "./errors.js";
export type { ApiAnswer, ApiRequest, RequestOptions } from "./http.js";
export { Page, PagePromise, type ListMeta, type Paging } from "./pagination.js";
export type { EventsPage, WaitOptions } from "./resources/executions.js";
export type { ExecuteAnswer, ExecuteParams } from "./resources/workflows.js";
export type { StreamOptions } from "./stream.js";
export type { components, operations, paths } from "./schema.js";
export type * from "./types.js";
export { VERSION } from "./version.js";
export {
  WebhookVerificationError,
  parseWebhook,
  verifyStandardSignature,
  verifyWebhook,
  verifyWorkflowsSignature,
  type ExecutionEventData,
  type HeadersLike,
  type RawBody,
  type VerifyOptions,
  type WebhookEnvelope,
  type WebhookEvent,
} from "./webhook-signatures.js";
