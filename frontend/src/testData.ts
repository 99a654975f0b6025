/**
 * Test data in the editor (docs/design.md D24): pinning a node's output from the last run or
 * typed JSON, and how an expression preview reads. Pure, so it is unit-tested.
 */
import type { Execution, JsonValue, PinnedData, PreviewResult } from "./types";

/** The node's output in a run (its last succeeded attempt outside loops), ready to pin; null if none. */
export function pinFromRun(execution: Execution | null, nodeId: string): PinnedData | null {
  if (!execution) return null;
  const done = execution.steps.filter((s) => s.step_key === nodeId && s.status === "succeeded");
  const step = done[done.length - 1];
  if (!step || step.output === undefined) return null;
  if (isTruncated(step.output)) return null; // only a preview came inline: pinning it would lose data
  return step.output_port ? { output: step.output, port: step.output_port } : { output: step.output };
}

function isTruncated(value: JsonValue): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "$truncated" in value;
}

export type ParsedPin = { ok: true; pin: PinnedData } | { ok: false; error: string };

/** Typed JSON as a pin: any JSON value; a clear sentence when it is not JSON. */
export function parsePin(text: string): ParsedPin {
  if (text.trim() === "") return { ok: false, error: "Type the output as JSON, e.g. {\"status\": 200}." };
  try {
    return { ok: true, pin: { output: JSON.parse(text) as JsonValue } };
  } catch (problem) {
    const detail = problem instanceof Error ? problem.message : String(problem);
    return { ok: false, error: `This is not valid JSON: ${detail}` };
  }
}

/** The pins with `nodeId` pinned to `pin`, or unpinned when `pin` is null (a new object). */
export function withPin(pinned: Record<string, PinnedData>, nodeId: string, pin: PinnedData | null): Record<string, PinnedData> {
  const next = { ...pinned };
  if (pin) next[nodeId] = pin;
  else delete next[nodeId];
  return next;
}

/** The JSON a pin shows in its editor box. */
export function pinText(pin: PinnedData | undefined): string {
  return pin ? JSON.stringify(pin.output, null, 2) : "";
}

/** Whether a setting's text holds an expression worth previewing. */
export function wantsPreview(text: string): boolean {
  return /\{\{[\s\S]*\}\}/.test(text);
}

/** The line under a field: the value as it would reach the node (text as is, other values as JSON). */
export function previewLine(result: PreviewResult): { kind: "value" | "error" | "empty"; text: string } {
  if (result.error) return { kind: "error", text: result.error };
  const value = result.value;
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  const from = result.data_from === "pinned" ? "pinned data" : result.data_from === "run" ? "the last run" : "no data yet";
  if (value === null && result.data_from === "none") return { kind: "empty", text: "No data yet: run the workflow or pin data to preview." };
  return { kind: "value", text: `${shown === "" ? "(empty text)" : shown}  · from ${from}` };
}
