/** Fields holding several values: a key-value list, a list of strings, a set of choices. */
import { useEffect, useRef, useState } from "react";
import { ExpressionInput } from "./ExpressionInput";
import type { FieldProps } from "./fieldProps";
import { keyValueAcceptsExpressions } from "./fieldKind";
import type { JsonObject, JsonValue } from "../types";

interface Row {
  key: string;
  value: string;
}

function rowsOf(value: JsonValue | undefined): Row[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).map(([key, item]) => ({ key, value: typeof item === "string" ? item : JSON.stringify(item) }));
}

function objectOf(rows: Row[]): JsonObject | undefined {
  const named = rows.filter((row) => row.key.trim() !== "");
  if (named.length === 0) return undefined;
  return Object.fromEntries(named.map((row) => [row.key.trim(), row.value]));
}

/** Rows stay as typed (a row without a key yet is kept) until the value changes from outside. */
function useRows<T>(value: JsonValue | undefined, read: (value: JsonValue | undefined) => T[]) {
  const [rows, setRows] = useState<T[]>(() => read(value));
  const emitted = useRef(JSON.stringify(value ?? null));
  useEffect(() => {
    const incoming = JSON.stringify(value ?? null);
    if (incoming !== emitted.current) {
      emitted.current = incoming;
      setRows(read(value));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return { rows, setRows, remember: (next: JsonValue | undefined) => (emitted.current = JSON.stringify(next ?? null)) };
}

export function KeyValueField({ id, name, schema, value, onChange, suggestions, readOnly }: FieldProps) {
  const { rows, setRows, remember } = useRows(value, rowsOf);
  const expressions = keyValueAcceptsExpressions(schema);
  const update = (next: Row[]) => {
    setRows(next);
    const object = objectOf(next);
    remember(object);
    onChange(object);
  };
  return (
    <div className="kv" data-testid={`field-${name}`} id={id}>
      {rows.map((row, index) => (
        <div className="kv-row" key={index}>
          <input
            className="input nodrag"
            aria-label={`${name} key ${index + 1}`}
            placeholder="key"
            value={row.key}
            readOnly={readOnly}
            onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))}
          />
          {expressions ? (
            <ExpressionInput
              id={`${id}-value-${index}`}
              label={`${name} value ${index + 1}`}
              compact
              value={row.value}
              placeholder="value"
              suggestions={suggestions}
              readOnly={readOnly}
              onChange={(text) => update(rows.map((r, i) => (i === index ? { ...r, value: text } : r)))}
            />
          ) : (
            <input
              className="input nodrag"
              aria-label={`${name} value ${index + 1}`}
              placeholder="value"
              value={row.value}
              readOnly={readOnly}
              onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))}
            />
          )}
          {!readOnly && (
            <button type="button" className="icon-button" aria-label={`Remove ${row.key || "row"}`} onClick={() => update(rows.filter((_, i) => i !== index))}>
              ×
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" className="link-button" onClick={() => setRows([...rows, { key: "", value: "" }])}>
          + Add {name === "headers" ? "header" : "entry"}
        </button>
      )}
    </div>
  );
}

function stringsOf(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === "string" ? item : JSON.stringify(item))) : [];
}

export function StringListField({ id, name, value, onChange, placeholder, readOnly }: FieldProps) {
  const { rows, setRows, remember } = useRows(value, stringsOf);
  const update = (next: string[]) => {
    setRows(next);
    const list = next.filter((item) => item !== "");
    const out = list.length ? list : undefined;
    remember(out);
    onChange(out);
  };
  return (
    <div className="list-field" data-testid={`field-${name}`} id={id}>
      {rows.map((item, index) => (
        <div className="kv-row" key={index}>
          <input
            className="input nodrag"
            aria-label={`${name} ${index + 1}`}
            value={item}
            placeholder={placeholder}
            readOnly={readOnly}
            onChange={(event) => update(rows.map((r, i) => (i === index ? event.target.value : r)))}
          />
          {!readOnly && (
            <button type="button" className="icon-button" aria-label={`Remove ${item || "item"}`} onClick={() => update(rows.filter((_, i) => i !== index))}>
              ×
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" className="link-button" onClick={() => setRows([...rows, ""])}>
          + Add item
        </button>
      )}
    </div>
  );
}

export function MultiSelectField({ id, name, schema, value, onChange, readOnly }: FieldProps) {
  const options = schema.items?.enum ?? [];
  const chosen = Array.isArray(value) ? value : Array.isArray(schema.default) ? schema.default : [];
  const toggle = (option: JsonValue) => {
    const has = chosen.some((item) => item === option);
    const next = has ? chosen.filter((item) => item !== option) : options.filter((o) => o === option || chosen.includes(o));
    onChange(next.length ? next : undefined);
  };
  return (
    <div className="chips" data-testid={`field-${name}`} id={id} role="group">
      {options.map((option) => (
        <label key={String(option)} className="chip nodrag">
          <input type="checkbox" checked={chosen.includes(option)} disabled={readOnly} onChange={() => toggle(option)} />
          {String(option)}
        </label>
      ))}
    </div>
  );
}
