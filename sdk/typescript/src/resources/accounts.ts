/** The organization: API keys, members, projects, usage, audit log; node types, metrics, system. */
import type { RequestOptions } from "../http.js";
import type { PagePromise } from "../pagination.js";
import type { BodyOf, DataOf, ItemOf, QueryOf } from "../types.js";
import { Resource, apiPath } from "./base.js";

export class ApiKeys extends Resource {
  list(params: QueryOf<"api_keys_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"api_keys_list">> {
    return this.paginate(apiPath("api-keys"), params, options);
  }

  /** A new key; its plaintext is in the answer once and never again. */
  create(body: BodyOf<"api_keys_create">, options?: RequestOptions): Promise<DataOf<"api_keys_create">> {
    return this.postData(apiPath("api-keys"), body, options);
  }

  retrieve(keyId: string, options?: RequestOptions): Promise<DataOf<"api_keys_retrieve">> {
    return this.getData(apiPath("api-keys", keyId), undefined, options);
  }

  /** Revoke a key (it stops working at once). */
  delete(keyId: string, options?: RequestOptions): Promise<void> {
    return this.remove(apiPath("api-keys", keyId), options);
  }
}

export class Members extends Resource {
  list(params: QueryOf<"members_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"members_list">> {
    return this.paginate(apiPath("members"), params, options);
  }

  retrieve(memberId: string, options?: RequestOptions): Promise<DataOf<"members_retrieve">> {
    return this.getData(apiPath("members", memberId), undefined, options);
  }

  /** Change a member's role (admins). */
  update(memberId: string, body: BodyOf<"members_partial_update">, options?: RequestOptions): Promise<DataOf<"members_partial_update">> {
    return this.patchData(apiPath("members", memberId), body, options);
  }

  /** Remove a member: their keys are revoked and their sessions end. */
  delete(memberId: string, options?: RequestOptions): Promise<void> {
    return this.remove(apiPath("members", memberId), options);
  }
}

export class Projects extends Resource {
  list(params: QueryOf<"projects_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"projects_list">> {
    return this.paginate(apiPath("projects"), params, options);
  }
}

export class Usage extends Resource {
  retrieve(params: QueryOf<"usage_retrieve"> = {}, options?: RequestOptions): Promise<DataOf<"usage_retrieve">> {
    return this.getData(apiPath("usage"), params, options);
  }
}

export class AuditLog extends Resource {
  /** Who did what, when (admins). */
  list(params: QueryOf<"audit_log_list"> = {}, options?: RequestOptions): PagePromise<ItemOf<"audit_log_list">> {
    return this.paginate(apiPath("audit-log"), params, options);
  }
}

export class NodeTypes extends Resource {
  /** Every node type: ports, config JSON Schema, an example. */
  list(params: QueryOf<"node_types_retrieve"> = {}, options?: RequestOptions): Promise<DataOf<"node_types_retrieve">> {
    return this.getData(apiPath("node-types"), params, options);
  }
}

export class Metrics extends Resource {
  /** A workflow's totals, success rate, durations and series (`granularity`: hour, day, week, month). */
  workflow(workflowId: string, params: QueryOf<"workflows_metrics_retrieve"> = {}, options?: RequestOptions): Promise<DataOf<"workflows_metrics_retrieve">> {
    return this.getData(apiPath("workflows", workflowId, "metrics"), params, options);
  }
}

export class System extends Resource {
  /** Queues, workers, stuck and waiting runs (admins). */
  queue(options?: RequestOptions): Promise<DataOf<"system_queue_retrieve">> {
    return this.getData(apiPath("system", "queue"), undefined, options);
  }

  /** Hand a stuck execution back to the queue (admins). */
  requeue(executionId: string, options?: RequestOptions): Promise<DataOf<"system_executions_requeue_create">> {
    return this.postData(apiPath("system", "executions", executionId, "requeue"), undefined, options);
  }
}

export class WsTickets extends Resource {
  /** A single-use ticket (60 s) for `/ws/executions/<id>/` and `/ws/workflows/<id>/`. */
  create(options?: RequestOptions): Promise<DataOf<"ws_tickets_create">> {
    return this.postData(apiPath("ws-tickets"), undefined, options);
  }
}
