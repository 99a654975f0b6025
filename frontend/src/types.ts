/** Shapes that travel between the editor and the public API (see shared/docs/api.md). */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A JSON Schema property as the node types declare them, with Flowbuilder's `x-` hints. */
export interface JsonSchema {
  type?: string | string[];
  enum?: JsonValue[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  description?: string;
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  oneOf?: JsonSchema[];
  "x-expression"?: boolean;
  /** The credential types a credential field accepts (the API's `credential-types`). */
  "x-credential-types"?: string[];
  /** The connection kinds a connection field accepts. */
  "x-connection-kinds"?: string[];
  /** A field naming one of the project's forms. */
  "x-form"?: boolean;
  /** A field naming one of the project's knowledge bases (ai.chat's knowledge_base). */
  "x-knowledge-base"?: boolean;
  [key: string]: unknown;
}

export interface NodeTypeInfo {
  type: string;
  category: string;
  label: string;
  description: string;
  inputs: string[];
  outputs: string[];
  config_schema: JsonSchema;
  example: JsonObject;
}

export interface RetryPolicy {
  max_attempts?: number;
  backoff_seconds?: number;
  backoff_multiplier?: number;
  max_delay_seconds?: number;
}

export interface DefinitionNode {
  id: string;
  type: string;
  name: string;
  config: JsonObject;
  position: { x: number; y: number };
  retry?: RetryPolicy;
  timeout_seconds?: number;
}

export interface DefinitionEdge {
  id: string;
  source: string;
  source_port: string;
  target: string;
}

/** A node's pinned output: used instead of running it in test runs, never in production (D24). */
export interface PinnedData {
  output: JsonValue;
  /** The port it leaves by (a branch's `true`/`false`); the node's first port when absent. */
  port?: string;
}

export type NoteColor = "yellow" | "blue" | "green" | "pink" | "grey";

/** A sticky note on the canvas: Markdown text, never executed (D24). */
export interface StickyNote {
  id: string;
  text: string;
  position: { x: number; y: number };
  width?: number;
  height?: number;
  color?: NoteColor;
}

export interface Definition {
  nodes: DefinitionNode[];
  edges: DefinitionEdge[];
  variables: JsonObject;
  settings: JsonObject;
  pinned?: Record<string, PinnedData>;
  notes?: StickyNote[];
}

export interface Problem {
  path: string;
  code: string;
  message: string;
  node_id?: string | null;
  /** In an expression problem: the character offset in the field's text. */
  position?: number;
  /** Where to set it up (a page of the product), for "Set up first" problems. */
  link?: string;
  /** What the builder can do about it, e.g. {label: "Create function X", href} for a missing function. */
  action?: { label?: string; href?: string };
}

export type WorkflowStatus = "draft" | "active" | "inactive";

export interface Workflow {
  id: string;
  name: string;
  description: string;
  status: WorkflowStatus;
  channel?: string;
  definition: Definition;
  published_version: number | null;
  problems?: Problem[];
  created_at?: string;
  updated_at?: string;
}

export interface Version {
  number: number;
  note: string;
  created_at: string;
  created_by?: string | null;
}

export type ExecutionStatus = "pending" | "running" | "waiting" | "completed" | "failed" | "cancelled";
export type StepStatus = "running" | "succeeded" | "failed" | "retrying" | "waiting" | "skipped";
/** What a node shows on the canvas during a run; `queued` = in the run but not reached yet. */
export type NodeRunState = "queued" | StepStatus;

export interface ExecutionError {
  node_id?: string;
  code?: string;
  message?: string;
  [key: string]: unknown;
}

export interface ExecutionStep {
  step_key: string;
  node_id: string;
  type?: string;
  status: StepStatus;
  attempt: number;
  started_at?: string | null;
  completed_at?: string | null;
  duration_ms?: number | null;
  input?: JsonValue;
  output?: JsonValue;
  output_port?: string | null;
  error?: ExecutionError | JsonValue | null;
}

export interface Execution {
  id: string;
  workflow_id: string;
  version: string | number | null;
  status: ExecutionStatus;
  input?: JsonValue;
  output?: JsonValue;
  error?: ExecutionError | JsonValue | null;
  started_at?: string | null;
  completed_at?: string | null;
  duration_ms?: number | null;
  steps: ExecutionStep[];
  /** Large runs list only their first steps; the rest are paged from `executions/{id}/steps`. */
  step_count?: number;
  steps_complete?: boolean;
  steps_next_cursor?: string | null;
  /** Live events up to this seq are reflected in this answer. */
  event_seq?: number | null;
}

/** The shape of a step value too large to travel inline: a preview and where the whole value is. */
export interface TruncatedValue {
  $truncated: { bytes: number; preview: string; url: string };
}

export interface EventsMeta {
  after: number;
  last_seq: number;
  next_after: number;
  has_more: boolean;
  complete: boolean;
  status: ExecutionStatus;
}

export interface PageMeta {
  next_cursor?: string | null;
  has_more?: boolean;
}

export interface StepEventData {
  step_key: string;
  node_id: string;
  node_type?: string;
  status: StepStatus;
  attempt: number;
  input?: JsonValue;
  output?: JsonValue;
  output_port?: string | null;
  error?: ExecutionError | JsonValue | null;
  started_at?: string | null;
  finished_at?: string | null;
}

export type ExecutionEvent =
  | { event: "snapshot"; execution: Execution; seq?: number }
  | { event: "execution.started"; execution_id: string; seq: number; data: Record<string, unknown> }
  | { event: "execution.finished"; execution_id: string; seq: number; data: { status: ExecutionStatus; output?: JsonValue; error?: ExecutionError | JsonValue | null } }
  | { event: "log"; execution_id: string; seq: number; data: Record<string, unknown> }
  /** Other run-level events (`execution.waiting`, `execution.recovered`, …) carry a status or nothing we draw. */
  | { event: `execution.${string}`; execution_id: string; seq: number; data: Record<string, unknown> }
  | {
      event: "step.started" | "step.succeeded" | "step.failed" | "step.retrying" | "step.waiting" | "step.skipped";
      execution_id: string;
      seq: number;
      data: StepEventData;
    };

export interface FormFieldSummary {
  key: string;
  label: string;
  type: string;
}

export interface FunctionSummary {
  id: string;
  name: string;
  kind: "code" | "ai" | "http";
  description?: string;
  /** Kind-specific; an AI function's `input_schema` gives the palette preset its input's shape. */
  spec?: JsonObject;
}

export interface KnowledgeBaseSummary {
  id: string;
  name: string;
  description: string;
  document_count: number;
}

export interface FormSummary {
  id: string;
  name: string;
  slug: string;
  fields: FormFieldSummary[];
}

export interface CredentialSummary {
  id: string;
  name: string;
  type: string;
}

export interface ConnectionSummary {
  id: string;
  name: string;
  type?: string;
}

/** What `POST /workflows/{id}/preview` answers: a setting's value with the engine on test data. */
export interface PreviewResult {
  value: JsonValue;
  error: string | null;
  data_from: "pinned" | "run" | "none";
  execution_id: string | null;
}
