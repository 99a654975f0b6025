/** Folding live execution events into the execution object, and reading node states from it. */
import type { Execution, ExecutionEvent, ExecutionStatus, ExecutionStep, JsonValue, NodeRunState, StepEventData } from "../types";

export const TERMINAL_STATUSES = new Set(["completed", "failed", "cancelled"]);

export function isTerminal(execution: Execution | null): boolean {
  return execution !== null && TERMINAL_STATUSES.has(execution.status);
}

function durationBetween(start?: string | null, end?: string | null): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? ms : null;
}

function stepFromEvent(data: StepEventData, previous: ExecutionStep | undefined): ExecutionStep {
  const started = data.started_at ?? previous?.started_at ?? null;
  const completed = data.finished_at ?? null;
  return {
    ...previous,
    step_key: data.step_key,
    node_id: data.node_id,
    type: data.node_type ?? previous?.type,
    status: data.status,
    attempt: data.attempt,
    started_at: started,
    completed_at: completed,
    duration_ms: durationBetween(started, completed),
    input: data.input ?? previous?.input,
    output: data.output ?? previous?.output,
    output_port: data.output_port ?? previous?.output_port ?? null,
    error: data.error ?? null,
  };
}

/** Apply one event; events the execution already reflects (by `seq`) are ignored by the caller. */
export function applyExecutionEvent(execution: Execution | null, event: ExecutionEvent): Execution | null {
  if (event.event === "snapshot") return event.execution;
  if (execution === null) return execution;
  if (event.event.startsWith("step.")) return applyStepEvent(execution, event.event, event.data as StepEventData);
  if (event.event === "execution.finished") {
    const data = event.data as { status: ExecutionStatus; output?: JsonValue; error?: Execution["error"] };
    return { ...execution, status: data.status, output: data.output ?? execution.output, error: data.error ?? execution.error ?? null };
  }
  // execution.started, execution.waiting and the like carry the run's new status.
  const status = (event.data as { status?: unknown } | undefined)?.status;
  if (event.event.startsWith("execution.") && typeof status === "string" && !TERMINAL_STATUSES.has(execution.status)) {
    return { ...execution, status: status as ExecutionStatus };
  }
  return execution;
}

function applyStepEvent(execution: Execution, kind: string, data: StepEventData): Execution {
  if (!data?.step_key) return execution;
  // One row per attempt, as the API lists them: a retry adds a row, it never rewrites one.
  const index = execution.steps.findIndex((step) => step.step_key === data.step_key && step.attempt === data.attempt);
  const steps = [...execution.steps];
  if (index === -1) steps.push(stepFromEvent(data, undefined));
  else steps[index] = stepFromEvent(data, steps[index]);
  if (TERMINAL_STATUSES.has(execution.status)) return { ...execution, steps };
  const status = kind === "step.waiting" ? "waiting" : execution.status === "pending" || execution.status === "waiting" ? "running" : execution.status;
  return { ...execution, status, steps };
}

const STATE_RANK: Record<NodeRunState, number> = {
  running: 6,
  retrying: 5,
  waiting: 4,
  failed: 3,
  succeeded: 2,
  skipped: 1,
  queued: 0,
};

/**
 * The state each node shows: its most telling step (a loop runs a node many times; a
 * running attempt beats a finished one). While the run is live, nodes not reached yet are
 * `queued`; once it ends they show nothing.
 */
export function nodeRunStates(execution: Execution | null, nodeIds: string[]): Record<string, NodeRunState> {
  const states: Record<string, NodeRunState> = {};
  if (!execution) return states;
  // A step's latest attempt is its state (a retry that succeeded is a success)...
  const latest = new Map<string, ExecutionStep>();
  for (const step of execution.steps) {
    const seen = latest.get(step.step_key);
    if (!seen || step.attempt >= seen.attempt) latest.set(step.step_key, step);
  }
  // ...and across a node's steps (loop iterations) the most telling state wins.
  for (const step of latest.values()) {
    const current = states[step.node_id];
    if (current === undefined || STATE_RANK[step.status] >= STATE_RANK[current]) states[step.node_id] = step.status;
  }
  if (!isTerminal(execution)) {
    for (const id of nodeIds) states[id] ??= "queued";
  }
  return states;
}

/** The step a Resume button feeds: the last one waiting. */
/** A step row's identity: the API keeps one row per (step_key, attempt). */
export function stepRowKey(step: { step_key: string; attempt: number }): string {
  return `${step.step_key}@${step.attempt}`;
}

export function waitingStep(execution: Execution | null): ExecutionStep | undefined {
  // Only a waiting run can be resumed: once it failed, was cancelled or moved on, a step left
  // "waiting" in the snapshot must not offer a Resume that the server would refuse.
  if (execution?.status !== "waiting") return undefined;
  return execution.steps.filter((step) => step.status === "waiting").pop();
}
