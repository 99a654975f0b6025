/**
 * Types picked out of the generated `schema.ts` (openapi-typescript over /api/v1/schema/):
 * the request body, query and answer data of an operation, by its operationId.
 */
import type { components, operations } from "./schema.js";

export type Schemas = components["schemas"];
export type OperationId = keyof operations;
type Op<K extends OperationId> = operations[K];

type Json<R> = R extends { content: { "application/json": infer J } } ? J : never;
type Responses<K extends OperationId> = Op<K> extends { responses: infer R } ? R : never;
type SuccessJson<K extends OperationId> = {
  [S in keyof Responses<K>]: S extends 200 | 201 | 202 ? Json<Responses<K>[S]> : never;
}[keyof Responses<K>];

/** What `data` holds in the success answer of an operation. */
export type DataOf<K extends OperationId> = SuccessJson<K> extends { data: infer D } ? D : never;
/** One item of a list operation's `data`. */
export type ItemOf<K extends OperationId> = DataOf<K> extends ReadonlyArray<infer I> ? I : never;
/** The JSON body an operation takes. */
export type BodyOf<K extends OperationId> = Op<K> extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
/** The query parameters an operation takes. */
export type QueryOf<K extends OperationId> = Op<K> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Workflow = Schemas["Workflow"];
export type Execution = Schemas["Execution"];
export type ExecutionStarted = Schemas["ExecutionStarted"];
export type Step = Schemas["Step"];
export type PageMeta = Schemas["PageMeta"];
export type ExecuteRequest = Schemas["ExecuteRequest"];

/** A live event of a run, as `GET /executions/{id}/events` and the WebSocket give it. */
export interface ExecutionEvent {
  event: string;
  execution_id: string;
  workflow_id: string;
  seq: number;
  data: Record<string, unknown>;
}
