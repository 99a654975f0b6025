/** Starting and steering test runs of the draft, and watching the current one. */
import { useCallback, useState } from "react";
import { api } from "../api";
import type { Notify } from "../editor/useToasts";
import type { JsonValue } from "../types";
import { useExecutionStream } from "./useExecutionStream";

export function useRun(workflowId: string, wsPath: string, notify: Notify) {
  const [executionId, setExecutionId] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [lastInput, setLastInput] = useState<JsonValue | null>(null);
  const [starting, setStarting] = useState(false);
  const { execution, transport } = useExecutionStream(executionId, wsPath, generation);

  const watch = (id: string) => {
    setExecutionId(id);
    setGeneration((n) => n + 1);
  };

  const start = useCallback(
    async (input: JsonValue, beforeRun?: () => Promise<unknown>) => {
      setStarting(true);
      setLastInput(input);
      try {
        await beforeRun?.();
        const started = await api.execute(workflowId, input);
        watch(started.execution_id);
      } catch (problem) {
        notify(`Couldn't start the run: ${problem instanceof Error ? problem.message : String(problem)}`, "error");
      } finally {
        setStarting(false);
      }
    },
    [workflowId, notify],
  );

  const steer = useCallback(
    async (action: () => Promise<{ id?: string } | null>, verb: string) => {
      if (!executionId) return;
      try {
        const result = await action();
        watch(result?.id ?? executionId);
      } catch (problem) {
        notify(`Couldn't ${verb}: ${problem instanceof Error ? problem.message : String(problem)}`, "error");
      }
    },
    [executionId, notify],
  );

  const retry = useCallback(() => steer(() => api.retryExecution(executionId as string), "retry"), [steer, executionId]);
  const cancel = useCallback(() => steer(() => api.cancelExecution(executionId as string), "cancel"), [steer, executionId]);
  const resume = useCallback(
    (nodeId: string, payload: JsonValue) => steer(() => api.resumeExecution(executionId as string, nodeId, payload), "resume"),
    [steer, executionId],
  );
  const close = useCallback(() => setExecutionId(null), []);

  /** "Test step": one node as a test run, followed in the run panel like any run. */
  const testStep = useCallback(
    async (nodeId: string, beforeRun?: () => Promise<unknown>) => {
      setStarting(true);
      try {
        await beforeRun?.();
        const started = await api.testStep(workflowId, nodeId, executionId);
        watch(started.execution_id);
      } catch (problem) {
        notify(`Couldn't test the step: ${problem instanceof Error ? problem.message : String(problem)}`, "error");
      } finally {
        setStarting(false);
      }
    },
    [workflowId, executionId, notify],
  );

  return {
    executionId,
    execution: executionId ? execution : null,
    transport,
    lastInput,
    starting,
    start,
    retry,
    cancel,
    resume,
    close,
    testStep,
    /** Show a past run (opened from its page): its node states and step data. */
    open: watch,
  };
}
