/** Publish (with a note), version history with restore, and the keyboard-shortcut help. */
import { useEffect, useState } from "react";
import { api } from "../api";
import type { Version } from "../types";
import { Modal } from "./Modal";

export function PublishDialog({ onPublish, onClose }: { onPublish: (note: string) => Promise<void>; onClose: () => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await onPublish(note.trim());
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Publish a new version"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" data-testid="publish-confirm" disabled={busy} onClick={() => void submit()}>
            {busy ? "Publishing…" : "Publish"}
          </button>
        </>
      }
    >
      <p className="muted">Triggers run the published version. Test runs from the editor keep using the draft.</p>
      <label className="field">
        <span className="field-label">What changed?</span>
        <textarea
          className="input"
          rows={3}
          data-testid="publish-note"
          placeholder="e.g. Notify sales for leads over 100"
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
      </label>
    </Modal>
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

interface VersionsProps {
  workflowId: string;
  publishedVersion: number | null;
  readOnly: boolean;
  onRestore: (number: number) => Promise<void>;
  onClose: () => void;
}

export function VersionsDialog({ workflowId, publishedVersion, readOnly, onRestore, onClose }: VersionsProps) {
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .versions(workflowId)
      .then((list) => setVersions([...list].sort((a, b) => b.number - a.number)))
      .catch((problem: Error) => setError(problem.message));
  }, [workflowId]);
  return (
    <Modal title="Version history" onClose={onClose} testId="versions-dialog">
      {error && <p className="field-error">{error}</p>}
      {versions === null && !error && <p className="muted">Loading…</p>}
      {versions?.length === 0 && <p className="muted">Nothing published yet. Publish to freeze the draft as version 1.</p>}
      <ul className="versions">
        {versions?.map((version) => (
          <li key={version.number} className="version-item" data-testid="version-item" data-version={version.number}>
            <div>
              <strong>v{version.number}</strong>
              {version.number === publishedVersion && <span className="pill pill-active">live</span>}
              <div className="version-note">{version.note || <span className="muted">No note</span>}</div>
              <small className="muted">
                {formatTime(version.created_at)}
                {version.created_by ? ` · ${version.created_by}` : ""}
              </small>
            </div>
            {!readOnly && (
              <button type="button" className="button small" onClick={() => void onRestore(version.number)}>
                Restore to draft
              </button>
            )}
          </li>
        ))}
      </ul>
    </Modal>
  );
}

export const SHORTCUTS: [string, string][] = [
  ["Ctrl/⌘ Z", "Undo"],
  ["Ctrl/⌘ Shift Z, Ctrl Y", "Redo"],
  ["Ctrl/⌘ C / V", "Copy / paste selected nodes"],
  ["Delete, Backspace", "Delete selection"],
  ["Ctrl/⌘ A", "Select all nodes"],
  ["Shift + drag", "Box-select several nodes"],
  ["Ctrl/⌘ + click", "Add a node to the selection"],
  ["Ctrl/⌘ S", "Save now"],
  ["Ctrl/⌘ Enter", "Run"],
  ["F", "Fit view"],
  ["L", "Auto-layout"],
  ["Tab, Enter", "Move to a node (or an output handle) and select it"],
  ["C", "Connect the selected node to another (pick the output and the target)"],
  ["Arrow keys", "Move the selected node"],
  ["Esc", "Deselect / close"],
  ["?", "This help"],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-help">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
