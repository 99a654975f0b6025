/**
 * Verifying outbound webhook deliveries, as webhooks/signing.py signs them (one `whsec_…` secret):
 * - `X-WorkFlows-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed
 *   with the whole secret text;
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
 *   HMAC-SHA256 of "<id>.<timestamp>.<raw body>">` (space-separated entries), keyed with the
 *   base64-decoded bytes after `whsec_`.
 * Comparisons are constant-time (node:crypto timingSafeEqual) and timestamps must be within
 * `toleranceSeconds` (300) of now. Verify the raw bytes, before parsing the JSON.
 */
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";

import { FlowbuilderError } from "./errors.js";

const SECRET_PREFIX = "whsec_";
const DEFAULT_TOLERANCE_SECONDS = 300;

/** The signature is missing, wrong or too old: answer 400/401 and do not act on the body. */
export class WebhookVerificationError extends FlowbuilderError {}

export type HeadersLike = Headers | Record<string, string | string[] | undefined>;
export type RawBody = string | Uint8Array;

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** Unix seconds to judge the timestamp by (default: now). */
  now?: number;
}

/** What every delivery's body holds. */
export interface WebhookEnvelope<Type extends string, Data> {
  id: string;
  type: Type;
  timestamp: string;
  data: Data;
}

export interface ExecutionEventData {
  execution_id: string;
  workflow_id: string;
  status: "completed" | "failed" | "cancelled";
  output: unknown;
  error: { code?: string; message?: string; [key: string]: unknown } | null;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
}

export type WebhookEvent =
  | WebhookEnvelope<"workflow.executed", ExecutionEventData>
  | WebhookEnvelope<"execution.failed", ExecutionEventData>
  | WebhookEnvelope<"workflow.published", { workflow_id: string; name: string; version: number; note: string; published_at: string }>
  | WebhookEnvelope<
      "form.submitted",
      {
        form: { id: string; name: string; slug: string };
        submission: { id: string; source: string; created_at: string; data: Record<string, unknown> };
      }
    >
  | WebhookEnvelope<"webhook.test", { message: string; webhook_id: string }>;

function header(headers: HeadersLike, name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return Array.isArray(value) ? value.join(",") : value;
  }
  return null;
}

function bytes(body: RawBody): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkTimestamp(timestamp: string, options: VerifyOptions): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError("The signature's timestamp is not a number of seconds.");
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(`The signature's timestamp is more than ${tolerance} s from now: a replay or a wrong clock.`);
  }
}

/** Check `X-WorkFlows-Signature`; throws WebhookVerificationError when it does not hold. */
export function verifyWorkflowsSignature(body: RawBody, signatureHeader: string, secret: string, options: VerifyOptions = {}): void {
  const parts = new Map(signatureHeader.split(",").map((item) => item.trim().split("=", 2) as [string, string]));
  const timestamp = parts.get("t");
  const given = parts.get("v1");
  if (!timestamp || !given) throw new WebhookVerificationError("X-WorkFlows-Signature has no t= or v1= part.");
  checkTimestamp(timestamp, options);
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(bytes(body)).digest("hex");
  if (!sameText(expected, given)) throw new WebhookVerificationError("X-WorkFlows-Signature does not match the body and the secret.");
}

/** The Standard Webhooks key: the base64 after `whsec_`, else the secret's own bytes. */
function standardKey(secret: string): Buffer {
  if (secret.startsWith(SECRET_PREFIX)) {
    const encoded = secret.slice(SECRET_PREFIX.length);
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return Buffer.from(encoded, "base64");
  }
  return Buffer.from(secret, "utf8");
}

/** Check the Standard Webhooks headers; throws WebhookVerificationError when they do not hold. */
export function verifyStandardSignature(body: RawBody, headers: HeadersLike, secret: string, options: VerifyOptions = {}): void {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signature = header(headers, "webhook-signature");
  if (!id || !timestamp || !signature) throw new WebhookVerificationError("webhook-id, webhook-timestamp and webhook-signature are all needed.");
  checkTimestamp(timestamp, options);
  const expected = createHmac("sha256", standardKey(secret)).update(`${id}.${timestamp}.`).update(bytes(body)).digest("base64");
  const matches = signature.split(" ").some((entry) => {
    const [version, given] = [entry.slice(0, entry.indexOf(",")), entry.slice(entry.indexOf(",") + 1)];
    return version === "v1" && sameText(expected, given);
  });
  if (!matches) throw new WebhookVerificationError("webhook-signature does not match the body and the secret.");
}

/**
 * Verify a delivery (every signature scheme its headers carry; at least one is needed) and
 * parse its body into a typed event. Pass the raw body exactly as received.
 */
export function verifyWebhook(body: RawBody, headers: HeadersLike, secret: string, options: VerifyOptions = {}): WebhookEvent {
  const workflows = header(headers, "x-workflows-signature");
  const standard = header(headers, "webhook-signature");
  if (!workflows && !standard) throw new WebhookVerificationError("No X-WorkFlows-Signature or webhook-signature header: not a signed delivery.");
  if (workflows) verifyWorkflowsSignature(body, workflows, secret, options);
  if (standard) verifyStandardSignature(body, headers, secret, options);
  return parseWebhook(body);
}

/** Parse a delivery's body without checking it (only for bodies verified already). */
export function parseWebhook(body: RawBody): WebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(typeof body === "string" ? body : bytes(body).toString("utf8"));
  } catch {
    throw new WebhookVerificationError("The body is not JSON.");
  }
  const shape = event as Partial<WebhookEnvelope<string, unknown>> | null;
  if (!shape || typeof shape.id !== "string" || typeof shape.type !== "string" || !("data" in shape)) {
    throw new WebhookVerificationError("The body is not a Flowbuilder event ({id, type, timestamp, data}).");
  }
  return event as WebhookEvent;
}
