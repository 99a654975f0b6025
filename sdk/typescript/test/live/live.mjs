// The SDK against a real Flowbuilder server (daphne + a worker on PostgreSQL and Redis), run by
// tests/e2e/test_sdk_typescript.py with the built package (dist/). Prints "ok <check>" per check
// and "ALL OK" at the end; any failure exits non-zero with the assertion.
//
// Environment: FLOWBUILDER_BASE_URL, FLOWBUILDER_API_KEY (an admin of a Business organization),
// VIEWER_KEY (a viewer there), PRO_KEY (an organization without API access), TINY_KEY (an
// organization allowed TINY_LIMIT calls a minute), BULK_WORKFLOW_ID (a workflow with 250 runs).
import assert from "node:assert/strict";

import * as sdk from "../../dist/index.js";
import { checkErrors } from "./errors.mjs";
import { checkRateLimit } from "./rate-limit.mjs";
import { checkReadme } from "./readme.mjs";
import { startReceiver } from "./receiver.mjs";

const env = process.env;
const flow = {
  nodes: [
    { id: "start", type: "trigger.manual", name: "start", config: {} },
    { id: "greet", type: "data.set", name: "greet", config: { fields: { hello: "{{ input.name | default('friend') }}" } } },
  ],
  edges: [{ id: "start-out-greet", source: "start", source_port: "out", target: "greet" }],
};

let calls = 0;
const countingFetch = (...args) => {
  calls += 1;
  return fetch(...args);
};

function ok(name) {
  console.log(`ok ${name}`);
}

async function countCalls(action) {
  const before = calls;
  const result = await action();
  return [result, calls - before];
}

async function checkRuns(client, workflowId) {
  const execution = await client.workflows.executeAndWait(workflowId, { input: { name: "Ada" }, version: "draft" });
  assert.equal(execution.status, "completed");
  assert.deepEqual(execution.output, { hello: "Ada" });
  ok("create -> executeAndWait -> completed");

  const steps = await client.executions.steps(execution.id).toArray();
  assert.deepEqual(steps.map((step) => step.node_id), ["start", "greet"]);
  assert.ok(steps.every((step) => step.status === "succeeded"));
  ok("steps");

  const key = `sdk-live-${Date.now()}`;
  const first = await client.workflows.execute(workflowId, { input: { name: "Bo" }, version: "draft" }, { idempotencyKey: key });
  const again = await client.workflows.execute(workflowId, { input: { name: "Bo" }, version: "draft" }, { idempotencyKey: key });
  assert.equal(again.execution_id, first.execution_id);
  ok("execute with one Idempotency-Key starts one run");

  const waited = await client.executions.wait(first.execution_id, { waitTimeoutMs: 60_000 });
  assert.equal(waited.status, "completed");
  const polled = [];
  for await (const event of client.executions.stream(first.execution_id, { via: "polling" })) polled.push(event);
  const seqs = polled.map((event) => event.seq);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, index) => index + 1));
  assert.equal(polled.at(-1).event, "execution.finished");
  ok(`stream by polling: ${polled.length} events in order, ending with execution.finished`);

  if (typeof globalThis.WebSocket === "function") {
    const live = [];
    for await (const event of client.executions.stream(first.execution_id, { via: "websocket" })) live.push(event);
    assert.deepEqual(live.map((event) => event.seq), seqs);
    const fresh = await client.workflows.execute(workflowId, { input: { name: "Cy" }, version: "draft" });
    const streamed = [];
    for await (const event of client.executions.stream(fresh.execution_id, { via: "websocket" })) streamed.push(event.event);
    assert.equal(streamed.at(-1), "execution.finished");
    ok(`stream by WebSocket: the same ${live.length} events; a new run streamed to its end`);
  }
  return execution;
}

async function checkPaging(client) {
  const workflowId = env.BULK_WORKFLOW_ID;
  for (const paging of ["page", "cursor"]) {
    const [ids, requests] = await countCalls(async () => {
      const seen = [];
      for await (const run of client.workflows.listExecutions(workflowId, { limit: 100, paging })) seen.push(run.id);
      return seen;
    });
    assert.equal(ids.length, 250);
    assert.equal(new Set(ids).size, 250);
    assert.equal(requests, 3);
    ok(`250 executions by ${paging}: 3 requests, no repeats`);
  }
  const [pages, requests] = await countCalls(async () => {
    const sizes = [];
    for (let page = await client.executions.list({ limit: 100, paging: "page", order: "asc" }); page; page = await page.nextPage()) {
      sizes.push(page.data.length);
    }
    return sizes;
  });
  assert.ok(pages.reduce((a, b) => a + b, 0) >= 250 && requests === pages.length);
  const [, lazy] = await countCalls(async () => {
    for await (const run of client.executions.list({ limit: 10 })) if (run) break;
  });
  assert.equal(lazy, 1);
  ok("pages by hand with nextPage(); iteration fetches lazily");
}

async function checkWebhook(client, receiver, secret, executionId) {
  const delivery = await receiver.waitFor((body) => body.includes(executionId), 60_000);
  const event = sdk.verifyWebhook(delivery.raw, delivery.headers, secret);
  assert.equal(event.type, "workflow.executed");
  assert.equal(event.data.execution_id, executionId);
  assert.equal(event.data.status, "completed");
  const standardOnly = Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name.startsWith("webhook-")));
  assert.equal(client.webhooks.verify(delivery.raw, standardOnly, secret).id, event.id);
  assert.throws(() => sdk.verifyWebhook(delivery.raw.replace("completed", "failed"), delivery.headers, secret), sdk.WebhookVerificationError);
  assert.throws(() => sdk.verifyWebhook(delivery.raw, delivery.headers, `${secret.slice(0, -4)}AAA=`), sdk.WebhookVerificationError);
  assert.throws(() => sdk.verifyWebhook(delivery.raw, delivery.headers, secret, { now: Number(delivery.headers["webhook-timestamp"]) + 301 }), /300 s/);
  ok("a real delivery verifies (both schemes); a changed body, another secret, a stale time do not");
}

async function checkForms(client) {
  const form = await client.forms.create({ name: "SDK signup", fields: [{ key: "email", type: "email", label: "Email", required: true }] });
  await client.forms.submissions.create(form.id, { data: { email: "ada@example.com" } });
  const listed = await client.forms.submissions.list(form.id).toArray();
  assert.equal(listed.length, 1);
  const csv = await client.forms.submissions.csv(form.id);
  assert.match(csv, /ada@example\.com/);
  assert.equal((await client.forms.update(form.id, { description: "v2" })).description, "v2");
  ok("forms: create, submit, list and CSV export");
}

async function main() {
  const rateLimit = checkRateLimit(sdk, env.FLOWBUILDER_BASE_URL, env.TINY_KEY, Number(env.TINY_LIMIT)); // runs alongside
  const client = new sdk.Client(undefined, { fetch: countingFetch });
  const receiver = await startReceiver();
  try {
    const hook = await client.webhooks.create({ url: receiver.url, events: ["workflow.executed"] });
    assert.match(hook.secret, /^whsec_/);
    const workflow = await client.workflows.create({ name: "SDK greeter", ...flow });
    const execution = await checkRuns(client, workflow.id);
    await checkPaging(client);
    await checkForms(client);
    await checkErrors(sdk, client, env, { workflow, flow });
    await checkWebhook(client, receiver, hook.secret, execution.id);
    await checkReadme();
    await rateLimit;
  } finally {
    receiver.close();
  }
  console.log("ALL OK");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
