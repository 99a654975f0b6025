/**
 * The draft being edited: React Flow nodes and edges plus the parts the canvas does not
 * draw, with an undo/redo history of whole definitions and the edits the editor offers.
 */
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  definitionToFlow,
  edgeToFlow,
  flowToDefinition,
  newEdgeId,
  newNodeId,
  type DefinitionExtras,
  type WorkflowFlowEdge,
  type WorkflowFlowNode,
  type WorkflowNodeData,
} from "../mapping";
import type { Definition, DefinitionEdge, JsonObject, NodeTypeInfo, PinnedData } from "../types";
import { withPin } from "../testData";
import { NOTE_SIZE, newNoteId, type NoteData, type NoteFlowNode } from "../notes";
import type { NodePreset } from "./functionPalette";
import { recordState, redoState, startHistory, undoState, type History } from "./history";

const COALESCE_MS = 700;

export interface Clipboard {
  nodes: WorkflowFlowNode[];
  edges: WorkflowFlowEdge[];
}

export function useWorkflowDocument(readOnly: boolean) {
  const [nodes, setNodes] = useState<WorkflowFlowNode[]>([]);
  const [edges, setEdges] = useState<WorkflowFlowEdge[]>([]);
  const [extras, setExtras] = useState<DefinitionExtras>({ variables: {}, settings: {}, pinned: {} });
  const [notes, setNotes] = useState<NoteFlowNode[]>([]);
  const [history, setHistory] = useState<History>(() => startHistory(""));
  const lastTyping = useRef(0);
  const clipboard = useRef<Clipboard | null>(null);

  const definition = useMemo(() => flowToDefinition(nodes, edges, extras, notes), [nodes, edges, extras, notes]);
  const definitionJson = useMemo(() => JSON.stringify(definition), [definition]);
  const dragging = nodes.some((node) => node.dragging) || notes.some((note) => note.dragging || note.resizing);

  const replaceDefinition = useCallback((next: Partial<Definition>, keepSelection = true) => {
    const flow = definitionToFlow(next);
    setNodes((current) => {
      const selected = new Set(keepSelection ? current.filter((n) => n.selected).map((n) => n.id) : []);
      return flow.nodes.map((node) => (selected.has(node.id) ? { ...node, selected: true } : node));
    });
    setEdges(flow.edges);
    setExtras(flow.extras);
    setNotes(flow.notes);
  }, []);

  const load = useCallback(
    (next: Partial<Definition>) => {
      replaceDefinition(next, false);
      const flow = definitionToFlow(next);
      setHistory(startHistory(JSON.stringify(flowToDefinition(flow.nodes, flow.edges, flow.extras, flow.notes))));
    },
    [replaceDefinition],
  );

  // Every settled change becomes a history entry; a burst of typing in one field becomes one.
  const typingBurst = useRef(false);
  useEffect(() => {
    if (dragging) return;
    const typing = Date.now() - lastTyping.current < COALESCE_MS;
    const coalesce = typing && typingBurst.current;
    typingBurst.current = typing;
    setHistory((h) => (h.present === "" ? h : recordState(h, definitionJson, coalesce)));
  }, [definitionJson, dragging]);

  const undo = useCallback(() => {
    const next = undoState(history);
    if (next === history) return;
    typingBurst.current = false;
    setHistory(next);
    replaceDefinition(JSON.parse(next.present) as Definition);
  }, [history, replaceDefinition]);

  const redo = useCallback(() => {
    const next = redoState(history);
    if (next === history) return;
    typingBurst.current = false;
    setHistory(next);
    replaceDefinition(JSON.parse(next.present) as Definition);
  }, [history, replaceDefinition]);

  const noteIds = useMemo(() => new Set(notes.map((n) => n.id)), [notes]);
  const onNodesChange = useCallback(
    (changes: NodeChange<WorkflowFlowNode | NoteFlowNode>[]) => {
      const allowed = readOnly ? changes.filter((c) => c.type === "select" || c.type === "dimensions") : changes;
      // The canvas draws steps and notes together; each change goes back to its own list.
      const isNote = (c: NodeChange<WorkflowFlowNode | NoteFlowNode>) => "id" in c && noteIds.has(c.id);
      const forNotes = allowed.filter(isNote) as NodeChange<NoteFlowNode>[];
      const forSteps = allowed.filter((c) => !isNote(c)) as NodeChange<WorkflowFlowNode>[];
      if (forNotes.length) setNotes((current) => applyNodeChanges(forNotes, current));
      if (forSteps.length) setNodes((current) => applyNodeChanges(forSteps, current));
    },
    [readOnly, noteIds],
  );

  /** A new sticky note at `position`, selected. */
  const addNote = useCallback(
    (position: XYPosition) => {
      const id = newNoteId([...nodes.map((n) => n.id), ...notes.map((n) => n.id)]);
      const note: NoteFlowNode = {
        id,
        type: "note",
        position: { x: Math.round(position.x), y: Math.round(position.y) },
        width: NOTE_SIZE.width,
        height: NOTE_SIZE.height,
        zIndex: -1,
        data: { text: "", color: "yellow" },
      };
      setNotes((current) => [...current, note]);
      return id;
    },
    [nodes, notes],
  );

  const updateNote = useCallback((id: string, patch: Partial<NoteData>) => {
    lastTyping.current = Date.now();
    setNotes((current) => current.map((note) => (note.id === id ? { ...note, data: { ...note.data, ...patch } } : note)));
  }, []);

  const removeNote = useCallback((id: string) => setNotes((current) => current.filter((note) => note.id !== id)), []);

  const onEdgesChange = useCallback(
    (changes: EdgeChange<WorkflowFlowEdge>[]) => {
      const allowed = readOnly ? changes.filter((c) => c.type === "select") : changes;
      setEdges((current) => applyEdgeChanges(allowed, current));
    },
    [readOnly],
  );

  const connect = useCallback((source: string, port: string, target: string) => {
    setEdges((current) => {
      const edge: DefinitionEdge = { id: newEdgeId(source, port, target, current.map((e) => e.id)), source, source_port: port, target };
      return [...current, edgeToFlow(edge)];
    });
  }, []);

  const addNode = useCallback((nodeType: NodeTypeInfo, position: XYPosition, takenIds: string[], preset?: NodePreset) => {
    const id = newNodeId(nodeType.type, takenIds);
    const node: WorkflowFlowNode = {
      id,
      type: "workflow",
      position: { x: Math.round(position.x), y: Math.round(position.y) },
      data: { type: nodeType.type, name: preset?.name ?? nodeType.label, config: preset?.config ?? {} },
      selected: true,
    };
    setNodes((current) => [...current.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
    return id;
  }, []);

  const updateNodeData = useCallback((id: string, patch: Partial<WorkflowNodeData>) => {
    lastTyping.current = Date.now();
    setNodes((current) => current.map((node) => (node.id === id ? { ...node, data: { ...node.data, ...patch } } : node)));
  }, []);

  const selectNode = useCallback((id: string | null) => {
    setNodes((current) => current.map((node) => ({ ...node, selected: node.id === id })));
    setEdges((current) => current.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)));
  }, []);

  const updateVariables = useCallback((variables: JsonObject) => {
    lastTyping.current = Date.now();
    setExtras((current) => ({ ...current, variables }));
  }, []);

  /** Pin `nodeId`'s output (used instead of running it in test runs), or unpin it with null. */
  const setPin = useCallback((nodeId: string, pin: PinnedData | null) => {
    setExtras((current) => ({ ...current, pinned: withPin(current.pinned, nodeId, pin) }));
  }, []);

  const selectAll = useCallback(() => setNodes((current) => current.map((node) => ({ ...node, selected: true }))), []);

  const deleteSelection = useCallback(() => {
    const gone = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
    setNotes((current) => current.filter((note) => !note.selected));
    setNodes((current) => current.filter((node) => !node.selected));
    setEdges((current) => current.filter((edge) => !edge.selected && !gone.has(edge.source) && !gone.has(edge.target)));
  }, [nodes]);

  const copySelection = useCallback(() => {
    const chosen = nodes.filter((node) => node.selected);
    if (chosen.length === 0) return 0;
    const ids = new Set(chosen.map((n) => n.id));
    clipboard.current = { nodes: chosen, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
    return chosen.length;
  }, [nodes, edges]);

  const paste = useCallback(() => {
    const copied = clipboard.current;
    if (!copied) return 0;
    const taken = nodes.map((n) => n.id);
    const renamed = new Map<string, string>();
    const pasted = copied.nodes.map((node) => {
      const id = newNodeId(node.data.type, [...taken, ...renamed.values()]);
      renamed.set(node.id, id);
      return { ...node, id, selected: true, position: { x: node.position.x + 40, y: node.position.y + 40 }, data: structuredClone(node.data) };
    });
    const edgeIds = edges.map((e) => e.id);
    const pastedEdges = copied.edges.map((edge) => {
      const source = renamed.get(edge.source) as string;
      const target = renamed.get(edge.target) as string;
      const port = edge.data?.port ?? "out";
      const id = newEdgeId(source, port, target, edgeIds);
      edgeIds.push(id);
      return edgeToFlow({ id, source, source_port: port, target });
    });
    setNodes((current) => [...current.map((n) => ({ ...n, selected: false })), ...pasted]);
    setEdges((current) => [...current, ...pastedEdges]);
    clipboard.current = { nodes: pasted, edges: pastedEdges };
    return pasted.length;
  }, [nodes, edges]);

  return {
    nodes,
    edges,
    extras,
    notes,
    addNote,
    updateNote,
    removeNote,
    setNodes,
    definition,
    definitionJson,
    dragging,
    load,
    replaceDefinition,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    undo,
    redo,
    onNodesChange,
    onEdgesChange,
    connect,
    addNode,
    updateNodeData,
    updateVariables,
    setPin,
    selectNode,
    selectAll,
    deleteSelection,
    copySelection,
    paste,
  };
}

export type WorkflowDocument = ReturnType<typeof useWorkflowDocument>;
