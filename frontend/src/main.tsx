/** Mounts the editor on the Django page's #editor-root. */
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/base.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { EditorApp } from "./editor/EditorApp";
import "./styles.css";

export function mountEditor(root: HTMLElement): void {
  const workflowId = root.dataset.workflowId ?? "";
  const canEdit = root.dataset.canEdit === "true";
  const wsUrl = root.dataset.wsUrl || "/ws/executions/";
  createRoot(root).render(
    <StrictMode>
      <ReactFlowProvider>
        <EditorApp workflowId={workflowId} canEdit={canEdit} wsUrl={wsUrl} />
      </ReactFlowProvider>
    </StrictMode>,
  );
}

const root = document.getElementById("editor-root");
if (root) mountEditor(root);
