/**
 * Watch one execution: a WebSocket snapshot then events, folded into state in ~200 ms
 * batches (n8n throttles its canvas the same way); polling every second if the socket fails.
 */
import { useEffect, useRef, useState } from "react";
import { api } from "../api";
import type { Execution, ExecutionEvent } from "../types";
import { applyExecutionEvent, isTerminal } from "./executionState";

const FLUSH_MS = 200;
const POLL_MS = 1000;

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
    let closed = false;
    let lastSeq = -1;
    let socket: WebSocket | null = null;
    let pollTimer: number | undefined;
    buffer.current = [];
    setExecution(null);

    const flush = window.setInterval(() => {
      if (buffer.current.length === 0) return;
      const batch = buffer.current;
      buffer.current = [];
      setExecution((current) => batch.reduce(applyExecutionEvent, current));
    }, FLUSH_MS);

    const poll = async () => {
      if (closed) return;
      try {
        const latest = await api.execution(executionId);
        if (closed) return;
        buffer.current.push({ event: "snapshot", execution: latest });
        if (isTerminal(latest)) return;
      } catch {
        // A failed poll is retried on the next tick.
      }
      pollTimer = window.setTimeout(poll, POLL_MS);
    };
    const startPolling = () => {
      if (closed || pollTimer !== undefined) return;
      setTransport("polling");
      void poll();
    };

    let finished = false;
    try {
      socket = new WebSocket(executionSocketUrl(wsPath, executionId));
      setTransport("socket");
      socket.onmessage = (message) => {
        let event: ExecutionEvent;
        try {
          event = JSON.parse(String(message.data)) as ExecutionEvent;
        } catch {
          return;
        }
        if (event.event !== "snapshot") {
          // The snapshot already holds every event up to its seq; skip those and repeats.
          if (event.seq <= lastSeq) return;
          lastSeq = event.seq;
        } else {
          lastSeq = typeof event.seq === "number" ? event.seq : lastSeq;
          if (isTerminal(event.execution)) finished = true;
        }
        buffer.current.push(event);
        if (event.event === "execution.finished") {
          finished = true;
          // The finished event carries status and output; the record adds timings and errors.
          api
            .execution(executionId)
            .then((latest) => !closed && buffer.current.push({ event: "snapshot", execution: latest }))
            .catch(() => undefined);
        }
      };
      socket.onerror = () => startPolling();
      socket.onclose = () => {
        if (!finished) startPolling();
      };
    } catch {
      startPolling();
    }

    return () => {
      closed = true;
      window.clearInterval(flush);
      window.clearTimeout(pollTimer);
      if (socket) {
        socket.onclose = null;
        socket.onerror = null;
        socket.close();
      }
    };
  }, [executionId, wsPath, generation]);

  return { execution, transport };
}
