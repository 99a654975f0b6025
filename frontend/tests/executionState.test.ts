import { describe, expect, it } from "vitest";
import { applyExecutionEvent, nodeRunStates, waitingStep } from "../src/run/executionState";
import { recordState, redoState, startHistory, undoState } from "../src/editor/history";
import { pinFromRun } from "../src/testData";
import type { Execution, ExecutionEvent, StepEventData } from "../src/types";

const pending: Execution = { id: "exec_1", workflow_id: "wf_1", version: "draft", status: "pending", steps: [] };
const step = (event: string, data: Partial<StepEventData>, seq: number): ExecutionEvent =>
  ({ event, execution_id: "exec_1", seq, data: { step_key: "a#1", node_id: "a", status: "running", attempt: 1, ...data } }) as ExecutionEvent;

describe("live execution state", () => {
  it("starts from the snapshot and folds step events in", () => {
    let execution = applyExecutionEvent(null, { event: "snapshot", execution: pending });
    execution = applyExecutionEvent(execution, { event: "execution.started", execution_id: "exec_1", seq: 1, data: {} });
    execution = applyExecutionEvent(execution, step("step.started", { started_at: "2026-01-01T00:00:00Z", input: { x: 1 } }, 2));
    execution = applyExecutionEvent(
      execution,
      step("step.succeeded", { status: "succeeded", output: { y: 2 }, finished_at: "2026-01-01T00:00:00.250Z" }, 3),
    );
    expect(execution!.status).toBe("running");
    expect(execution!.steps).toHaveLength(1);
    expect(execution!.steps[0]).toMatchObject({ status: "succeeded", input: { x: 1 }, output: { y: 2 }, duration_ms: 250 });
    execution = applyExecutionEvent(execution, { event: "execution.finished", execution_id: "exec_1", seq: 4, data: { status: "completed", output: { y: 2 } } });
    expect(execution!.status).toBe("completed");
  });

  it("keeps the port a step left by, from its events alone (pinning from the run needs it)", () => {
    let execution = applyExecutionEvent(null, { event: "snapshot", execution: pending });
    execution = applyExecutionEvent(execution, step("step.started", { started_at: "2026-01-01T00:00:00Z" }, 1));
    execution = applyExecutionEvent(execution, step("step.succeeded", { status: "succeeded", output: { total: 6 }, output_port: "out" }, 2));
    expect(execution!.steps[0]).toMatchObject({ output: { total: 6 }, output_port: "out" });
    expect(pinFromRun(execution, "a#1")).toEqual({ output: { total: 6 }, port: "out" });
  });

  it("shows unreached nodes as queued while the run lives, and nothing after", () => {
    const running: Execution = {
      ...pending,
      status: "running",
      steps: [
        { step_key: "a#1", node_id: "a", status: "succeeded", attempt: 1 },
        { step_key: "b#1", node_id: "b", status: "running", attempt: 1 },
      ],
    };
    expect(nodeRunStates(running, ["a", "b", "c"])).toEqual({ a: "succeeded", b: "running", c: "queued" });
    expect(nodeRunStates({ ...running, status: "failed" }, ["a", "b", "c"])).toEqual({ a: "succeeded", b: "running" });
    expect(nodeRunStates(null, ["a"])).toEqual({});
  });

  it("lets a running loop iteration win over finished ones", () => {
    const loop: Execution = {
      ...pending,
      status: "running",
      steps: [
        { step_key: "body#1", node_id: "body", status: "succeeded", attempt: 1 },
        { step_key: "body#2", node_id: "body", status: "running", attempt: 1 },
        { step_key: "body#3", node_id: "body", status: "succeeded", attempt: 1 },
      ],
    };
    expect(nodeRunStates(loop, ["body"]).body).toBe("running");
  });

  it("finds the waiting step a Resume feeds", () => {
    const waiting = applyExecutionEvent(pending, step("step.waiting", { status: "waiting", node_id: "approve", step_key: "approve#1" }, 1));
    expect(waiting!.status).toBe("waiting");
    expect(waitingStep(waiting)?.node_id).toBe("approve");
  });

  it("offers no Resume once the run is no longer waiting, even with a step left waiting", () => {
    const waiting = applyExecutionEvent(pending, step("step.waiting", { status: "waiting", node_id: "approve", step_key: "approve#1" }, 1));
    expect(waitingStep({ ...waiting!, status: "failed" })).toBeUndefined();
    expect(waitingStep({ ...waiting!, status: "cancelled" })).toBeUndefined();
  });
});

describe("undo history", () => {
  it("undoes and redoes whole states, and a new edit drops the redo branch", () => {
    let history = startHistory("A");
    history = recordState(history, "B");
    history = recordState(history, "C");
    history = undoState(history);
    expect(history.present).toBe("B");
    history = redoState(history);
    expect(history.present).toBe("C");
    history = undoState(undoState(history));
    expect(history.present).toBe("A");
    history = recordState(history, "D");
    expect(history).toEqual({ past: ["A"], present: "D", future: [] });
  });

  it("folds a burst of typing into one entry", () => {
    let history = recordState(startHistory("A"), "B");
    history = recordState(history, "BC", true);
    history = recordState(history, "BCD", true);
    expect(undoState(history).present).toBe("A");
  });

  it("ignores undo with nothing to undo and a state equal to the present", () => {
    const history = startHistory("A");
    expect(undoState(history)).toBe(history);
    expect(redoState(history)).toBe(history);
    expect(recordState(history, "A")).toBe(history);
  });
});

describe("run-level events", () => {
  it("takes the status of execution.waiting and ignores events it does not draw", () => {
    const running: Execution = { ...pending, status: "running" };
    const waiting = applyExecutionEvent(running, { event: "execution.waiting", execution_id: "exec_1", seq: 5, data: { status: "waiting" } });
    expect(waiting).toEqual({ ...running, status: "waiting" });
    const recovered = applyExecutionEvent(running, { event: "execution.recovered", execution_id: "exec_1", seq: 6, data: { recovered_count: 1 } });
    expect(recovered).toBe(running);
    const logged = applyExecutionEvent(running, { event: "log", execution_id: "exec_1", seq: 7, data: { message: "hi" } });
    expect(logged).toBe(running);
  });
});

describe("retries", () => {
  it("keeps one row per attempt, as the API lists them", () => {
    let execution = applyExecutionEvent(pending, step("step.failed", { status: "failed", attempt: 1, error: { message: "boom" } }, 1));
    execution = applyExecutionEvent(execution, step("step.started", { status: "running", attempt: 2 }, 2));
    execution = applyExecutionEvent(execution, step("step.succeeded", { status: "succeeded", attempt: 2, output: 1 }, 3));
    expect(execution!.steps.map((s) => [s.attempt, s.status])).toEqual([
      [1, "failed"],
      [2, "succeeded"],
    ]);
    expect(nodeRunStates({ ...execution!, status: "completed" }, ["a"]).a).toBe("succeeded");
  });
});
