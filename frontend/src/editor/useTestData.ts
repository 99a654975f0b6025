/** The editor's hooks for test data (D24): the expression preview's server call, and a past run to show. */
import { useEffect, useMemo, useRef } from "react";
import { api } from "../api";
import type { PreviewFn } from "../settings/ExpressionPreview";
import type { PinnedData } from "../types";

/**
 * How the selected node's settings ask for a preview: the server (the real engine) on the saved
 * draft, so there is none while edits are unsaved; a new save, run or pin makes a new function,
 * which asks again.
 */
export function usePreview(
  workflowId: string,
  nodeId: string | undefined,
  saved: boolean,
  executionId: string | null,
  runStatus: string | undefined,
  pinned: Record<string, PinnedData>,
): PreviewFn | null {
  return useMemo(
    () => (nodeId && saved ? (text: string) => api.preview(workflowId, nodeId, text, executionId) : null),
    [workflowId, nodeId, saved, executionId, runStatus, pinned], // eslint-disable-line react-hooks/exhaustive-deps
  );
}

/** "Open in editor" from an execution's page (`?execution=`): that run's states and step data on the canvas. */
export function usePastRun(open: (executionId: string) => void): void {
  const opener = useRef(open);
  useEffect(() => {
    const past = new URLSearchParams(window.location.search).get("execution");
    if (past) opener.current(past);
  }, []);
}
