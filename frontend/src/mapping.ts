/**
 * The mapping layer: the workflow definition (what the API stores) ⇄ React Flow's nodes and
 * edges (what the canvas draws). Pure functions, so the round trip is unit-tested.
 */
import type { Edge, Node } from "@xyflow/react";
import { flowNoteToDefinition, noteToFlow, type NoteFlowNode } from "./notes";
import type {
  Definition,
  DefinitionEdge,
  DefinitionNode,
  JsonObject,
  JsonValue,
  NodeTypeInfo,
  PinnedData,
  Problem,
  RetryPolicy,
} from "./types";

export const ERROR_PORT = "error";
export const INPUT_HANDLE = "in";
export const WORKFLOW_NODE = "workflow";

export type WorkflowNodeData = {
  type: string;
  name: string;
  config: JsonObject;
  retry?: RetryPolicy;
  timeout_seconds?: number;
};
export type WorkflowFlowNode = Node<WorkflowNodeData, typeof WORKFLOW_NODE>;
export type WorkflowEdgeData = { port: string };
export type WorkflowFlowEdge = Edge<WorkflowEdgeData>;

/** The parts of a definition the canvas does not draw, carried through unchanged. */
export interface DefinitionExtras {
  variables: JsonObject;
  settings: JsonObject;
  pinned: Record<string, PinnedData>;
}

/** Sticky notes drawn on the canvas beside the steps (notes.ts). */
export type CanvasNotes = NoteFlowNode[];

export function nodeToFlow(node: DefinitionNode): WorkflowFlowNode {
  const data: WorkflowNodeData = { type: node.type, name: node.name ?? "", config: node.config ?? {} };
  if (node.retry) data.retry = node.retry;
  if (node.timeout_seconds !== undefined && node.timeout_seconds !== null) data.timeout_seconds = node.timeout_seconds;
  return {
    id: node.id,
    type: WORKFLOW_NODE,
    position: { x: node.position?.x ?? 0, y: node.position?.y ?? 0 },
    data,
  };
}

export function edgeToFlow(edge: DefinitionEdge): WorkflowFlowEdge {
  const port = edge.source_port || "out";
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: port,
    target: edge.target,
    targetHandle: INPUT_HANDLE,
    data: { port },
    className: port === ERROR_PORT ? "edge-error" : undefined,
    // Which way a branch goes, on the line itself: "true"/"false" out of an If, a case name
    // out of a Switch, "error" out of an error port. The plain output needs no label.
    ...(port === "out" ? {} : { label: port, labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 4 }),
  };
}

export function definitionToFlow(definition: Partial<Definition>): {
  nodes: WorkflowFlowNode[];
  edges: WorkflowFlowEdge[];
  extras: DefinitionExtras;
  notes: CanvasNotes;
} {
  return {
    notes: (Array.isArray(definition.notes) ? definition.notes : []).map(noteToFlow),
    nodes: (definition.nodes ?? []).map(nodeToFlow),
    edges: (definition.edges ?? []).map(edgeToFlow),
    extras: { variables: definition.variables ?? {}, settings: definition.settings ?? {}, pinned: definition.pinned ?? {} },
  };
}

export function flowNodeToDefinition(node: WorkflowFlowNode): DefinitionNode {
  const out: DefinitionNode = {
    id: node.id,
    type: node.data.type,
    name: node.data.name,
    config: node.data.config,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
  };
  if (node.data.retry) out.retry = node.data.retry;
  if (node.data.timeout_seconds !== undefined) out.timeout_seconds = node.data.timeout_seconds;
  return out;
}

export function flowEdgeToDefinition(edge: WorkflowFlowEdge): DefinitionEdge {
  return {
    id: edge.id,
    source: edge.source,
    source_port: edge.data?.port ?? edge.sourceHandle ?? "out",
    target: edge.target,
  };
}

export function flowToDefinition(
  nodes: WorkflowFlowNode[],
  edges: WorkflowFlowEdge[],
  extras: DefinitionExtras,
  notes: CanvasNotes = [],
): Definition {
  const definition: Definition = {
    nodes: nodes.map(flowNodeToDefinition),
    edges: edges.map(flowEdgeToDefinition),
    variables: extras.variables,
    settings: extras.settings,
  };
  // A deleted node takes its pin with it; no pins, no key (older definitions stay byte-equal).
  const ids = new Set(nodes.map((n) => n.id));
  const pinned = Object.entries(extras.pinned ?? {}).filter(([id]) => ids.has(id));
  if (pinned.length) definition.pinned = Object.fromEntries(pinned);
  if (notes.length) definition.notes = notes.map(flowNoteToDefinition);
  return definition;
}

/** A switch case names its port: a scalar by its text, an object case by its `port`. */
export function casePort(entry: JsonValue): string {
  if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) return String(entry.port ?? "");
  return String(entry);
}

/** Ports an edge may leave from, in drawing order; mirrors the engine's `output_ports`. */
export function outputPorts(nodeType: NodeTypeInfo | undefined, config: JsonObject): string[] {
  if (!nodeType) return ["out"];
  const ports: string[] = [];
  if (nodeType.type === "logic.switch" && Array.isArray(config.cases)) {
    for (const entry of config.cases) {
      const port = casePort(entry);
      if (port && !ports.includes(port)) ports.push(port);
    }
  }
  for (const port of nodeType.outputs) if (!ports.includes(port)) ports.push(port);
  if (nodeType.category !== "trigger" && !ports.includes(ERROR_PORT)) ports.push(ERROR_PORT);
  return ports;
}

export function isTrigger(nodeType: NodeTypeInfo | undefined): boolean {
  return nodeType?.category === "trigger" || (nodeType !== undefined && nodeType.inputs.length === 0);
}

/** A fresh slug id for a node of `type`: `request`, then `request_2`, `request_3`, … */
export function newNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = (type.split(".").pop() ?? "node").replace(/[^A-Za-z0-9_-]/g, "_") || "node";
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

export function newEdgeId(source: string, port: string, target: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = `${source}-${port}-${target}`;
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Which node a validation problem is about: its `node_id`, else the `nodes[i]` its path names. */
export function problemNodeId(problem: Problem, definition: Pick<Definition, "nodes" | "edges">): string | null {
  if (problem.node_id) return problem.node_id;
  const nodeMatch = /^nodes\[(\d+)\]/.exec(problem.path);
  if (nodeMatch) return definition.nodes[Number(nodeMatch[1])]?.id ?? null;
  const edgeMatch = /^edges\[(\d+)\]/.exec(problem.path);
  if (edgeMatch) return definition.edges[Number(edgeMatch[1])]?.source ?? null;
  return null;
}

/** The config field a problem path points at (`nodes[2].config.url` → `url`), if any. */
export function problemField(problem: Problem): string | null {
  const match = /\.config\.([A-Za-z0-9_]+)/.exec(problem.path);
  return match ? (match[1] ?? null) : null;
}

export function problemsByNode(problems: Problem[], definition: Pick<Definition, "nodes" | "edges">): Record<string, Problem[]> {
  const out: Record<string, Problem[]> = {};
  for (const problem of problems) {
    const id = problemNodeId(problem, definition);
    if (id) (out[id] ??= []).push(problem);
  }
  return out;
}

/** A definition as the editor writes it back (node order, optional keys, rounded positions). */
export function normalizeDefinition(definition: Partial<Definition>): Definition {
  const flow = definitionToFlow(definition);
  return flowToDefinition(flow.nodes, flow.edges, flow.extras, flow.notes);
}
