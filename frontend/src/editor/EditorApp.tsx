/** The workflow editor: palette, canvas, settings and problems, toolbar, and the run panel. */
import { useReactFlow, type XYPosition } from "@xyflow/react";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ConnectRequestContext } from "../canvas/ConnectRequest";
import { EditorViewContext, EditorViewStore, type EditorView } from "../canvas/EditorContext";
import { FIT_VIEW_OPTIONS, layoutNodes } from "../canvas/layout";
import { checkConnection } from "../connection";
import { expressionSuggestions } from "../expressions";
import { definitionToFlow, ERROR_PORT, flowToDefinition, outputPorts, problemNodeId, type WorkflowFlowNode } from "../mapping";
import { nodeRunStates } from "../run/executionState";
import { RunInputDialog } from "../run/RunInputDialog";
import { initialRunInput, recalledRunInput, rememberRunInput } from "../run/runInput";
import { RunPanel } from "../run/RunPanel";
import { hasMessageTrigger } from "../chat/chatState";
import { TryChatPanel } from "../chat/TryChatPanel";
import { useFormFields } from "./useFormFields";
import { useRun } from "../run/useRun";
import { pinFromRun } from "../testData";
import type { Definition, NodeTypeInfo } from "../types";
import { Canvas } from "./Canvas";
import { ConflictBanner } from "./ConflictBanner";
import { ConnectDialog } from "./ConnectDialog";
import { PublishDialog, ShortcutsHelp, VersionsDialog } from "./Dialogs";
import { useProjectFunctions, type NodePreset } from "./functionPalette";
import { Palette } from "./Palette";
import { ProblemsList } from "./ProblemsList";
import { SettingsPanel } from "./SettingsPanel";
import { Toasts } from "./Toasts";
import { TestDataPanel } from "./TestDataPanel";
import { Toolbar } from "./Toolbar";
import { VariablesPanel } from "./VariablesPanel";
import { useAutosave, type SaveOutcome } from "./useAutosave";
import { useShortcuts } from "./useShortcuts";
import { useToasts } from "./useToasts";
import { useWorkflowActions } from "./useWorkflowActions";
import { usePastRun, usePreview } from "./useTestData";
import { useWorkflowDocument } from "./useWorkflowDocument";

export interface EditorProps {
  workflowId: string;
  canEdit: boolean;
  wsUrl: string;
}

type Dialog = "run" | "publish" | "versions" | "help" | "connect" | "chat" | null;
const NODE_WIDTH = 240;

/**
 * Definitions written by hand or converted from another form often have no positions:
 * lay those out once, so the builder sees a graph rather than a pile (autosave keeps it).
 */
function withLayoutIfStacked(definition: Definition): Definition {
  const spots = new Set(definition.nodes.map((n) => `${n.position?.x ?? 0},${n.position?.y ?? 0}`));
  if (definition.nodes.length < 2 || spots.size > 1) return definition;
  const flow = definitionToFlow(definition);
  return flowToDefinition(layoutNodes(flow.nodes, flow.edges), flow.edges, flow.extras, flow.notes);
}

/** A free spot near `wanted`, so new nodes never land exactly on top of others. */
function freeSpot(wanted: XYPosition, nodes: WorkflowFlowNode[]): XYPosition {
  const spot = Number.isFinite(wanted.x) && Number.isFinite(wanted.y) ? { ...wanted } : { x: 0, y: 0 };
  while (nodes.some((n) => Math.abs(n.position.x - spot.x) < 60 && Math.abs(n.position.y - spot.y) < 60)) spot.y += 130;
  return spot;
}

