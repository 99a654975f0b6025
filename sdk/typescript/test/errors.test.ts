import { describe, expect, it } from "vitest";

import * as sdk from "../src/index.js";
import { errorFromAnswer } from "../src/http.js";

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  errorFromAnswer({ status, statusText: "", headers: new Headers(headers), text: typeof body === "string" ? body : JSON.stringify(body) });

const envelope = (code: string, extra: Record<string, unknown> = {}) => ({ success: false, error: { code, message: `a ${code}`, ...extra } });

describe("one error class per code", () => {
  it.each([
    [400, "VALIDATION_ERROR", sdk.ValidationError],
    [400, "MISSING_REQUIRED_FIELD", sdk.MissingRequiredFieldError],
    [400, "INVALID_WORKFLOW_CONFIG", sdk.InvalidWorkflowConfigError],
    [400, "INVALID_INPUT", sdk.InvalidInputError],
    [401, "UNAUTHORIZED", sdk.AuthenticationError],
    [403, "FORBIDDEN", sdk.PermissionDeniedError],
    [403, "PLAN_UPGRADE_REQUIRED", sdk.PlanUpgradeRequiredError],
    [404, "NOT_FOUND", sdk.NotFoundError],
    [404, "WORKFLOW_NOT_FOUND", sdk.WorkflowNotFoundError],
    [405, "METHOD_NOT_ALLOWED", sdk.MethodNotAllowedError],
    [409, "CONFLICT", sdk.ConflictError],
    [409, "WORKFLOW_ALREADY_EXISTS", sdk.WorkflowAlreadyExistsError],
    [412, "PRECONDITION_FAILED", sdk.PreconditionFailedError],
    [413, "PAYLOAD_TOO_LARGE", sdk.PayloadTooLargeError],
    [415, "UNSUPPORTED_MEDIA_TYPE", sdk.UnsupportedMediaTypeError],
    [422, "INVALID_NODE_CONFIG", sdk.InvalidNodeConfigError],
    [429, "RATE_LIMITED", sdk.RateLimitedError],
    [500, "INTERNAL_ERROR", sdk.InternalServerError],
    [500, "WORKFLOW_EXECUTION_FAILED", sdk.WorkflowExecutionFailedError],
    [502, "CONNECTION_FAILED", sdk.ConnectionFailedError],
    [503, "SERVICE_UNAVAILABLE", sdk.ServiceUnavailableError],
  ])("%i %s", (status, code, Class) => {
    const error = answer(status, envelope(code), { "X-Request-Id": "req_1" });
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(sdk.APIError);
    expect(error).toBeInstanceOf(sdk.FlowbuilderError);
    expect([error.status, error.code, error.message, error.requestId]).toEqual([status, code, `a ${code}`, "req_1"]);
    expect(error.name).toBe(Class.name);
  });

  it("subclasses let callers catch broadly", () => {
    expect(answer(403, envelope("PLAN_UPGRADE_REQUIRED"))).toBeInstanceOf(sdk.PermissionDeniedError);
    expect(answer(409, envelope("WORKFLOW_ALREADY_EXISTS"))).toBeInstanceOf(sdk.ConflictError);
    expect(answer(400, envelope("INVALID_INPUT"))).toBeInstanceOf(sdk.ValidationError);
  });

  it("an unknown code maps by its status; an unknown status is a plain APIError", () => {
    expect(answer(404, envelope("SOMETHING_NEW"))).toBeInstanceOf(sdk.NotFoundError);
    const odd = answer(418, envelope("TEAPOT"));
    expect(odd.constructor).toBe(sdk.APIError);
    expect(odd.code).toBe("TEAPOT");
  });

  it("a body that is not the envelope still gives a typed error", () => {
    const error = answer(502, "<html>Bad gateway</html>");
    expect(error).toBeInstanceOf(sdk.ConnectionFailedError);
    expect(error.code).toBe("HTTP_502");
    expect(error.requestId).toBeNull();
  });

  it("carries field and details, the current ETag, and Retry-After", () => {
    const invalid = answer(400, envelope("VALIDATION_ERROR", { field: "name", details: { name: ["This field may not be blank."] } }));
    expect(invalid.field).toBe("name");
    expect(invalid.details).toEqual({ name: ["This field may not be blank."] });
    const stale = answer(412, envelope("PRECONDITION_FAILED", { details: { current_etag: '"r4"' } })) as sdk.PreconditionFailedError;
    expect(stale.currentEtag).toBe('"r4"');
    const limited = answer(429, envelope("RATE_LIMITED"), { "Retry-After": "17" }) as sdk.RateLimitedError;
    expect(limited.retryAfter).toBe(17);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(sdk.parseRetryAfter("Mon, 30 Nov 2026 12:00:30 GMT", now)).toBe(30);
    expect(sdk.parseRetryAfter("2.5")).toBe(2.5);
    expect(sdk.parseRetryAfter("soon")).toBeNull();
    expect(sdk.parseRetryAfter(null)).toBeNull();
  });
});
