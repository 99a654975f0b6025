/**
 * The project's functions as palette entries: each one a `function.call` node preset with
 * the function's name and, when the function declares an input schema, its input's shape.
 */
import { useEffect, useState } from "react";
import { api } from "../api";
import type { FunctionSummary, JsonObject, JsonSchema, JsonValue } from "../types";

/** The node type a function entry inserts. */
export const FUNCTION_NODE_TYPE = "function.call";

/** What a palette entry puts on the canvas besides its type: the node's name and config. */
export interface NodePreset {
  name: string;
  config: JsonObject;
}

/** Drag data carrying a preset (JSON) beside the node type. */
export const PRESET_MIME = "application/x-flowbuilder-node-preset";

/** The properties an input JSON Schema declares, in its order; [] when it declares none. */
export function declaredInputFields(fn: FunctionSummary): string[] {
  const schema = fn.spec?.input_schema as JsonSchema | undefined;
  const properties = schema && typeof schema === "object" ? schema.properties : undefined;
  return properties && typeof properties === "object" && !Array.isArray(properties) ? Object.keys(properties) : [];
}

/**
 * The node a function entry inserts: named after the function; its input maps each declared
 * field from the previous step's output (`{{ input.company }}`), or passes that output whole.
 */
export function functionPreset(fn: FunctionSummary): NodePreset {
  const fields = declaredInputFields(fn);
  const input: JsonValue = fields.length
    ? Object.fromEntries(fields.map((field) => [field, `{{ input.${field} }}`]))
    : "{{ input }}";
  return { name: fn.name, config: { function: fn.name, input } };
}

/** A preset read back from drag data; null when it is missing or not one. */
export function readPreset(text: string): NodePreset | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<NodePreset>;
    if (typeof value?.name !== "string" || !value.config || typeof value.config !== "object" || Array.isArray(value.config)) return null;
    return { name: value.name, config: value.config };
  } catch {
    return null;
  }
}

const KIND_LABELS: Record<string, string> = { code: "code", ai: "AI", http: "HTTP" };

/** How a function's kind reads: "code", "AI", "HTTP". */
export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** Whether every word of the search is in the function's name, kind or description. */
export function functionMatches(fn: FunctionSummary, query: string): boolean {
  const text = `${fn.name} ${kindLabel(fn.kind)} ${fn.description ?? ""} function`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

/**
 * The project's functions, loaded once and again whenever the window gets the focus back (a
 * function created in another tab shows up when the builder returns). [] until loaded or when
 * the list cannot be read: the palette then simply has no Functions group.
 */
export function useProjectFunctions(enabled: boolean): FunctionSummary[] {
  const [functions, setFunctions] = useState<FunctionSummary[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () =>
      api.functions().then(
        (list) => live && setFunctions(Array.isArray(list) ? list : []),
        () => undefined,
      );
    void load();
    window.addEventListener("focus", load);
    return () => {
      live = false;
      window.removeEventListener("focus", load);
    };
  }, [enabled]);
  return functions;
}
