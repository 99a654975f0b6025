/** Auto-layout: left-to-right layers with dagre, keeping each node's size. */
import dagre from "@dagrejs/dagre";
import type { WorkflowFlowEdge, WorkflowFlowNode } from "../mapping";

const DEFAULT_WIDTH = 240;
const DEFAULT_HEIGHT = 96;

export function layoutNodes(nodes: WorkflowFlowNode[], edges: WorkflowFlowEdge[]): WorkflowFlowNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, {
      width: node.measured?.width ?? DEFAULT_WIDTH,
      height: node.measured?.height ?? DEFAULT_HEIGHT,
    });
  }
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    if (!placed) return node;
    const width = node.measured?.width ?? DEFAULT_WIDTH;
    const height = node.measured?.height ?? DEFAULT_HEIGHT;
    return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) } };
  });
}

/** Fit view everywhere (toolbar, F, load, tidy-up): at most 1.2x, and never below 0.75x so node
 * text stays readable (about 10 px); a flow larger than the canvas at 0.75x is panned, not shrunk. */
export const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2, minZoom: 0.75 } as const;
