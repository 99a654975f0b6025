/** The test input a Run starts with, and remembering it across reloads (issue 16). */
import type { JsonObject, JsonValue, NodeTypeInfo } from "../types";

const KEY_PREFIX = "flowbuilder:run-input:";

function isFilledObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0;
}

/**
 * The last input used (kept in this browser), else the trigger node's `sample_input`
 * (what it would receive; templates declare one), else the trigger type's example, else `{}`.
 */
export function initialRunInput(
  lastInput: JsonValue | null,
  triggerConfig: JsonObject | undefined,
  triggerType: NodeTypeInfo | undefined,
): JsonValue {
  if (isFilledObject(lastInput)) return lastInput;
  const declared = triggerConfig?.sample_input;
  if (isFilledObject(declared)) return declared;
  const example = triggerType?.example ?? {};
  return (example.sample_input ?? example.sample_payload ?? example.payload ?? {}) as JsonValue;
}

export function rememberRunInput(workflowId: string, input: JsonValue, storage: Storage | undefined = safeStorage()): void {
  try {
    storage?.setItem(KEY_PREFIX + workflowId, JSON.stringify(input));
  } catch {
    // Full or disabled storage: the input is simply not kept.
  }
}

export function recalledRunInput(workflowId: string, storage: Storage | undefined = safeStorage()): JsonValue | null {
  try {
    const saved = storage?.getItem(KEY_PREFIX + workflowId);
    return saved ? (JSON.parse(saved) as JsonValue) : null;
  } catch {
    return null;
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof window === "undefined" ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}
