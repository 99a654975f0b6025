import { randomUUID } from "node:crypto";

import type { RequestOptions, Transport } from "../http.js";
import type { PagePromise, Paging } from "../pagination.js";
import type { BodyOf, DataOf, Execution, ExecutionStarted, ItemOf, QueryOf } from "../types.js";
import { Resource, apiPath } from "./base.js";
import type { Executions, WaitOptions } from "./executions.js";

/** The longest `wait` the API takes on execute, in seconds. */
const MAX_SERVER_WAIT_SECONDS = 60;

export type ExecuteParams = BodyOf<"workflows_execute_create">;
export type ExecuteAnswer = DataOf<"workflows_execute_create">;

/** `/workflows`: CRUD, validate, publish, activate, versions, import/export, execute, metrics, hooks. */
export class Workflows extends Resource {
  readonly versions: WorkflowVersions;
  readonly hooks: WorkflowHooks;

  constructor(transport: Transport, private readonly executions: Executions) {
    super(transport);
    this.versions = new WorkflowVersions(transport);
    this.hooks = new WorkflowHooks(transport);
  }

  list(params: QueryOf<"workflows_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"workflows_list">> {
    return this.paginate(apiPath("workflows"), params, options);
  }

  create(body: BodyOf<"workflows_create">, options?: RequestOptions): Promise<DataOf<"workflows_create">> {
    return this.postData(apiPath("workflows"), body, options);
  }

  retrieve(workflowId: string, options?: RequestOptions): Promise<DataOf<"workflows_retrieve">> {
    return this.getData(apiPath("workflows", workflowId), undefined, options);
  }

  /** PATCH: only the fields given change. */
  update(workflowId: string, body: BodyOf<"workflows_partial_update">, options?: RequestOptions): Promise<DataOf<"workflows_partial_update">> {
    return this.patchData(apiPath("workflows", workflowId), body, options);
  }

  /** PUT: the whole workflow. */
  replace(workflowId: string, body: BodyOf<"workflows_update">, options?: RequestOptions): Promise<DataOf<"workflows_update">> {
    return this.putData(apiPath("workflows", workflowId), body, options);
  }

  delete(workflowId: string, options?: RequestOptions): Promise<void> {
    return this.remove(apiPath("workflows", workflowId), options);
  }

  /** Problems with paths, without saving (a body checks that definition instead of the draft). */
  validate(workflowId: string, body: BodyOf<"workflows_validate_create"> = {}, options?: RequestOptions): Promise<DataOf<"workflows_validate_create">> {
    return this.postData(apiPath("workflows", workflowId, "validate"), body, options);
  }

  /** Run one node of the draft as a test run: the steps before it use pinned data, else their output in the run named. */
  testStep(workflowId: string, body: BodyOf<"workflows_test_step_create">, options?: RequestOptions): Promise<DataOf<"workflows_test_step_create">> {
    return this.postData(apiPath("workflows", workflowId, "test-step"), body, options);
  }

  /** The value the engine gives a setting's text in that node, on pinned data or the run's (`error` when it fails). */
  preview(workflowId: string, body: BodyOf<"workflows_preview_create">, options?: RequestOptions): Promise<DataOf<"workflows_preview_create">> {
    return this.postData(apiPath("workflows", workflowId, "preview"), body, options);
  }

  publish(workflowId: string, body: BodyOf<"workflows_publish_create"> = {}, options?: RequestOptions): Promise<DataOf<"workflows_publish_create">> {
    return this.postData(apiPath("workflows", workflowId, "publish"), body, options);
  }

  activate(workflowId: string, options?: RequestOptions): Promise<DataOf<"workflows_activate_create">> {
    return this.postData(apiPath("workflows", workflowId, "activate"), undefined, options);
  }

  deactivate(workflowId: string, options?: RequestOptions): Promise<DataOf<"workflows_deactivate_create">> {
    return this.postData(apiPath("workflows", workflowId, "deactivate"), undefined, options);
  }

  /** `POST /workflows/import`: a definition in any accepted form (nodes, states, configuration). */
  import(body: BodyOf<"workflows_import_create">, params: QueryOf<"workflows_import_create"> = {}, options?: RequestOptions): Promise<DataOf<"workflows_import_create">> {
    return this.postData(apiPath("workflows", "import"), body, options, params);
  }

  export(workflowId: string, params: QueryOf<"workflows_export_retrieve"> = {}, options?: RequestOptions): Promise<DataOf<"workflows_export_retrieve">> {
    return this.getData(apiPath("workflows", workflowId, "export"), params, options);
  }

