import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { chatReducer, hasMessageTrigger, initialChatState, toLine, tryChatUrl, type ChatState } from "../src/chat/chatState";
import { useTryChat } from "../src/chat/useTryChat";

const message = (id: string, direction: "in" | "out", text: string, extra: Record<string, unknown> = {}) => ({
  id,
  direction,
  text,
  created_at: "2026-11-30T20:00:00+00:00",
  conversation_id: "conv_1",
  ...extra,
});

const fold = (frames: unknown[], state: ChatState = initialChatState) =>
  frames.reduce<ChatState>((current, frame) => chatReducer(current, { kind: "frame", frame }), state);

describe("the Try it chat's state", () => {
  it("shows the transcript the server sends on ready, then live messages once each", () => {
    const state = fold([
      { type: "ready", conversation_id: "conv_1", messages: [message("msg_1", "in", "help"), message("msg_2", "out", "Hi!")] },
      { type: "message", message: message("msg_3", "in", "thanks") },
      { type: "message", message: message("msg_3", "in", "thanks") },
      { type: "message", message: message("msg_4", "out", "You're welcome", { execution_id: "exec_9" }) },
    ]);
    expect(state.connection).toBe("open");
    expect(state.conversationId).toBe("conv_1");
    expect(state.lines.map((line) => [line.id, line.direction, line.text])).toEqual([
      ["msg_1", "in", "help"],
      ["msg_2", "out", "Hi!"],
      ["msg_3", "in", "thanks"],
      ["msg_4", "out", "You're welcome"],
    ]);
    expect(state.lines[3]?.executionId).toBe("exec_9");
  });

  it("shows typing until a reply arrives, and an error frame as a line that stops it", () => {
    let state = fold([{ type: "ready", conversation_id: null, messages: [] }, { type: "typing", on: true }]);
    expect(state.typing).toBe(true);
    state = fold([{ type: "message", message: message("msg_1", "out", "Hello") }], state);
    expect(state.typing).toBe(false);
    state = fold([{ type: "typing", on: true }, { type: "error", code: "RATE_LIMITED", message: "Slow down." }], state);
    expect(state.typing).toBe(false);
    expect(state.lines.at(-1)).toMatchObject({ direction: "error", text: "Slow down." });
  });

  it("ignores frames that are not what the protocol sends", () => {
    const before = fold([{ type: "ready", conversation_id: "conv_1", messages: [message("msg_1", "in", "hi"), "junk", null] }]);
    expect(before.lines).toHaveLength(1);
    const after = fold(["text", 42, null, { type: "nope" }, { type: "message", message: { id: 5, text: "x" } }], before);
    expect(after).toEqual(before);
    expect(toLine({ id: "m", direction: "sideways", text: "x" })).toBeNull();
  });

  it("keeps what was typed while disconnected, and a reset starts an empty conversation", () => {
    let state = chatReducer(initialChatState, { kind: "queue", text: "are you there?" });
    expect(state.outbox).toEqual(["are you there?"]);
    state = chatReducer(state, { kind: "flushed" });
    expect(state.outbox).toEqual([]);
    state = fold([{ type: "ready", conversation_id: "conv_1", messages: [message("msg_1", "in", "hi")] }], state);
    state = chatReducer(state, { kind: "reset" });
    expect(state.lines).toEqual([]);
    expect(state.conversationId).toBeNull();
    expect(state.connection).toBe("open");
  });

  it("builds the socket address and offers the panel only to chat workflows", () => {
    expect(tryChatUrl("wf_1", { protocol: "https:", host: "flow.example.com" })).toBe("wss://flow.example.com/ws/workflows/wf_1/chat/");
    expect(hasMessageTrigger([{ data: { type: "trigger.manual" } }])).toBe(false);
    expect(hasMessageTrigger([{ data: { type: "trigger.message" } }, { data: { type: "ai.chat" } }])).toBe(true);
  });
});

class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

describe("the Try it chat's socket", () => {
  it("says hello, sends what was typed before the server was ready, then sends directly", () => {
    FakeSocket.all = [];
    const open = (url: string) => new FakeSocket(url) as unknown as WebSocket;
    (globalThis as { WebSocket: unknown }).WebSocket = FakeSocket;
    const { result } = renderHook(() => useTryChat("wf_1", true, open));
    const socket = FakeSocket.all[0]!;
    expect(socket.url).toMatch(/\/ws\/workflows\/wf_1\/chat\/$/);
    act(() => result.current.send("  help  "));
    expect(result.current.state.outbox).toEqual(["help"]);
    act(() => socket.open());
    expect(socket.sent).toEqual([{ type: "hello" }]);
    act(() => socket.receive({ type: "ready", conversation_id: null, messages: [] }));
    expect(socket.sent.at(-1)).toEqual({ type: "message", text: "help" });
    expect(result.current.state.outbox).toEqual([]);
    act(() => result.current.send("more"));
    expect(socket.sent.at(-1)).toEqual({ type: "message", text: "more" });
    act(() => result.current.restart());
    expect(socket.sent.at(-1)).toEqual({ type: "restart" });
    expect(FakeSocket.all).toHaveLength(1); // no reconnect loop from re-renders
  });
});
