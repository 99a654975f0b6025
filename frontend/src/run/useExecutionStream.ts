/**
 * Watch one execution (see executionWatcher.ts: snapshot, events in seq order, gaps and
 * quiet spells filled from the API), folded into state in ~200 ms batches (n8n throttles
 * its canvas the same way).
 */
import { useEffect, useRef, useState } from "react";
import type { Execution, ExecutionEvent } from "../types";
import { applyExecutionEvent } from "./executionState";
import { ExecutionWatcher } from "./executionWatcher";

const FLUSH_MS = 200;

export function executionSocketUrl(wsPath: string, executionId: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const base = wsPath.endsWith("/") ? wsPath : `${wsPath}/`;
  return `${scheme}//${location.host}${base}${encodeURIComponent(executionId)}/`;
}

export function useExecutionStream(executionId: string | null, wsPath: string, generation: number) {
  const [execution, setExecution] = useState<Execution | null>(null);
  const [transport, setTransport] = useState<"socket" | "polling" | null>(null);
  const buffer = useRef<ExecutionEvent[]>([]);

  useEffect(() => {
    if (!executionId) return;
    buffer.current = [];
    setExecution(null);

    const flush = window.setInterval(() => {
      if (buffer.current.length === 0) return;
      const batch = buffer.current;
      buffer.current = [];
      setExecution((current) => batch.reduce(applyExecutionEvent, current));
    }, FLUSH_MS);

    const watcher = new ExecutionWatcher({
      executionId,
      socketUrl: executionSocketUrl(wsPath, executionId),
      onEvents: (events) => buffer.current.push(...events),
      onTransport: setTransport,
    });
    watcher.start();

    return () => {
      window.clearInterval(flush);
      watcher.stop();
    };
  }, [executionId, wsPath, generation]);

  return { execution, transport };
}