  /**
   * Start a run. An `Idempotency-Key` goes with it (a fresh one unless `options.idempotencyKey`
   * names one), so a retried call never starts a second run. With `wait` (seconds, ≤ 60) the
   * answer is the finished execution when it ends in time, else `{execution_id, status, started_at}`.
   */
  execute(workflowId: string, body: ExecuteParams = {}, options: RequestOptions = {}): Promise<ExecuteAnswer> {
    const waitMs = (body.wait ?? 0) * 1000;
    const timeoutMs = options.timeoutMs ?? (waitMs ? waitMs + this.transport.settings.timeoutMs : undefined);
    const idempotencyKey = options.idempotencyKey ?? randomUUID();
    return this.postData(apiPath("workflows", workflowId, "execute"), body, { ...options, idempotencyKey, timeoutMs });
  }

  /**
   * Start a run and resolve with the finished execution (completed, failed or cancelled): the
   * server waits first (up to 60 s), then `executions.wait` follows the live events.
   */
  async executeAndWait(workflowId: string, body: Omit<ExecuteParams, "wait"> = {}, options: RequestOptions & WaitOptions = {}): Promise<Execution> {
    const deadline = Date.now() + (options.waitTimeoutMs ?? 300_000);
    const wait = Math.max(0, Math.min(MAX_SERVER_WAIT_SECONDS, Math.floor((deadline - Date.now()) / 1000)));
    const answer = await this.execute(workflowId, { ...body, wait }, options);
    if (isFinished(answer)) return answer;
    const executionId = "execution_id" in answer ? answer.execution_id : (answer as Execution).id;
    return this.executions.wait(executionId, { ...options, waitTimeoutMs: Math.max(0, deadline - Date.now()) });
  }

  /** This workflow's runs (`paging: "cursor"` or `"page"`; cursor by default when iterating). */
  listExecutions(workflowId: string, params: QueryOf<"workflows_executions_list"> & { paging?: Paging } = {}, options?: RequestOptions): PagePromise<ItemOf<"workflows_executions_list">> {
    return this.paginate(apiPath("workflows", workflowId, "executions"), params, options);
  }

  /** One run of this workflow (404 when the run belongs to another workflow). */
  retrieveExecution(workflowId: string, executionId: string, options?: RequestOptions): Promise<DataOf<"workflows_executions_retrieve">> {
    return this.getData(apiPath("workflows", workflowId, "executions", executionId), undefined, options);
  }

  metrics(workflowId: string, params: QueryOf<"workflows_metrics_retrieve"> = {}, options?: RequestOptions): Promise<DataOf<"workflows_metrics_retrieve">> {
    return this.getData(apiPath("workflows", workflowId, "metrics"), params, options);
  }
}

const FINISHED = new Set(["completed", "failed", "cancelled"]);

function isFinished(answer: ExecuteAnswer): answer is Execution {
  return "id" in answer && FINISHED.has(String(answer.status));
}

export function isFinishedStatus(status: unknown): boolean {
  return FINISHED.has(String(status));
}

export type { ExecutionStarted };

export class WorkflowVersions extends Resource {
  list(workflowId: string, params: QueryOf<"workflows_versions_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"workflows_versions_list">> {
    return this.paginate(apiPath("workflows", workflowId, "versions"), params, options);
  }

  retrieve(workflowId: string, number: number, options?: RequestOptions): Promise<DataOf<"workflows_versions_retrieve">> {
    return this.getData(apiPath("workflows", workflowId, "versions", number), undefined, options);
  }

  /** Make version `number` the draft again. */
  restore(workflowId: string, number: number, options?: RequestOptions): Promise<DataOf<"workflows_versions_restore_create">> {
    return this.postData(apiPath("workflows", workflowId, "versions", number, "restore"), undefined, options);
  }
}

export class WorkflowHooks extends Resource {
  /** The inbound URLs of the workflow's webhook triggers. */
  list(workflowId: string, options?: RequestOptions): Promise<DataOf<"workflows_hooks_list">> {
    return this.getData(apiPath("workflows", workflowId, "hooks"), undefined, options);
  }

  /** A new token for a hook; the old URL stops at once. */
  regenerate(workflowId: string, nodeId: string, options?: RequestOptions): Promise<DataOf<"workflows_hooks_regenerate_create">> {
    return this.postData(apiPath("workflows", workflowId, "hooks", nodeId, "regenerate"), undefined, options);
  }
}
