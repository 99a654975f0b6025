/** The selected node's settings: name, the schema-generated form, help, and retry/timeout. */
import { categoryLook } from "../canvas/categories";
import { NodeIcon } from "../canvas/NodeIcon";
import type { ExpressionSuggestion } from "../expressions";
import { problemField, type WorkflowFlowNode, type WorkflowNodeData } from "../mapping";
import { InlineMarkdown } from "../Markdown";
import type { ReactNode } from "react";
import { ExpressionPreviewContext, type PreviewFn } from "../settings/ExpressionPreview";
import { SchemaForm } from "../settings/SchemaForm";
import type { NodeTypeInfo, Problem, RetryPolicy } from "../types";

interface Props {
  node: WorkflowFlowNode;
  nodeType: NodeTypeInfo | undefined;
  suggestions: ExpressionSuggestion[];
  problems: Problem[];
  readOnly: boolean;
  onChange: (patch: Partial<WorkflowNodeData>) => void;
  onClose: () => void;
  /** Evaluates this node's expressions for the preview under each field (D24). */
  preview?: PreviewFn | null;
  /** Shown after the settings: the node's test data. */
  children?: ReactNode;
}

const RETRY_FIELDS: [keyof RetryPolicy, string, string][] = [
  ["max_attempts", "Attempts", "1"],
  ["backoff_seconds", "First wait (s)", "1"],
  ["backoff_multiplier", "Wait multiplier", "2"],
  ["max_delay_seconds", "Longest wait (s)", "60"],
];

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function AdvancedSettings({ node, readOnly, onChange }: Pick<Props, "node" | "readOnly" | "onChange">) {
  const retry = node.data.retry ?? {};
  const setRetry = (key: keyof RetryPolicy, text: string) => {
    const next: RetryPolicy = { ...retry };
    const value = numberOrUndefined(text);
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange({ retry: Object.keys(next).length ? next : undefined });
  };
  return (
    <details className="advanced" open={Boolean(node.data.retry || node.data.timeout_seconds)}>
      <summary>Retry and timeout</summary>
      <div className="advanced-grid">
        {RETRY_FIELDS.map(([key, label, placeholder]) => (
          <label key={key} className="field">
            <span className="field-label">{label}</span>
            <input
              className="input nodrag"
              type="number"
              min={0}
              data-testid={`retry-${key}`}
              placeholder={placeholder}
              readOnly={readOnly}
              value={retry[key] ?? ""}
              onChange={(event) => setRetry(key, event.target.value)}
            />
          </label>
        ))}
        <label className="field">
          <span className="field-label">Timeout (s)</span>
          <input
            className="input nodrag"
            type="number"
            min={0}
            data-testid="timeout-seconds"
            placeholder="none"
            readOnly={readOnly}
            value={node.data.timeout_seconds ?? ""}
            onChange={(event) => onChange({ timeout_seconds: numberOrUndefined(event.target.value) })}
          />
        </label>
      </div>
      <p className="field-help">After the last attempt the error leaves the red “error” port if it is wired; otherwise the run fails.</p>
    </details>
  );
}

export function SettingsPanel({ node, nodeType, suggestions, problems, readOnly, onChange, onClose, preview = null, children }: Props) {
  const category = nodeType?.category ?? "unknown";
  const look = categoryLook(category);
  const fieldProblems: Record<string, string> = {};
  const otherProblems: Problem[] = [];
  for (const problem of problems) {
    const field = problemField(problem);
    if (field && !fieldProblems[field]) fieldProblems[field] = problem.message;
    else otherProblems.push(problem);
  }
  const example = nodeType?.example ?? {};
  const hasExample = Object.keys(example).length > 0;

  return (
    <section className="settings-panel" data-testid="settings-panel" aria-label="Node settings" style={{ ["--category-color" as string]: look.color }}>
      <header className="panel-head">
        <span className="wf-node-icon" aria-hidden="true">
          <NodeIcon type={node.data.type} category={category} />
        </span>
        <div>
          <div className="panel-kicker">{nodeType?.label ?? node.data.type}</div>
          <code className="muted">{node.id}</code>
        </div>
        <button type="button" className="icon-button" aria-label="Close settings" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body">
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input nodrag"
            data-testid="node-name"
            value={node.data.name}
            readOnly={readOnly}
            onChange={(event) => onChange({ name: event.target.value })}
          />
        </label>
        {nodeType?.description && (
          <p className="type-description">
            <InlineMarkdown text={nodeType.description} />
          </p>
        )}
        {otherProblems.map((problem, index) => (
          <p key={index} className="field-error" role="alert">
            {problem.message}
          </p>
        ))}
        {nodeType ? (
          <ExpressionPreviewContext.Provider value={preview}>
          <SchemaForm
            nodeId={node.id}
            schema={nodeType.config_schema}
            config={node.data.config}
            example={example}
            suggestions={suggestions}
            fieldProblems={fieldProblems}
            readOnly={readOnly}
            onChange={(config) => onChange({ config })}
          />
          </ExpressionPreviewContext.Provider>
        ) : (
          <p className="field-error">This node type is not installed on the server.</p>
        )}
        {hasExample && (
          <details className="example">
            <summary>Example settings</summary>
            <pre>{JSON.stringify(example, null, 2)}</pre>
            {!readOnly && (
              <button type="button" className="button small" onClick={() => onChange({ config: structuredClone(example) })}>
                Use this example
              </button>
            )}
          </details>
        )}
        {nodeType?.category !== "trigger" && <AdvancedSettings node={node} readOnly={readOnly} onChange={onChange} />}
        {children}
      </div>
    </section>
  );
}
