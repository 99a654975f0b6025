import { describe, expect, it } from "vitest";

import { WebhookVerificationError, parseWebhook, verifyStandardSignature, verifyWebhook, verifyWorkflowsSignature } from "../src/index.js";

// Signed by the server's own code (webhooks/signing.py signature_headers) for this body and secret.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY = '{"id":"dlv_1","type":"workflow.executed","timestamp":"2026-11-30T12:00:00+00:00","data":{"execution_id":"exec_1","status":"completed"}}';
const AT = 1796040000;
const HEADERS = {
  "x-workflows-signature": "t=1796040000,v1=e9aca35a45ff95b07b96aa1f0f33ab6d0193d1c0547bd9e3a2d9e07ca4d91908",
  "x-workflows-event": "workflow.executed",
  "webhook-id": "dlv_1",
  "webhook-timestamp": "1796040000",
  "webhook-signature": "v1,fIAjDhO3+2j2WAFwBrUD5jLNS20gVSRSZ08LIcuNPec=",
};

describe("verifyWebhook", () => {
  it("accepts what the server signs and parses the event", () => {
    const event = verifyWebhook(BODY, HEADERS, SECRET, { now: AT + 10 });
    expect(event.type).toBe("workflow.executed");
    if (event.type === "workflow.executed") expect(event.data.execution_id).toBe("exec_1");
  });

  it("takes bytes and a Headers object, any header case", () => {
    const headers = new Headers(Object.entries(HEADERS).map(([name, value]): [string, string] => [name.toUpperCase(), value]));
    expect(verifyWebhook(new TextEncoder().encode(BODY), headers, SECRET, { now: AT }).id).toBe("dlv_1");
  });

  it("refuses a changed body, another secret, or no signature at all", () => {
    expect(() => verifyWebhook(BODY.replace("completed", "failed"), HEADERS, SECRET, { now: AT })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(BODY, HEADERS, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { now: AT })).toThrow(/does not match/);
    expect(() => verifyWebhook(BODY, { "content-type": "application/json" }, SECRET, { now: AT })).toThrow(/not a signed delivery/);
  });

  it("checks both schemes when both are there: one bad signature fails the delivery", () => {
    const headers = { ...HEADERS, "webhook-signature": "v1,AAAA" };
    expect(() => verifyWebhook(BODY, headers, SECRET, { now: AT })).toThrow(/webhook-signature does not match/);
  });

  it("refuses a timestamp outside the tolerance, both ways", () => {
    expect(() => verifyWebhook(BODY, HEADERS, SECRET, { now: AT + 301 })).toThrow(/more than 300 s/);
    expect(() => verifyWebhook(BODY, HEADERS, SECRET, { now: AT - 301 })).toThrow(WebhookVerificationError);
    expect(verifyWebhook(BODY, HEADERS, SECRET, { now: AT + 900, toleranceSeconds: 1000 }).id).toBe("dlv_1");
  });
});

describe("the schemes one by one", () => {
  it("X-WorkFlows-Signature alone", () => {
    expect(() => verifyWorkflowsSignature(BODY, HEADERS["x-workflows-signature"], SECRET, { now: AT })).not.toThrow();
    expect(() => verifyWorkflowsSignature(BODY, "v1=abc", SECRET, { now: AT })).toThrow(/no t= or v1=/);
    expect(() => verifyWorkflowsSignature(BODY, "t=soon,v1=abc", SECRET, { now: AT })).toThrow(/not a number/);
  });

  it("Standard Webhooks with several signatures (a rotated secret) and missing parts", () => {
    const rotated = { ...HEADERS, "webhook-signature": `v1,bm90IHRoaXMgb25l ${HEADERS["webhook-signature"]}` };
    expect(() => verifyStandardSignature(BODY, rotated, SECRET, { now: AT })).not.toThrow();
    expect(() => verifyStandardSignature(BODY, { "webhook-signature": "v1,x" }, SECRET, { now: AT })).toThrow(/all needed/);
    const v2 = { ...HEADERS, "webhook-signature": HEADERS["webhook-signature"].replace("v1,", "v2,") };
    expect(() => verifyStandardSignature(BODY, v2, SECRET, { now: AT })).toThrow(WebhookVerificationError);
  });
});

describe("parseWebhook", () => {
  it("refuses what is not an event", () => {
    expect(() => parseWebhook("not json")).toThrow(/not JSON/);
    expect(() => parseWebhook('{"hello": 1}')).toThrow(/not a Flowbuilder event/);
  });
});
