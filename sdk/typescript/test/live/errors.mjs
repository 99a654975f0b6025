// Typed errors from the real server: 400, 401, 403 (role, plan, project), 404, 409, 412, 422, and the missing key.
import assert from "node:assert/strict";

async function rejects(promise, Class, check) {
  const error = await promise.then(
    () => assert.fail(`expected ${Class.name}`),
    (caught) => caught,
  );
  assert.ok(error instanceof Class, `${error?.name}: ${error?.message} is not a ${Class.name}`);
  assert.ok(error instanceof Error && typeof error.message === "string" && error.message.length > 0);
  check?.(error);
  console.log(`ok ${Class.name}: ${error.status} ${error.code}`);
  return error;
}

export async function checkErrors(sdk, client, env, { workflow, flow }) {
  const baseUrl = env.FLOWBUILDER_BASE_URL;
  await rejects(new sdk.Client("wf_live_not_a_key", { baseUrl }).workflows.list(), sdk.AuthenticationError, (error) => {
    assert.equal(error.status, 401);
    assert.equal(error.code, "UNAUTHORIZED");
  });
  const viewer = new sdk.Client(env.VIEWER_KEY, { baseUrl });
  await rejects(viewer.workflows.create({ name: "Not allowed", ...flow }), sdk.PermissionDeniedError, (error) => {
    assert.equal(error.code, "FORBIDDEN");
  });
  await rejects(new sdk.Client(env.PRO_KEY, { baseUrl }).workflows.list(), sdk.PlanUpgradeRequiredError, (error) => {
    assert.ok(error instanceof sdk.PermissionDeniedError && error.status === 403);
  });
  await rejects(client.workflows.list({}, { projectId: "proj_not_ours" }), sdk.APIError, (error) => assert.ok([403, 404].includes(error.status)));
  const projects = await client.projects.list().toArray();
  const listed = await client.workflows.list({}, { projectId: projects[0].id });
  assert.ok(listed.data.some((item) => item.id === workflow.id));
  await rejects(client.workflows.retrieve("wf_does_not_exist"), sdk.NotFoundError, (error) => {
    assert.equal(error.status, 404);
    assert.ok(error instanceof sdk.WorkflowNotFoundError || error.code === "NOT_FOUND");
    assert.match(error.requestId, /^req_[0-9a-f]{32}$/); // the server's X-Request-Id
  });
  await rejects(client.executions.retrieve("exec_does_not_exist"), sdk.NotFoundError);
  await rejects(client.workflows.create({ name: workflow.name, ...flow }), sdk.ConflictError, (error) => {
    assert.equal(error.status, 409);
    assert.ok(error instanceof sdk.WorkflowAlreadyExistsError);
  });
  const badNode = { id: "call", type: "http.request", name: "call", config: { method: "GET" } };
  const badFlow = { nodes: [...flow.nodes, badNode], edges: [...flow.edges, { id: "greet-out-call", source: "greet", source_port: "out", target: "call" }] };
  await rejects(client.workflows.create({ name: "Bad node", ...badFlow }), sdk.InvalidNodeConfigError, (error) => {
    assert.equal(error.status, 422);
    assert.match(error.field, /nodes\[2\]\.config/);
  });
  await rejects(client.workflows.create({ name: "", ...flow }), sdk.ValidationError, (error) => {
    assert.equal(error.status, 400);
    assert.equal(error.field, "name");
    assert.ok(error.details);
  });
  await rejects(client.workflows.update(workflow.id, { description: "stale" }, { ifMatch: '"r999999"' }), sdk.PreconditionFailedError, (error) => {
    assert.equal(error.status, 412);
    assert.match(error.currentEtag, /^"r\d+"$/);
  });
  const answer = await client.request({ method: "GET", path: `/api/v1/workflows/${workflow.id}` });
  const updated = await client.workflows.update(workflow.id, { description: "fresh" }, { ifMatch: answer.headers.get("etag") });
  assert.equal(updated.description, "fresh");
  console.log("ok If-Match with the current ETag writes");

  const saved = process.env.FLOWBUILDER_API_KEY;
  delete process.env.FLOWBUILDER_API_KEY;
  assert.throws(() => new sdk.Client(), (error) => error instanceof sdk.ConfigurationError && error.message === "apiKey is required: pass it or set FLOWBUILDER_API_KEY");
  process.env.FLOWBUILDER_API_KEY = saved;
  console.log("ok no key: ConfigurationError says what to do");
}
