/**
 * The "Try it" chat's socket: opens `/ws/workflows/<id>/chat/`, says hello (the server sends
 * this builder's test conversation so far), sends messages, reconnects with a growing pause.
 */
import { useCallback, useEffect, useReducer, useRef } from "react";
import { chatReducer, initialChatState, tryChatUrl } from "./chatState";

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;
const browserSocket = (url: string) => new WebSocket(url);

export function useTryChat(workflowId: string, enabled: boolean, openSocket: (url: string) => WebSocket = browserSocket) {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const socket = useRef<WebSocket | null>(null);
  const outbox = useRef<string[]>([]);
  outbox.current = state.outbox;

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let retryMs = RETRY_MIN_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = () => {
      if (stopped) return;
      dispatch({ kind: "connection", connection: "connecting" });
      const ws = openSocket(tryChatUrl(workflowId));
      socket.current = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: "hello" }));
      ws.onmessage = (event) => {
        let frame: unknown;
        try {
          frame = JSON.parse(String(event.data));
        } catch {
          return;
        }
        dispatch({ kind: "frame", frame });
        if ((frame as { type?: string }).type === "ready") {
          retryMs = RETRY_MIN_MS;
          for (const text of outbox.current) ws.send(JSON.stringify({ type: "message", text }));
          dispatch({ kind: "flushed" });
        }
      };
      ws.onclose = (event) => {
        socket.current = null;
        dispatch({ kind: "connection", connection: "closed" });
        if (stopped || event.code === 4403 || event.code === 4404) return;
        timer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      const ws = socket.current;
      socket.current = null;
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = null;
        ws.close();
      }
    };
  }, [workflowId, enabled, openSocket]);

  const send = useCallback((text: string) => {
    const trimmed = text.trim();
    if (!trimmed) return;
    const ws = socket.current;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "message", text: trimmed }));
    else dispatch({ kind: "queue", text: trimmed });
  }, []);

  /** A new test conversation: the server closes this builder's current one and starts afresh. */
  const restart = useCallback(() => {
    const ws = socket.current;
    dispatch({ kind: "reset" });
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "restart" }));
  }, []);

  return { state, send, restart };
}
