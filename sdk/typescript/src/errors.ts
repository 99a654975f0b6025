/**
 * One error class per API error code (see the API's error table), all carrying the HTTP
 * status, the code, the message, the request id (the `X-Request-Id` answer header, when the
 * server sends one), `details` and `field`. Codes the SDK does not know map by HTTP status,
 * so `instanceof NotFoundError` holds for any 404.
 */

/** Base of everything the SDK throws on purpose. */
export class FlowbuilderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The SDK was set up wrongly (no key, a browser, a bad option): nothing was sent. */
export class ConfigurationError extends FlowbuilderError {}

/** The request never got an answer (connection refused or reset, DNS): `cause` says why. */
export class APIConnectionError extends FlowbuilderError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** No answer within `timeoutMs`. */
export class APITimeoutError extends APIConnectionError {}

export interface APIErrorInit {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  field?: string | null;
  requestId?: string | null;
  headers?: Headers;
}

/** An error answer of the API (`{"success": false, "error": {...}}`). */
export class APIError extends FlowbuilderError {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly field: string | null;
  readonly requestId: string | null;
  readonly headers: Headers;

  constructor(init: APIErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? null;
    this.field = init.field ?? null;
    this.requestId = init.requestId ?? null;
    this.headers = init.headers ?? new Headers();
  }
}

/** 400 VALIDATION_ERROR: `field` names the first bad field, `details` holds them all. */
export class ValidationError extends APIError {}
/** 400 MISSING_REQUIRED_FIELD. */
export class MissingRequiredFieldError extends ValidationError {}
/** 400 INVALID_WORKFLOW_CONFIG: the definition is not a valid graph. */
export class InvalidWorkflowConfigError extends ValidationError {}
/** 400 INVALID_INPUT: `input` does not fit the trigger's input schema (`details.problems`). */
export class InvalidInputError extends ValidationError {}
/** 401 UNAUTHORIZED: no key, a wrong one, or a revoked or expired one. */
export class AuthenticationError extends APIError {}
/** 403 FORBIDDEN: the key's role or project does not allow it. */
export class PermissionDeniedError extends APIError {}
/** 403 PLAN_UPGRADE_REQUIRED: API access needs the Business or Enterprise plan. */
export class PlanUpgradeRequiredError extends PermissionDeniedError {}
/** 404 NOT_FOUND (no such resource in this project). */
export class NotFoundError extends APIError {}
/** 404 WORKFLOW_NOT_FOUND. */
export class WorkflowNotFoundError extends NotFoundError {}
/** 405 METHOD_NOT_ALLOWED. */
export class MethodNotAllowedError extends APIError {}
/** 406 NOT_ACCEPTABLE. */
export class NotAcceptableError extends APIError {}
/** 409 CONFLICT: the resource is in the wrong state, or an Idempotency-Key was reused with another body. */
export class ConflictError extends APIError {}
/** 409 WORKFLOW_ALREADY_EXISTS: the name is taken in the project. */
export class WorkflowAlreadyExistsError extends ConflictError {}
/** 412 PRECONDITION_FAILED: `If-Match` was stale; `currentEtag` is the one to use. */
export class PreconditionFailedError extends APIError {
  get currentEtag(): string | null {
    const details = this.details as { current_etag?: unknown } | null;
    return typeof details?.current_etag === "string" ? details.current_etag : null;
  }
}
/** 413 PAYLOAD_TOO_LARGE. */
export class PayloadTooLargeError extends APIError {}
/** 415 UNSUPPORTED_MEDIA_TYPE. */
export class UnsupportedMediaTypeError extends APIError {}
/** 422 INVALID_NODE_CONFIG: a node's config fails its schema; `field` is the path. */
export class InvalidNodeConfigError extends APIError {}

/** 429 RATE_LIMITED: `retryAfter` is the server's `Retry-After`, in seconds. */
export class RateLimitedError extends APIError {
  readonly retryAfter: number | null;

  constructor(init: APIErrorInit) {
    super(init);
    this.retryAfter = parseRetryAfter(init.headers?.get("retry-after") ?? null);
  }
}

/** 500 INTERNAL_ERROR (never with a stack trace). */
export class InternalServerError extends APIError {}
/** 500 WORKFLOW_EXECUTION_FAILED. */
export class WorkflowExecutionFailedError extends InternalServerError {}
/** 502 CONNECTION_FAILED: a connection test could not reach its database or service. */
export class ConnectionFailedError extends APIError {}
/** 503 SERVICE_UNAVAILABLE: the database is busy or unreachable; retried on idempotent calls. */
export class ServiceUnavailableError extends APIError {}

type ErrorClass = new (init: APIErrorInit) => APIError;

const BY_CODE: Record<string, ErrorClass> = {
  VALIDATION_ERROR: ValidationError,
  MISSING_REQUIRED_FIELD: MissingRequiredFieldError,
  INVALID_WORKFLOW_CONFIG: InvalidWorkflowConfigError,
  INVALID_INPUT: InvalidInputError,
  UNAUTHORIZED: AuthenticationError,
  FORBIDDEN: PermissionDeniedError,
  PLAN_UPGRADE_REQUIRED: PlanUpgradeRequiredError,
  NOT_FOUND: NotFoundError,
  WORKFLOW_NOT_FOUND: WorkflowNotFoundError,
  METHOD_NOT_ALLOWED: MethodNotAllowedError,
  NOT_ACCEPTABLE: NotAcceptableError,
  CONFLICT: ConflictError,
  WORKFLOW_ALREADY_EXISTS: WorkflowAlreadyExistsError,
  PRECONDITION_FAILED: PreconditionFailedError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  UNSUPPORTED_MEDIA_TYPE: UnsupportedMediaTypeError,
  INVALID_NODE_CONFIG: InvalidNodeConfigError,
  RATE_LIMITED: RateLimitedError,
  INTERNAL_ERROR: InternalServerError,
  WORKFLOW_EXECUTION_FAILED: WorkflowExecutionFailedError,
  CONNECTION_FAILED: ConnectionFailedError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
};

const BY_STATUS: Record<number, ErrorClass> = {
  400: ValidationError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  406: NotAcceptableError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  422: InvalidNodeConfigError,
  429: RateLimitedError,
  500: InternalServerError,
  502: ConnectionFailedError,
  503: ServiceUnavailableError,
};

/** The error for an API answer: by its code, else by its status, else a plain APIError. */
export function errorFor(init: APIErrorInit): APIError {
  const Class = BY_CODE[init.code] ?? BY_STATUS[init.status] ?? APIError;
  return new Class(init);
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}
