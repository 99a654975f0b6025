/** The workflow's variables (`{{ vars.name }}` in expressions), edited as a JSON object. */
import { useState } from "react";
import { useDraftText } from "../settings/useDraftText";
import type { JsonObject, JsonValue } from "../types";

interface Props {
  variables: JsonObject;
  readOnly: boolean;
  onChange: (variables: JsonObject) => void;
}

export function VariablesPanel({ variables, readOnly, onChange }: Props) {
  const { text, setText, remember } = useDraftText(variables, (value) => JSON.stringify(value ?? {}, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="variables-panel" aria-label="Workflow variables">
      <label className="field">
        <span className="field-label">Workflow variables</span>
        <textarea
          className="input code"
          rows={Math.min(10, Math.max(3, text.split("\n").length))}
          spellCheck={false}
          data-testid="field-variables"
          aria-invalid={error !== null || undefined}
          readOnly={readOnly}
          value={text}
          onChange={(event) => {
            const raw = event.target.value;
            setText(raw);
            try {
              const parsed = JSON.parse(raw.trim() === "" ? "{}" : raw) as JsonValue;
              if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
                setError('Variables are a JSON object, like {"threshold": 100}.');
                return;
              }
              setError(null);
              remember(parsed);
              onChange(parsed);
            } catch (problem) {
              setError(`Invalid JSON: ${problem instanceof Error ? problem.message : String(problem)}`);
            }
          }}
        />
      </label>
      {error ? <p className="field-error">{error}</p> : <p className="field-help">Use them in any expression as {"{{ vars.name }}"}.</p>}
    </section>
  );
}
