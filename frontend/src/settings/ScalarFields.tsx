/** Single-control fields: text, number, boolean, select, expression and raw JSON. */
import { useState } from "react";
import { ExpressionInput } from "./ExpressionInput";
import type { FieldProps } from "./fieldProps";
import { schemaTypes } from "./fieldKind";
import { optionLabel } from "../plainWords";
import { useDraftText } from "./useDraftText";
import type { JsonValue } from "../types";

export function TextField({ id, name, value, onChange, placeholder, readOnly }: FieldProps) {
  return (
    <input
      id={id}
      className="input nodrag"
      type="text"
      data-testid={`field-${name}`}
      value={typeof value === "string" ? value : value === undefined ? "" : String(value)}
      placeholder={placeholder}
      readOnly={readOnly}
      onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
    />
  );
}

export function NumberField({ id, name, schema, value, onChange, placeholder, readOnly }: FieldProps) {
  const { text, setText, remember } = useDraftText(value, (v) => (v === undefined || v === null ? "" : String(v)));
  const integer = schemaTypes(schema).includes("integer");
  const invalid = text.trim() !== "" && !Number.isFinite(Number(text));
  return (
    <>
      <input
        id={id}
        className="input nodrag"
        type="text"
        inputMode={integer ? "numeric" : "decimal"}
        data-testid={`field-${name}`}
        aria-invalid={invalid || undefined}
        value={text}
        placeholder={placeholder}
        readOnly={readOnly}
        onChange={(event) => {
          const raw = event.target.value;
          setText(raw);
          if (raw.trim() === "") {
            remember(undefined);
            onChange(undefined);
          } else if (Number.isFinite(Number(raw))) {
            const parsed = integer ? Math.trunc(Number(raw)) : Number(raw);
            remember(parsed);
            onChange(parsed);
          }
        }}
      />
      {invalid && <p className="field-error">Enter a number.</p>}
    </>
  );
}

export function BooleanField({ id, name, schema, value, onChange, readOnly }: FieldProps) {
  const checked = typeof value === "boolean" ? value : schema.default === true;
  return (
    <label className="switch nodrag" htmlFor={id}>
      <input
        id={id}
        type="checkbox"
        data-testid={`field-${name}`}
        checked={checked}
        disabled={readOnly}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>{checked ? "Yes" : "No"}</span>
    </label>
  );
}

export function SelectField({ id, name, schema, value, onChange, readOnly }: FieldProps) {
  const options = schema.enum ?? [];
  const current = options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
  const fallback = schema.default !== undefined ? ` (default: ${String(schema.default)})` : "";
  return (
    <select
      id={id}
      className="input nodrag"
      data-testid={`field-${name}`}
      value={current === -1 ? "" : String(current)}
      disabled={readOnly}
      onChange={(event) => onChange(event.target.value === "" ? undefined : options[Number(event.target.value)])}
    >
      <option value="">{`— choose —${fallback}`}</option>
      {options.map((option, index) => (
        <option key={index} value={String(index)}>
          {optionLabel(option, schema)}
        </option>
      ))}
    </select>
  );
}

function formatJson(value: JsonValue | undefined): string {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

export function JsonField({ id, name, value, onChange, placeholder, readOnly }: FieldProps) {
  const { text, setText, remember } = useDraftText(value, formatJson);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        id={id}
        className="input code nodrag"
        rows={4}
        spellCheck={false}
        data-testid={`field-${name}`}
        aria-invalid={error !== null || undefined}
        value={text}
        placeholder={placeholder}
        readOnly={readOnly}
        onChange={(event) => {
          const raw = event.target.value;
          setText(raw);
          if (raw.trim() === "") {
            setError(null);
            remember(undefined);
            onChange(undefined);
            return;
          }
          try {
            const parsed = JSON.parse(raw) as JsonValue;
            setError(null);
            remember(parsed);
            onChange(parsed);
          } catch (problem) {
            setError(problem instanceof Error ? problem.message : "Invalid JSON");
          }
        }}
      />
      {error && <p className="field-error">Invalid JSON: {error}</p>}
    </>
  );
}

/** An expression field's text: strings as they are, other JSON values pretty-printed. */
function formatExpressionValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** Typed `{…}` or `[…]` that parses is kept as JSON (a body object); anything else is text. */
export function parseExpressionValue(text: string): JsonValue | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (/^[[{]/.test(trimmed) && !trimmed.startsWith("{{")) {
    try {
      return JSON.parse(trimmed) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

export function ExpressionField({ id, name, value, onChange, placeholder, suggestions, readOnly }: FieldProps) {
  const { text, setText, remember } = useDraftText(value, formatExpressionValue);
  const multiline = text.includes("\n") || (value !== undefined && typeof value === "object");
  return (
    <ExpressionInput
      id={id}
      testId={`field-${name}`}
      value={text}
      rows={multiline ? 4 : 1}
      placeholder={placeholder}
      suggestions={suggestions}
      readOnly={readOnly}
      onChange={(raw) => {
        setText(raw);
        const parsed = parseExpressionValue(raw);
        remember(parsed);
        onChange(parsed);
      }}
    />
  );
}
