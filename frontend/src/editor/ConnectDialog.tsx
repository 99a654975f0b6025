/**
 * Connecting two nodes without a mouse: select a node and press C (or focus one of its output
 * handles and press Enter), pick the output and the node to connect it to, press Connect.
 * Only the targets a drawn connection would accept are offered.
 */
import { useMemo, useState } from "react";
import { checkConnection } from "../connection";
import { ERROR_PORT, outputPorts, type WorkflowFlowEdge, type WorkflowFlowNode } from "../mapping";
import type { NodeTypeInfo } from "../types";
import { Modal } from "./Modal";

interface Props {
  source: WorkflowFlowNode;
  port?: string;
  nodes: WorkflowFlowNode[];
  edges: WorkflowFlowEdge[];
  nodeTypes: Record<string, NodeTypeInfo>;
  onConnect: (source: string, port: string, target: string) => void;
  onClose: () => void;
}

export const nodeTitle = (node: WorkflowFlowNode, nodeTypes: Record<string, NodeTypeInfo>) => {
  const type = nodeTypes[node.data.type]?.label ?? node.data.type;
  return `${node.data.name || type} (${type})`;
};

export function ConnectDialog({ source, port, nodes, edges, nodeTypes, onConnect, onClose }: Props) {
  const ports = outputPorts(nodeTypes[source.data.type], source.data.config);
  const [chosenPort, setChosenPort] = useState(port && ports.includes(port) ? port : (ports.find((p) => p !== ERROR_PORT) ?? ports[0] ?? "out"));
  const targets = useMemo(
    () => nodes.filter((node) => checkConnection({ source: source.id, sourceHandle: chosenPort, target: node.id }, nodes, edges, nodeTypes).ok),
    [nodes, edges, nodeTypes, source.id, chosenPort],
  );
  const [target, setTarget] = useState("");
  const chosenTarget = targets.some((node) => node.id === target) ? target : (targets[0]?.id ?? "");
  const title = `Connect ${nodeTitle(source, nodeTypes)}`;

  return (
    <Modal
      title={title}
      onClose={onClose}
      testId="connect-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="connect-confirm"
            disabled={!chosenTarget}
            onClick={() => {
              onConnect(source.id, chosenPort, chosenTarget);
              onClose();
            }}
          >
            Connect
          </button>
        </>
      }
    >
      {ports.length === 0 ? (
        <p>This node has no outputs.</p>
      ) : (
        <>
          <label className="field">
            <span className="field-label">Output</span>
            <select className="input" data-testid="connect-port" value={chosenPort} onChange={(event) => setChosenPort(event.target.value)}>
              {ports.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Connect to</span>
            <select className="input" data-testid="connect-target" value={chosenTarget} onChange={(event) => setTarget(event.target.value)}>
              {targets.map((node) => (
                <option key={node.id} value={node.id}>
                  {nodeTitle(node, nodeTypes)} · {node.id}
                </option>
              ))}
            </select>
          </label>
          {targets.length === 0 && <p className="muted">No node can take this output: add one from the palette first.</p>}
        </>
      )}
    </Modal>
  );
}
