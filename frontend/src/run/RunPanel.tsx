/** The run being watched: status, steps with timings, a step's input/output/error, and controls. */
import { useState } from "react";
import { api } from "../api";
import type { Execution, ExecutionStep, JsonValue, TruncatedValue } from "../types";
import { isTerminal, stepRowKey, waitingStep } from "./executionState";
import { JsonTree } from "./JsonTree";
import { ResultView } from "./ResultView";

interface Props {
  execution: Execution | null;
  executionId: string;
  transport: "socket" | "polling" | null;
  nodeNames: Record<string, string>;
  readOnly: boolean;
  onRerun: () => void;
  onRetry: () => void;
  onCancel: () => void;
  onResume: (nodeId: string, payload: JsonValue) => void;
  onSelectNode: (nodeId: string) => void;
  onClose: () => void;
}

const STATUS_ICON: Record<string, string> = {
  running: "◌",
  succeeded: "✓",
  failed: "✕",
  retrying: "↻",
  waiting: "⏸",
  skipped: "–",
};

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

function ResumeForm({ step, onResume }: { step: ExecutionStep; onResume: Props["onResume"] }) {
  const [text, setText] = useState('{\n  "approved": true\n}');
  let payload: JsonValue = null;
  let error: string | null = null;
  try {
    payload = JSON.parse(text) as JsonValue;
  } catch (problem) {
    error = problem instanceof Error ? problem.message : "Invalid JSON";
  }
  return (
    <div className="resume-form">
      <label className="field">
        <span className="field-label">Payload to resume “{step.node_id}” with</span>
        <textarea className="input code" rows={3} data-testid="resume-payload" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {error && <p className="field-error">Invalid JSON: {error}</p>}
      <button type="button" className="button primary small" data-testid="resume-button" disabled={error !== null} onClick={() => onResume(step.node_id, payload)}>
        Resume
      </button>
    </div>
  );
}

function isTruncated(value: unknown): value is TruncatedValue {
  return typeof value === "object" && value !== null && "$truncated" in value;
}

/** A step value; one too large to travel inline shows its preview and loads whole on demand. */
function StepValue({ value, field, emptyText }: { value: JsonValue | undefined; field: "input" | "output"; emptyText: string }) {
  const [whole, setWhole] = useState<{ value: JsonValue | undefined } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (whole) return <JsonTree value={whole.value} emptyText={emptyText} />;
  if (!isTruncated(value)) return <JsonTree value={value} emptyText={emptyText} />;
  const { bytes, preview, url } = value.$truncated;
  const load = () =>
    api
      .fullStep(url)
      .then((page) => setWhole({ value: page.data[0]?.[field] }))
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  return (
    <div className="truncated-value" data-testid={`truncated-${field}`}>
      <pre className="code muted">{preview}…</pre>
      <button type="button" className="button small" onClick={load}>
        Load the whole value ({Math.ceil(bytes / 1024)} KB)
      </button>
      {problem && <p className="field-error">{problem}</p>}
    </div>
  );
}

function StepDetail({ step }: { step: ExecutionStep }) {
  return (
    <div className="step-detail" data-testid="step-detail">
      <div className="step-detail-meta">
        <strong>{step.node_id}</strong> · attempt {step.attempt} · {step.status}
        {step.duration_ms !== null && step.duration_ms !== undefined && ` · ${formatDuration(step.duration_ms)}`}
      </div>
      {step.error !== undefined && step.error !== null && (
        <details open className="step-section step-error">
          <summary>Error</summary>
          <JsonTree value={step.error as JsonValue} />
        </details>
      )}
      <details open className="step-section">
        <summary>Input</summary>
        <StepValue key={`${stepRowKey(step)}-in`} value={step.input} field="input" emptyText="No input recorded" />
      </details>
      <details open className="step-section">
        <summary>Output</summary>
        {!isTruncated(step.output) && <ResultView value={step.output} />}
        <StepValue key={`${stepRowKey(step)}-out`} value={step.output} field="output" emptyText={step.status === "running" ? "Still running…" : "No output"} />
      </details>
    </div>
  );
}

export function RunPanel(props: Props) {
  const { execution, executionId, transport, nodeNames, readOnly, onRerun, onRetry, onCancel, onResume, onSelectNode, onClose } = props;
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const steps = execution?.steps ?? [];
  const selected = steps.find((step) => stepRowKey(step) === selectedKey) ?? null;
  const waiting = waitingStep(execution);
  const status = execution?.status ?? "pending";
  const finished = isTerminal(execution);
  const runError = execution?.error as { message?: string; node_id?: string } | null | undefined;

  return (
    <section className="run-panel" data-testid="run-panel" data-execution-status={status} aria-label="Run">
      <header className="run-head">
        <span className={`pill status-pill status-${status}`} data-testid="run-status">
          {status}
        </span>
        <code className="muted">{executionId}</code>
        {execution?.duration_ms !== undefined && execution?.duration_ms !== null && <span className="muted">{formatDuration(execution.duration_ms)}</span>}
        {transport === "polling" && !finished && <span className="muted" title="The live connection failed; checking every second">polling</span>}
        <span className="spacer" />
        {!readOnly && (
          <>
            {!finished && (
              <button type="button" className="button small" onClick={onCancel}>
                Cancel
              </button>
            )}
            {status === "failed" && (
              <button type="button" className="button small" data-testid="retry-button" onClick={onRetry}>
                Retry from failed step
              </button>
            )}
            <button type="button" className="button small" data-testid="rerun-button" onClick={onRerun}>
              Re-run
            </button>
          </>
        )}
        <button type="button" className="icon-button" aria-label="Close run panel" onClick={onClose}>
          ×
        </button>
      </header>
      {runError && typeof runError === "object" && runError.message && (
        <p className="run-error" role="alert">
          {runError.node_id ? `${nodeNames[runError.node_id] ?? runError.node_id}: ` : ""}
          {runError.message}
        </p>
      )}
      <div className="run-body">
        <ol className="steps">
          {steps.length === 0 && <li className="muted pad">{finished ? "No steps ran." : "Waiting for the first step…"}</li>}
          {steps.map((step) => (
            <li key={stepRowKey(step)}>
              <button
                type="button"
                className={`step-row status-${step.status}${stepRowKey(step) === selectedKey ? " selected" : ""}`}
                data-testid={`step-row-${step.node_id}`}
                data-status={step.status}
                onClick={() => {
                  setSelectedKey(stepRowKey(step));
                  onSelectNode(step.node_id);
                }}
              >
                <span className="step-icon" aria-hidden="true">
                  {STATUS_ICON[step.status] ?? "•"}
                </span>
                <span className="step-name">{nodeNames[step.node_id] ?? step.node_id}</span>
                {step.attempt > 1 && <span className="muted">#{step.attempt}</span>}
                <span className="step-time">{formatDuration(step.duration_ms)}</span>
              </button>
            </li>
          ))}
        </ol>
        <div className="step-pane">
          {!readOnly && waiting && <ResumeForm step={waiting} onResume={onResume} />}
          {selected ? <StepDetail step={selected} /> : <p className="muted pad">Click a step to see what went in and out.</p>}
          {finished && execution?.output !== undefined && !selected && (
            <details className="step-section" open>
              <summary>Run output</summary>
              <ResultView value={execution.output} />
              <JsonTree value={execution.output} />
            </details>
          )}
        </div>
      </div>
    </section>
  );
}
