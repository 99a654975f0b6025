/** The React Flow canvas: drawing, dropping from the palette, and connection rules with reasons. */
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type FinalConnectionState,
  type IsValidConnection,
  type XYPosition,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useState, type DragEvent } from "react";
import { categoryLook } from "../canvas/categories";
import { FIT_VIEW_OPTIONS } from "../canvas/layout";
import { flowNodeTypes } from "../canvas/nodeTypes";
import { NoteActionsContext } from "../canvas/StickyNoteCard";
import { NOTE_SIZE, type NoteFlowNode } from "../notes";
import { checkConnection } from "../connection";
import type { WorkflowFlowEdge, WorkflowFlowNode } from "../mapping";
import type { NodeTypeInfo } from "../types";
import { PRESET_MIME, readPreset, type NodePreset } from "./functionPalette";
import { DRAG_MIME } from "./Palette";
import type { Notify } from "./useToasts";
import type { WorkflowDocument } from "./useWorkflowDocument";

interface Props {
  doc: WorkflowDocument;
  nodeTypes: Record<string, NodeTypeInfo>;
  readOnly: boolean;
  onDropType: (type: string, position: XYPosition, preset?: NodePreset) => void;
  notify: Notify;
}

/** The link a finished drag describes, whichever end the user started from. */
function linkOf(state: FinalConnectionState, event: MouseEvent | TouchEvent) {
  if (!state.fromNode) return null;
  let toNodeId = state.toNode?.id ?? null;
  if (!toNodeId && event.target instanceof Element) {
    toNodeId = event.target.closest(".react-flow__node")?.getAttribute("data-id") ?? null;
  }
  if (!toNodeId) return null;
  if (state.fromHandle?.type === "target") {
    return { source: toNodeId, sourceHandle: state.toHandle?.id ?? "out", target: state.fromNode.id };
  }
  return { source: state.fromNode.id, sourceHandle: state.fromHandle?.id ?? "out", target: toNodeId };
}

const MAP_KEY = "flowbuilder.minimap";

/** The minimap starts hidden on screens where it would sit on the nodes (under 1440 px wide);
 * the user's own choice, once made, is remembered. */
function initialMapShown(): boolean {
  const stored = window.localStorage.getItem(MAP_KEY);
  return stored === null ? window.innerWidth >= 1440 : stored === "shown";
}

/**
 * The document's nodes with an accessible name (label and type) for screen readers. A node
 * object that did not change keeps its named copy, so React Flow sees the same object and
 * does not re-process all nodes when one moves.
 */
function useNamedNodes(nodes: WorkflowFlowNode[], nodeTypes: Record<string, NodeTypeInfo>) {
  const cache = useRef({ nodeTypes, named: new WeakMap<WorkflowFlowNode, WorkflowFlowNode>() });
  if (cache.current.nodeTypes !== nodeTypes) cache.current = { nodeTypes, named: new WeakMap() };
  return useMemo(() => {
    const { named } = cache.current;
    return nodes.map((node) => {
      let copy = named.get(node);
      if (!copy) {
        const type = nodeTypes[node.data.type]?.label ?? node.data.type;
        copy = { ...node, ariaLabel: `${node.data.name || type}, ${type} node` };
        named.set(node, copy);
      }
      return copy;
    });
  }, [nodes, nodeTypes]);
}

