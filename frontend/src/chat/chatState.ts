/**
 * The "Try it" chat's state, folded from the frames of the test-chat socket
 * (`/ws/workflows/<id>/chat/`, chat/consumers.py: the same frames as the site widget's).
 * Pure, so Vitest checks it without a socket.
 */

export interface ChatLine {
  id: string;
  direction: "in" | "out" | "error";
  text: string;
  createdAt?: string;
  executionId?: string | null;
}

export type ChatConnection = "connecting" | "open" | "closed";

export interface ChatState {
  connection: ChatConnection;
  conversationId: string | null;
  lines: ChatLine[];
  typing: boolean;
  /** Texts typed while the socket was down; sent when it is back. */
  outbox: string[];
}

export type ChatFrame =
  | { type: "ready"; conversation_id: string | null; messages: unknown[] }
  | { type: "message"; message: unknown }
  | { type: "typing"; on: boolean }
  | { type: "error"; code?: string; message?: string };

export type ChatAction =
  | { kind: "frame"; frame: unknown }
  | { kind: "connection"; connection: ChatConnection }
  | { kind: "queue"; text: string }
  | { kind: "flushed" }
  | { kind: "reset" };

export const initialChatState: ChatState = { connection: "connecting", conversationId: null, lines: [], typing: false, outbox: [] };

let errorCount = 0;

/** A message object from the server, or null when it is not one. */
export function toLine(raw: unknown): ChatLine | null {
  if (!raw || typeof raw !== "object") return null;
  const message = raw as Record<string, unknown>;
  if (typeof message.id !== "string" || typeof message.text !== "string") return null;
  if (message.direction !== "in" && message.direction !== "out") return null;
  return {
    id: message.id,
    direction: message.direction,
    text: message.text,
    createdAt: typeof message.created_at === "string" ? message.created_at : undefined,
    executionId: typeof message.execution_id === "string" ? message.execution_id : null,
  };
}

function withLine(lines: ChatLine[], line: ChatLine): ChatLine[] {
  return lines.some((existing) => existing.id === line.id) ? lines : [...lines, line];
}

function applyFrame(state: ChatState, raw: unknown): ChatState {
  if (!raw || typeof raw !== "object") return state;
  const frame = raw as ChatFrame;
  switch (frame.type) {
    case "ready": {
      const lines = (Array.isArray(frame.messages) ? frame.messages : []).map(toLine).filter((l): l is ChatLine => l !== null);
      return { ...state, connection: "open", conversationId: frame.conversation_id ?? null, lines, typing: false };
    }
    case "message": {
      const line = toLine(frame.message);
      if (!line) return state;
      const conversationId = (frame.message as { conversation_id?: unknown }).conversation_id;
      return {
        ...state,
        lines: withLine(state.lines, line),
        typing: line.direction === "out" ? false : state.typing,
        conversationId: typeof conversationId === "string" ? conversationId : state.conversationId,
      };
    }
    case "typing":
      return { ...state, typing: Boolean(frame.on) };
    case "error": {
      errorCount += 1;
      const text = typeof frame.message === "string" && frame.message ? frame.message : "Something went wrong.";
      return { ...state, typing: false, lines: [...state.lines, { id: `error-${errorCount}`, direction: "error", text }] };
    }
    default:
      return state;
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.kind) {
    case "frame":
      return applyFrame(state, action.frame);
    case "connection":
      return { ...state, connection: action.connection, typing: action.connection === "open" ? state.typing : false };
    case "queue":
      return { ...state, outbox: [...state.outbox, action.text] };
    case "flushed":
      return { ...state, outbox: [] };
    case "reset":
      return { ...initialChatState, connection: state.connection };
  }
}

/** The test-chat socket's address for a workflow (same host, ws or wss like the page). */
export function tryChatUrl(workflowId: string, location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/workflows/${encodeURIComponent(workflowId)}/chat/`;
}

/** Whether a definition starts from a chat message (the panel is offered only then). */
export function hasMessageTrigger(nodes: { data: { type: string } }[]): boolean {
  return nodes.some((node) => node.data.type === "trigger.message");
}
