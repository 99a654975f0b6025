import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { executionSocketUrl, useExecutionStream } from "../src/run/useExecutionStream";
import type { Execution } from "../src/types";

class FakeSocket {
  static last: FakeSocket | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  close() {
    this.closed = true;
  }
}

const execution: Execution = { id: "exec_1", workflow_id: "wf_1", version: "draft", status: "running", steps: [] };
const stepEvent = (seq: number, status: string) => ({
  event: `step.${status === "running" ? "started" : status}`,
  execution_id: "exec_1",
  seq,
  data: { step_key: "a", node_id: "a", status, attempt: 1 },
});

afterEach(() => vi.unstubAllGlobals());

describe("watching an execution", () => {
  it("builds the socket address from the page's scheme and host", () => {
    const location = { protocol: "https:", host: "flow.example.com" } as Location;
    expect(executionSocketUrl("/ws/executions/", "exec_1", location)).toBe("wss://flow.example.com/ws/executions/exec_1/");
  });

  it("applies the snapshot, then newer events in batches, skipping ones the snapshot holds", async () => {
    vi.stubGlobal("WebSocket", FakeSocket);
    const { result } = renderHook(() => useExecutionStream("exec_1", "/ws/executions/", 1));
    const socket = FakeSocket.last!;
    expect(socket.url).toMatch(/\/ws\/executions\/exec_1\/$/);
    act(() => {
      socket.send({ event: "snapshot", execution, seq: 2 });
      socket.send(stepEvent(2, "running"));
      socket.send(stepEvent(3, "succeeded"));
      socket.send(stepEvent(3, "failed"));
    });
    expect(result.current.execution).toBeNull();
    await waitFor(() => expect(result.current.execution?.steps[0]?.status).toBe("succeeded"));
    act(() => socket.send({ event: "execution.finished", execution_id: "exec_1", seq: 4, data: { status: "completed" } }));
    await waitFor(() => expect(result.current.execution?.status).toBe("completed"));
    expect(result.current.transport).toBe("socket");
  });

  it("falls back to polling the API when the socket fails", async () => {
    vi.stubGlobal("WebSocket", FakeSocket);
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ success: true, data: { ...execution, status: "completed" } })));
    vi.stubGlobal("fetch", fetchMock);
    const { result } = renderHook(() => useExecutionStream("exec_1", "/ws/executions/", 1));
    act(() => FakeSocket.last!.onerror?.());
    await waitFor(() => expect(result.current.execution?.status).toBe("completed"));
    expect(result.current.transport).toBe("polling");
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe("/api/v1/executions/exec_1");
  });
});
