/** The selected node's test data: pin its output (from the last run or typed JSON), unpin, test it alone (D24). */
import { useState } from "react";
import { PinIcon } from "../canvas/PinIcon";
import { parsePin, pinText } from "../testData";
import type { PinnedData } from "../types";

interface Props {
  nodeId: string;
  pin: PinnedData | undefined;
  /** The node's output in the run on screen, ready to pin; null when that run has none. */
  fromRun: PinnedData | null;
  readOnly: boolean;
  busy: boolean;
  onPin: (pin: PinnedData | null) => void;
  onTestStep: () => void;
}

export function TestDataPanel({ nodeId, pin, fromRun, readOnly, busy, onPin, onTestStep }: Props) {
  const [typing, setTyping] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const savePin = () => {
    const parsed = parsePin(typing ?? "");
    if (!parsed.ok) return setError(parsed.error);
    onPin(parsed.pin);
    setTyping(null);
    setError(null);
  };
  return (
    <section className="test-data" data-testid="test-data" aria-label="Test data">
      <h3>Test data</h3>
      {pin ? (
        <div className="row">
          <span className="pin-badge" data-testid="pin-badge"><PinIcon size={12} /> Pinned</span>
          <span className="muted">Test runs use this output instead of running the step; production runs never do.</span>
          {!readOnly && (
            <button type="button" className="button small" data-testid="unpin-button" onClick={() => onPin(null)}>
              Unpin
            </button>
          )}
        </div>
      ) : (
        <p className="muted">Pin an output to test the steps after this one without running it again.</p>
      )}
      {pin && typing === null && <pre className="muted" data-testid="pinned-output">{pinText(pin)}</pre>}
      {!readOnly && typing === null && (
        <div className="row">
          <button type="button" className="button small" data-testid="pin-from-run" disabled={!fromRun} title={fromRun ? undefined : "Run the workflow first: this step has no output on screen"} onClick={() => fromRun && onPin(fromRun)}>
            Pin last run's output
          </button>
          <button type="button" className="button small" data-testid="pin-json" onClick={() => setTyping(pinText(pin))}>
            {pin ? "Edit pinned JSON" : "Pin JSON…"}
          </button>
          <button type="button" className="button small primary" data-testid="test-step-button" disabled={busy} onClick={onTestStep} title="Run only this step, with the data before it from pins or the last run">
            ▶ Test step
          </button>
        </div>
      )}
      {typing !== null && (
        <>
          <label className="field-label" htmlFor={`pin-${nodeId}`}>Output to pin (JSON)</label>
          <textarea id={`pin-${nodeId}`} className="nodrag" data-testid="pin-json-text" value={typing} spellCheck={false} onChange={(event) => setTyping(event.target.value)} />
          {error && <p className="field-error" role="alert">{error}</p>}
          <div className="row">
            <button type="button" className="button small primary" data-testid="pin-json-save" onClick={savePin}>
              Pin
            </button>
            <button type="button" className="button small" onClick={() => { setTyping(null); setError(null); }}>
              Cancel
            </button>
          </div>
        </>
      )}
    </section>
  );
}
