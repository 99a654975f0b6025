/** The editor's top bar: name and status, save state, history, layout, and the workflow actions. */
import { useState } from "react";
import type { WorkflowStatus } from "../types";
import { statusLabel } from "../workflowStatus";
import type { SaveStatus } from "./useAutosave";

interface Props {
  name: string;
  status: WorkflowStatus;
  publishedVersion: number | null;
  readOnly: boolean;
  saveStatus: SaveStatus;
  saveError: string | null;
  problemCount: number;
  canUndo: boolean;
  canRedo: boolean;
  running: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFitView: () => void;
  onValidate: () => void;
  onPublish: () => void;
  onVersions: () => void;
  onToggleActive: () => void;
  onRun: () => void;
  /** Offered when the workflow starts from a chat message: opens the "Try it" chat. */
  onTryChat?: () => void;
  onHelp: () => void;
  /** Rename the workflow; resolves true once the server took the name. */
  onRename: (name: string) => Promise<boolean>;
}

/** The workflow's name; a click (or Enter on it) turns it into a box: Enter saves, Escape cancels. */
function WorkflowName({ name, readOnly, onRename }: Pick<Props, "name" | "readOnly" | "onRename">) {
  const [editing, setEditing] = useState<string | null>(null);
  if (readOnly) return <h1 title={name}>{name}</h1>;
  if (editing === null) {
    return (
      <h1 title={name}>
        <button type="button" className="title-button" data-testid="rename-button" title="Rename the workflow" onClick={() => setEditing(name)}>
          {name}
        </button>
      </h1>
    );
  }
  return (
    <form
      className="rename-form"
      onSubmit={(event) => {
        event.preventDefault();
        void onRename(editing).then((done) => done && setEditing(null));
      }}
    >
      <input
        aria-label="Workflow name"
        data-testid="rename-input"
        value={editing}
        maxLength={200}
        autoFocus
        onChange={(event) => setEditing(event.target.value)}
        onKeyDown={(event) => event.key === "Escape" && setEditing(null)}
      />
      <button type="submit" className="button small primary" data-testid="rename-save">
        Save
      </button>
    </form>
  );
}

const SAVE_TEXT: Record<SaveStatus, string> = {
  saved: "All changes saved",
  unsaved: "Unsaved changes",
  saving: "Saving…",
  error: "Save failed",
  conflict: "Not saved: changed elsewhere",
};

export function Toolbar(props: Props) {
  const { name, status, publishedVersion, readOnly, saveStatus, saveError, problemCount, canUndo, canRedo, running } = props;
  const label = statusLabel(status, publishedVersion);
  return (
    <div className="toolbar" role="toolbar" aria-label="Workflow">
      <div className="toolbar-title">
        <WorkflowName name={name} readOnly={readOnly} onRename={props.onRename} />
        <span className={`pill pill-${label.key}`} data-testid="workflow-status" title={label.title}>
          {label.text}
        </span>
        {readOnly ? (
          <span className="pill">view only</span>
        ) : (
          <span className={`save-status save-${saveStatus}`} data-testid="save-status" data-state={saveStatus} title={saveError ?? undefined} role="status">
            {SAVE_TEXT[saveStatus]}
          </span>
        )}
      </div>
      <div className="toolbar-actions">
        {!readOnly && (
          <>
            <button type="button" className="button ghost" onClick={props.onUndo} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
              ↶
            </button>
            <button type="button" className="button ghost" onClick={props.onRedo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
              ↷
            </button>
            <button type="button" className="button ghost" onClick={props.onLayout} title="Auto-layout (L)" data-testid="layout-button">
              Tidy up
            </button>
          </>
        )}
        <button type="button" className="button ghost" onClick={props.onFitView} title="Fit view (F)">
          Fit
        </button>
        {!readOnly && (
          <button type="button" className="button" onClick={props.onValidate} data-testid="validate-button">
            {problemCount ? `Validate (${problemCount})` : "Validate"}
          </button>
        )}
        <button type="button" className="button" onClick={props.onVersions} data-testid="versions-button">
          Versions
        </button>
        {!readOnly && (
          <>
            <button type="button" className="button" onClick={props.onToggleActive} data-testid="activate-button" disabled={status !== "active" && publishedVersion === null} title={publishedVersion === null ? "Publish a version first" : undefined}>
              {status === "active" ? "Deactivate" : "Activate"}
            </button>
            <button type="button" className="button" onClick={props.onPublish} data-testid="publish-button">
              Publish
            </button>
            <button type="button" className="button primary" onClick={props.onRun} data-testid="run-button" disabled={running} title="Run the draft (Ctrl+Enter)">
              ▶ Run
            </button>
            {props.onTryChat && (
              <button type="button" className="button" onClick={props.onTryChat} data-testid="try-chat-button" title="Chat with the draft as a customer">
                Try it
              </button>
            )}
          </>
        )}
        <button type="button" className="button ghost" onClick={props.onHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" data-testid="help-button">
          ?
        </button>
      </div>
    </div>
  );
}