export function Canvas({ doc, nodeTypes, readOnly, onDropType, notify }: Props) {
  const { screenToFlowPosition, fitView } = useReactFlow();
  const { nodes, edges } = doc;
  const [showMap, setShowMap] = useState(initialMapShown);
  const toggleMap = useCallback(() => {
    setShowMap((shown) => {
      window.localStorage.setItem(MAP_KEY, shown ? "hidden" : "shown");
      return !shown;
    });
  }, []);

  const namedNodes = useNamedNodes(nodes, nodeTypes);
  const drawn = useMemo(() => [...doc.notes, ...namedNodes], [doc.notes, namedNodes]);
  const noteActions = useMemo(() => ({ update: doc.updateNote, remove: doc.removeNote, readOnly }), [doc.updateNote, doc.removeNote, readOnly]);
  // A new note goes above the steps (notes sit under them and their edges), or mid-canvas on an empty one.
  const addNote = useCallback(() => {
    const box = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const center = box ? { x: box.left + box.width / 2 - 130, y: box.top + box.height / 2 - 80 } : { x: 200, y: 200 };
    const taken = [...nodes, ...doc.notes];
    const spot = taken.length
      ? { x: Math.min(...taken.map((n) => n.position.x)), y: Math.min(...taken.map((n) => n.position.y)) - NOTE_SIZE.height - 40 }
      : screenToFlowPosition(center);
    doc.addNote(spot);
    window.setTimeout(() => void fitView({ ...FIT_VIEW_OPTIONS, duration: 200 }), 30);
  }, [doc, nodes, screenToFlowPosition, fitView]);

  const isValidConnection: IsValidConnection<WorkflowFlowEdge> = useCallback(
    (link) => checkConnection(link, nodes, edges, nodeTypes).ok,
    [nodes, edges, nodeTypes],
  );

  const onConnect = useCallback(
    (link: Connection) => {
      const verdict = checkConnection(link, nodes, edges, nodeTypes);
      if (verdict.ok) doc.connect(link.source, link.sourceHandle ?? "out", link.target);
      else notify(verdict.reason, "error");
    },
    [doc, nodes, edges, nodeTypes, notify],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid === true) return;
      const link = linkOf(state, event);
      if (!link) return;
      const verdict = checkConnection(link, nodes, edges, nodeTypes);
      if (!verdict.ok) notify(verdict.reason, "error");
    },
    [nodes, edges, nodeTypes, notify],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME) || event.dataTransfer.getData("text/plain");
      if (!type || readOnly) return;
      const preset = readPreset(event.dataTransfer.getData(PRESET_MIME)) ?? undefined;
      onDropType(type, screenToFlowPosition({ x: event.clientX - 110, y: event.clientY - 30 }), preset);
    },
    [onDropType, readOnly, screenToFlowPosition],
  );

  return (
    <div className="canvas" id="canvas" tabIndex={-1} role="region" aria-label="Canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <NoteActionsContext.Provider value={noteActions}>
      <ReactFlow<WorkflowFlowNode | NoteFlowNode, WorkflowFlowEdge>
        nodes={drawn}
        edges={edges}
        nodeTypes={flowNodeTypes}
        onNodesChange={doc.onNodesChange}
        onEdgesChange={doc.onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        defaultEdgeOptions={{ type: "default" }}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#cbd5e1" />
        <Controls showInteractive={false} fitViewOptions={FIT_VIEW_OPTIONS}>
          <ControlButton onClick={toggleMap} title={showMap ? "Hide the minimap" : "Show the minimap"} aria-label={showMap ? "Hide the minimap" : "Show the minimap"} aria-pressed={showMap} data-testid="minimap-toggle">
            ▦
          </ControlButton>
          {!readOnly && (
            <ControlButton onClick={addNote} title="Add a sticky note" aria-label="Add a sticky note" data-testid="add-note">
              ✎
            </ControlButton>
          )}
        </Controls>
        {showMap && <MiniMap
          style={{ width: 120, height: 80 }}
          pannable
          zoomable
          nodeColor={(node) => (node.type === "note" ? "#fde68a" : categoryLook(nodeTypes[(node as WorkflowFlowNode).data.type]?.category ?? "").color)}
          nodeStrokeWidth={2}
        />}
      </ReactFlow>
      </NoteActionsContext.Provider>
      {nodes.length === 0 && (
        <div className="canvas-empty">
          {readOnly ? "This workflow has no nodes yet." : "Drag a trigger from the palette to start your flow."}
        </div>
      )}
    </div>
  );
}