export function EditorApp({ workflowId, canEdit, wsUrl }: EditorProps) {
  const readOnly = !canEdit;
  const flow = useReactFlow();
  const { toasts, notify, dismiss } = useToasts();
  const doc = useWorkflowDocument(readOnly);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [connectFrom, setConnectFrom] = useState<{ source: string; port?: string } | null>(null);
  const [viewStore] = useState(() => new EditorViewStore());
  const saveNowRef = useRef<() => Promise<SaveOutcome>>(async () => "saved");
  const markSavedRef = useRef<(json: string, etag: string | null) => void>(() => undefined);
  const revisionRef = useRef({ current: (): string | null => null, adopt: (etag: string | null) => void etag });
  const [revision] = useState(() => ({ current: () => revisionRef.current.current(), adopt: (etag: string | null) => revisionRef.current.adopt(etag) }));

  const loadDefinition = useCallback(
    (definition: Definition, etag: string | null) => {
      doc.load(withLayoutIfStacked(definition));
      markSavedRef.current(JSON.stringify(definition), etag);
      window.setTimeout(() => void flow.fitView(FIT_VIEW_OPTIONS), 50);
    },
    [doc.load, flow], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const actions = useWorkflowActions({ workflowId, notify, loadDefinition, saveNow: () => saveNowRef.current(), revision });
  const { workflow, problems, nodeTypeList } = actions;
  const functions = useProjectFunctions(!readOnly);
  const nodeTypes = useMemo(() => Object.fromEntries(nodeTypeList.map((t) => [t.type, t])), [nodeTypeList]);

  const autosave = useAutosave({
    workflowId,
    definitionJson: doc.definitionJson,
    enabled: workflow !== null && !readOnly && !doc.dragging,
    onValidated: actions.setProblems,
    onReload: actions.replaceWorkflow,
  });
  saveNowRef.current = autosave.saveNow;
  markSavedRef.current = autosave.markSaved;
  revisionRef.current = autosave.revision;

  const run = useRun(workflowId, wsUrl, notify);
  usePastRun(run.open);
  const nodeIds = useMemo(() => doc.nodes.map((n) => n.id), [doc.nodes]);
  const runStates = useMemo(() => nodeRunStates(run.execution, nodeIds), [run.execution, nodeIds]);
  const view: EditorView = useMemo(
    () => ({ nodeTypes, runStates, problems: problems.byNode, readOnly, pinned: doc.extras.pinned }),
    [nodeTypes, runStates, problems.byNode, readOnly, doc.extras.pinned],
  );
  // Cards read their own slice of the view from this store (re-rendering only when it changes).
  useLayoutEffect(() => viewStore.set(view), [viewStore, view]);

  const requestConnect = useCallback(
    (source: string, port?: string) => {
      if (readOnly) return;
      setConnectFrom({ source, port });
      setDialog("connect");
    },
    [readOnly],
  );

  const selectedNodes = doc.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const nodeNames = useMemo(() => Object.fromEntries(doc.nodes.map((n) => [n.id, n.data.name || n.id])), [doc.nodes]);
  const formTrigger = doc.nodes.find((n) => n.data.type === "trigger.form");
  const formFields = useFormFields(typeof formTrigger?.data.config.form_id === "string" ? formTrigger.data.config.form_id : null);
  const suggestions = useMemo(
    () =>
      selected
        ? expressionSuggestions(
            selected.id,
            doc.nodes.map((n) => ({ id: n.id, name: n.data.name })),
            doc.definition.edges,
            doc.extras.variables,
            formFields,
          )
        : [],
    [selected, doc.nodes, doc.definition.edges, doc.extras.variables, formFields],
  );

  const preview = usePreview(workflowId, selected?.id, autosave.status === "saved", run.executionId, run.execution?.status, doc.extras.pinned);

  const focusNode = useCallback(
    (id: string) => {
      const node = doc.nodes.find((n) => n.id === id);
      if (!node) return;
      doc.selectNode(id);
      const width = node.measured?.width ?? NODE_WIDTH;
      const height = node.measured?.height ?? 90;
      const zoom = flow.getZoom();
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: Number.isFinite(zoom) ? Math.max(zoom, 1) : 1, duration: 300 });
    },
    [doc, flow],
  );

  const addNodeAt = useCallback(
    (nodeType: NodeTypeInfo, position: XYPosition, preset?: NodePreset) =>
      doc.addNode(nodeType, freeSpot(position, doc.nodes), doc.nodes.map((n) => n.id), preset),
    [doc],
  );

  const addAfterSelection = useCallback(
    (nodeType: NodeTypeInfo, preset?: NodePreset) => {
      const anchor = selected;
      let position: XYPosition;
      if (anchor) {
        position = { x: anchor.position.x + (anchor.measured?.width ?? NODE_WIDTH) + 90, y: anchor.position.y };
      } else {
        const box = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
        const center = box ? { x: box.left + box.width / 2 - NODE_WIDTH / 2, y: box.top + box.height / 2 - 40 } : { x: 200, y: 200 };
        position = flow.screenToFlowPosition(center);
      }
      const id = addNodeAt(nodeType, position, preset);
      if (!anchor) return;
      const port = outputPorts(nodeTypes[anchor.data.type], anchor.data.config).find((p) => p !== ERROR_PORT);
      const stub: WorkflowFlowNode = { id, type: "workflow", position, data: { type: nodeType.type, name: nodeType.label, config: {} } };
      if (port && checkConnection({ source: anchor.id, sourceHandle: port, target: id }, [...doc.nodes, stub], doc.edges, nodeTypes).ok) {
        doc.connect(anchor.id, port, id);
      }
    },
    [selected, addNodeAt, nodeTypes, doc, flow],
  );

  const onDropType = useCallback(
    (type: string, position: XYPosition, preset?: NodePreset) => {
      const nodeType = nodeTypes[type];
      if (nodeType) addNodeAt(nodeType, position, preset);
    },
    [nodeTypes, addNodeAt],
  );

  const autoLayout = useCallback(() => {
    doc.setNodes((current) => layoutNodes(current, doc.edges));
    window.setTimeout(() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 300 }), 30);
  }, [doc, flow]);

  const validateNow = useCallback(async () => {
    const result = await autosave.validate(doc.definitionJson);
    if (result) notify(result.valid ? "The draft is valid." : `${result.problems.length} problem(s) found.`, result.valid ? "success" : "error");
  }, [autosave, doc.definitionJson, notify]);

  const closeConnect = useCallback(() => {
    setDialog(null);
    // Back to the node the connection started from, so keyboard users keep their place.
    const from = connectFrom?.source;
    if (from) window.setTimeout(() => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(from)}"]`)?.focus(), 0);
  }, [connectFrom]);

  const openRun = useCallback(() => !readOnly && setDialog("run"), [readOnly]);
  // A test run runs the server's draft: never someone else's while the canvas shows ours.
  const saveBeforeRun = useCallback(async () => {
    if ((await autosave.saveNow()) === "conflict") throw new Error("this workflow was changed elsewhere; reload or keep yours first");
  }, [autosave]);

  useShortcuts(
    {
      undo: doc.undo,
      redo: doc.redo,
      copy: () => {
        const count = doc.copySelection();
        if (count) notify(`Copied ${count} node${count === 1 ? "" : "s"}.`);
      },
      paste: () => void doc.paste(),
      selectAll: doc.selectAll,
      save: () => void autosave.saveNow(),
      run: openRun,
      fitView: () => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 300 }),
      layout: autoLayout,
      help: () => setDialog("help"),
      deselect: () => doc.selectNode(null),
      connect: () => {
        if (selected) requestConnect(selected.id);
        else notify("Select a node first (Tab to it, then Enter), then press C to connect it.");
      },
    },
    readOnly,
  );

  if (actions.loadError) {
    return (
      <div className="editor-message" role="alert">
        Couldn't open this workflow: {actions.loadError}
      </div>
    );
  }
  if (!workflow) return <div className="editor-message">Loading the editor…</div>;

  const connectSource = connectFrom ? doc.nodes.find((n) => n.id === connectFrom.source) : undefined;
  const triggerNode = doc.nodes.find((n) => nodeTypes[n.data.type]?.category === "trigger");
  const trigger = triggerNode ? nodeTypes[triggerNode.data.type] : undefined;
  const problemRows = problems.list.map((problem) => {
    const nodeId = problemNodeId(problem, problems.definition);
    return { problem, nodeId, nodeName: nodeId ? (nodeNames[nodeId] ?? nodeId) : null };
  });

  return (
    <EditorViewContext.Provider value={viewStore}>
      <ConnectRequestContext.Provider value={requestConnect}>
      <div className={`editor${readOnly ? " read-only" : ""}${run.executionId ? " with-run" : ""}`}>
        <Toolbar
          name={workflow.name}
          status={workflow.status}
          publishedVersion={workflow.published_version}
          readOnly={readOnly}
          saveStatus={autosave.status}
          saveError={autosave.error}
          problemCount={problems.list.length}
          canUndo={doc.canUndo}
          canRedo={doc.canRedo}
          running={run.starting}
          onUndo={doc.undo}
          onRedo={doc.redo}
          onLayout={autoLayout}
          onFitView={() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 300 })}
          onValidate={() => void validateNow()}
          onPublish={() => setDialog("publish")}
          onVersions={() => setDialog("versions")}
          onToggleActive={() => void actions.toggleActive()}
          onRun={openRun}
          onTryChat={hasMessageTrigger(doc.nodes) ? () => void autosave.saveNow().then(() => setDialog("chat")) : undefined}
          onHelp={() => setDialog("help")}
          onRename={actions.rename}
        />
        {!readOnly && <Palette nodeTypes={nodeTypeList} functions={functions} onAdd={addAfterSelection} />}
        <Canvas doc={doc} nodeTypes={nodeTypes} readOnly={readOnly} onDropType={onDropType} notify={notify} />
        {autosave.conflict && <ConflictBanner onReload={autosave.reload} onKeepMine={autosave.keepMine} />}
        <aside className="side">
          {selected && (
            <SettingsPanel
              key={selected.id}
              node={selected}
              nodeType={nodeTypes[selected.data.type]}
              suggestions={suggestions}
              problems={problems.byNode[selected.id] ?? []}
              readOnly={readOnly}
              onChange={(patch) => doc.updateNodeData(selected.id, patch)}
              onClose={() => doc.selectNode(null)}
              preview={preview}
            >
              <TestDataPanel
                nodeId={selected.id}
                pin={doc.extras.pinned[selected.id]}
                fromRun={pinFromRun(run.execution, selected.id)}
                readOnly={readOnly}
                busy={run.starting}
                onPin={(pin) => doc.setPin(selected.id, pin)}
                onTestStep={() => void run.testStep(selected.id, saveBeforeRun)}
              />
            </SettingsPanel>
          )}
          {!selected && (
            <p className="side-hint muted">
              {selectedNodes.length > 1
                ? `${selectedNodes.length} nodes selected: drag to move them together, Delete to remove, Ctrl+C to copy.`
                : readOnly
                  ? "Select a node to see its settings."
                  : "Select a node to edit its settings. Drag nodes from the palette; connect a port on the right of a node to the left of the next."}
            </p>
          )}
          {selectedNodes.length === 0 && (
            <VariablesPanel variables={doc.extras.variables} readOnly={readOnly} onChange={doc.updateVariables} />
          )}
          <ProblemsList problems={problemRows} onFocusNode={focusNode} />
        </aside>
        {run.executionId && (
          <RunPanel
            execution={run.execution}
            executionId={run.executionId}
            transport={run.transport}
            nodeNames={nodeNames}
            readOnly={readOnly}
            onRerun={() => void run.start(run.lastInput ?? {}, saveBeforeRun)}
            onRetry={() => void run.retry()}
            onCancel={() => void run.cancel()}
            onResume={(nodeId, payload) => void run.resume(nodeId, payload)}
            onSelectNode={focusNode}
            onClose={run.close}
          />
        )}
      </div>
      {dialog === "run" && (
        <RunInputDialog
          initial={initialRunInput(run.lastInput ?? recalledRunInput(workflowId), triggerNode?.data.config, trigger)}
          onClose={() => setDialog(null)}
          onStart={(input) => {
            setDialog(null);
            rememberRunInput(workflowId, input);
            void run.start(input, saveBeforeRun);
          }}
        />
      )}
      {dialog === "publish" && (
        <PublishDialog
          onClose={() => setDialog(null)}
          onPublish={async (note) => {
            if (await actions.publish(note)) setDialog(null);
          }}
        />
      )}
      {dialog === "versions" && (
        <VersionsDialog
          workflowId={workflowId}
          publishedVersion={workflow.published_version}
          readOnly={readOnly}
          onClose={() => setDialog(null)}
          onRestore={async (number) => {
            if (await actions.restore(number)) setDialog(null);
          }}
        />
      )}
      {dialog === "help" && <ShortcutsHelp onClose={() => setDialog(null)} />}
      {dialog === "chat" && <TryChatPanel workflowId={workflowId} onClose={() => setDialog(null)} onOpenRun={run.open} />}
      {dialog === "connect" && connectSource && (
        <ConnectDialog
          source={connectSource}
          port={connectFrom?.port}
          nodes={doc.nodes}
          edges={doc.edges}
          nodeTypes={nodeTypes}
          onConnect={(source, port, target) => {
            doc.connect(source, port, target);
            notify(`Connected ${nodeNames[source] ?? source} to ${nodeNames[target] ?? target}.`, "success");
          }}
          onClose={closeConnect}
        />
      )}
      <Toasts toasts={toasts} onDismiss={dismiss} />
      </ConnectRequestContext.Provider>
    </EditorViewContext.Provider>
  );
}
