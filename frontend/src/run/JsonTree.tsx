/** A collapsible view of a JSON value: objects and arrays fold, scalars are coloured by type. */
import { useState } from "react";
import type { JsonValue } from "../types";

function Scalar({ value }: { value: JsonValue }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">"{value}"</span>;
  if (typeof value === "number") return <span className="json-number">{value}</span>;
  return <span className="json-boolean">{String(value)}</span>;
}

function Branch({ label, value, depth }: { label: string | null; value: JsonValue; depth: number }) {
  const isArray = Array.isArray(value);
  const entries: [string, JsonValue][] =
    value !== null && typeof value === "object" ? (isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value)) : [];
  const [open, setOpen] = useState(depth < 2);
  const key = label !== null ? <span className="json-key">{label}: </span> : null;
  if (value === null || typeof value !== "object") {
    return (
      <div className="json-row">
        {key}
        <Scalar value={value} />
      </div>
    );
  }
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div className="json-branch">
      <button type="button" className="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="json-caret">{open ? "▾" : "▸"}</span>
        {key}
        <span className="json-summary">{summary}</span>
      </button>
      {open && (
        <div className="json-children">
          {entries.map(([childKey, child]) => (
            <Branch key={childKey} label={childKey} value={child} depth={depth + 1} />
          ))}
        </div>
      )}
    </div>
  );
}

export function JsonTree({ value, emptyText = "—" }: { value: JsonValue | undefined; emptyText?: string }) {
  if (value === undefined) return <p className="muted">{emptyText}</p>;
  return (
    <div className="json-tree">
      <Branch label={null} value={value} depth={0} />
    </div>
  );
}
