/** A node on the canvas: category strip, icon, name, labelled ports, problems badge, live state. */
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { memo, useEffect } from "react";
import { categoryLook } from "./categories";
import { NodeIcon } from "./NodeIcon";
import { useEditorView } from "./EditorContext";
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

function WorkflowNodeCardView({ id, data, selected }: NodeProps<WorkflowFlowNode>) {
  const { nodeTypes, runStates, problems } = useEditorView();
  const nodeType = nodeTypes[data.type];
  const category = nodeType?.category ?? "unknown";
  const look = categoryLook(category);
  const ports = outputPorts(nodeType, data.config);
  const runState = runStates[id];
  const updateNodeInternals = useUpdateNodeInternals();
  const portSignature = ports.join("|");
  // Switch cases add, rename and remove handles: React Flow must re-measure them.
  useEffect(() => updateNodeInternals(id), [id, portSignature, updateNodeInternals]);
  const nodeProblems = problems[id] ?? [];
  const classes = ["wf-node", `status-${runState ?? "idle"}`, selected ? "selected" : "", nodeProblems.length ? "has-problems" : ""];

  return (
    <div
      className={classes.filter(Boolean).join(" ")}
      data-testid={`node-${id}`}
      data-status={runState ?? "idle"}
      data-type={data.type}
      style={{ ["--category-color" as string]: look.color }}
    >
      <div className="wf-node-strip" />
      {!isTrigger(nodeType) && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="wf-handle wf-handle-in" />}
      <div className="wf-node-head">
        <span className="wf-node-icon" aria-hidden="true">
          <NodeIcon type={data.type} category={category} />
        </span>
        <div className="wf-node-titles">
          <div className="wf-node-name">{data.name || nodeType?.label || data.type}</div>
          <div className="wf-node-type">{nodeType ? `${nodeType.label} · ${id}` : `Unknown type ${data.type}`}</div>
        </div>
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
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const WorkflowNodeCard = memo(WorkflowNodeCardView);
