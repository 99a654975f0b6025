/** Rules for drawing an edge, each refusal with a reason a builder can read. */
import type { Connection } from "@xyflow/react";
import { isTrigger, outputPorts, type WorkflowFlowEdge, type WorkflowFlowNode } from "./mapping";
import type { NodeTypeInfo } from "./types";

export type ConnectionVerdict = { ok: true } | { ok: false; reason: string };

type Link = Pick<Connection, "source" | "target"> & { sourceHandle?: string | null };

export function checkConnection(
  link: Link,
  nodes: WorkflowFlowNode[],
  edges: WorkflowFlowEdge[],
  nodeTypes: Record<string, NodeTypeInfo>,
): ConnectionVerdict {
  const source = nodes.find((node) => node.id === link.source);
  const target = nodes.find((node) => node.id === link.target);
  if (!source || !target) return { ok: false, reason: "Connect two nodes on the canvas." };
  if (source.id === target.id) return { ok: false, reason: "A node can't connect to itself." };
  const targetType = nodeTypes[target.data.type];
  if (isTrigger(targetType)) {
    return { ok: false, reason: `“${target.data.name || target.id}” is a trigger: it starts the flow and takes no input.` };
  }
  const port = link.sourceHandle ?? "out";
  const ports = outputPorts(nodeTypes[source.data.type], source.data.config);
  if (!ports.includes(port)) return { ok: false, reason: `“${source.data.name || source.id}” has no “${port}” output.` };
  const duplicate = edges.some(
    (edge) => edge.source === source.id && edge.target === target.id && (edge.data?.port ?? edge.sourceHandle) === port,
  );
  if (duplicate) return { ok: false, reason: `These nodes are already connected from “${port}”.` };
  return { ok: true };
}
