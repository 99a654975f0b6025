/** A node on the canvas: category strip, icon, name, labelled ports, problems badge, live state. */
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { memo, useEffect, useRef, type KeyboardEvent } from "react";
import { categoryLook } from "./categories";
import { NodeIcon } from "./NodeIcon";
import { PinIcon } from "./PinIcon";
import { useNodePinned, useNodeProblems, useNodeRunState, useNodeTypeInfo, useReadOnly } from "./EditorContext";
import { useConnectRequest } from "./ConnectRequest";
import { ERROR_PORT, INPUT_HANDLE, isTrigger, outputPorts, type WorkflowFlowNode } from "../mapping";

const STATE_LABEL: Record<string, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  retrying: "Retrying",
  waiting: "Waiting",
  skipped: "Skipped",
};

/**
 * Re-measures nodes whose handles changed, all in one React Flow update per frame. A new node is
 * measured by React Flow itself when it mounts: asking again for each of 500 mounting nodes made
 * one store update (and one render of every node) per node, which is what froze big flows.
 */
const pendingInternals = new Set<string>();
let flushInternals: ((ids: string[]) => void) | null = null;
function requestInternals(id: string, update: (ids: string[]) => void) {
  pendingInternals.add(id);
  if (flushInternals) return;
  flushInternals = update;
  requestAnimationFrame(() => {
    const ids = [...pendingInternals];
    const flush = flushInternals;
    pendingInternals.clear();
    flushInternals = null;
    flush?.(ids);
  });
}

function WorkflowNodeCardView({ id, data, selected }: NodeProps<WorkflowFlowNode>) {
  const nodeType = useNodeTypeInfo(data.type);
  const runState = useNodeRunState(id);
  const nodeProblems = useNodeProblems(id);
  const readOnly = useReadOnly();
  const pinned = useNodePinned(id);
  const connectFrom = useConnectRequest();
  const category = nodeType?.category ?? "unknown";
  const look = categoryLook(category);
  const ports = outputPorts(nodeType, data.config);
  const updateNodeInternals = useUpdateNodeInternals();
  const portSignature = ports.join("|");
  // Switch cases add, rename and remove handles: React Flow must re-measure them (not on mount).
  const measuredPorts = useRef(portSignature);
  useEffect(() => {
    if (measuredPorts.current === portSignature) return;
    measuredPorts.current = portSignature;
    requestInternals(id, updateNodeInternals);
  }, [id, portSignature, updateNodeInternals]);
  const classes = ["wf-node", `status-${runState ?? "idle"}`, selected ? "selected" : "", nodeProblems.length ? "has-problems" : ""];
  const name = data.name || nodeType?.label || data.type;

  // An output handle focused with Tab: Enter or Space opens "Connect to…" for that port.
  const onHandleKey = (port: string) => (event: KeyboardEvent) => {
    if (readOnly || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    event.stopPropagation();
    connectFrom(id, port);
  };

  return (
    <div
      className={classes.filter(Boolean).join(" ")}
      data-testid={`node-${id}`}
      data-status={runState ?? "idle"}
      data-type={data.type}
      style={{ ["--category-color" as string]: look.color }}
    >
      <div className="wf-node-strip" />
      {!isTrigger(nodeType) && (
        <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="wf-handle wf-handle-in" title={`Input of ${name}`} />
      )}
      <div className="wf-node-head">
        <span className="wf-node-icon" aria-hidden="true">
          <NodeIcon type={data.type} category={category} />
        </span>
        <div className="wf-node-titles">
          <div className="wf-node-name">{name}</div>
          <div className="wf-node-type">{nodeType ? `${nodeType.label} · ${id}` : `Unknown type ${data.type}`}</div>
        </div>
        {pinned && (
          <span className="wf-node-pin" data-testid={`node-pin-${id}`} title="Pinned data: test runs use it instead of running this step" aria-label="Pinned data">
            <PinIcon />
          </span>
        )}
        {nodeProblems.length > 0 && (
          <span className="wf-node-badge" data-testid={`node-problems-${id}`} title={nodeProblems.map((p) => p.message).join("\n")}>
            {nodeProblems.length}
          </span>
        )}
      </div>
      {runState && (
        <div className={`wf-node-state state-${runState}`} data-testid={`node-state-${id}`}>
          <span className="dot" /> {STATE_LABEL[runState] ?? runState}
        </div>
      )}
      {ports.length > 0 && (
        <div className="wf-node-ports">
          {ports.map((port) => (
            <div key={port} className={`wf-port${port === ERROR_PORT ? " wf-port-error" : ""}`}>
              <span className="wf-port-label">{port}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                className={`wf-handle wf-handle-out${port === ERROR_PORT ? " wf-handle-error" : ""}`}
                title={`${port} output`}
                tabIndex={readOnly ? undefined : 0}
                role={readOnly ? undefined : "button"}
                aria-label={`Connect the ${port} output of ${name} to…`}
                data-testid={`handle-${id}-${port}`}
                onKeyDown={onHandleKey(port)}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const WorkflowNodeCard = memo(WorkflowNodeCardView);
