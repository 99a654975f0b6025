/** Asks for the test input of a run, as JSON. */
import { useState } from "react";
import { Modal } from "../editor/Modal";
import type { JsonValue } from "../types";

interface Props {
  initial: JsonValue;
  title?: string;
  confirmLabel?: string;
  onStart: (input: JsonValue) => void;
  onClose: () => void;
}

export function RunInputDialog({ initial, title = "Run with test input", confirmLabel = "Start run", onStart, onClose }: Props) {
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  let error: string | null = null;
  let parsed: JsonValue = null;
  try {
    parsed = JSON.parse(text || "null") as JsonValue;
  } catch (problem) {
    error = problem instanceof Error ? problem.message : "Invalid JSON";
  }
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" data-testid="run-start" disabled={error !== null} onClick={() => onStart(parsed)}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">JSON the trigger receives (available as {"{{ trigger }}"})</span>
        <textarea
          className="input code"
          rows={10}
          spellCheck={false}
          data-testid="run-input"
          aria-invalid={error !== null || undefined}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && error === null) onStart(parsed);
          }}
        />
      </label>
      {error && <p className="field-error">Invalid JSON: {error}</p>}
    </Modal>
  );
}
