/**
 * "Try it": chat with this workflow's draft as a customer would, from the editor. Each message
 * goes into a test conversation (a test run of the draft, or the answer a parked chat.ask /
 * chat.form waits for); replies and the typing indicator arrive live. A reply's run opens in
 * the run panel.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTryChat } from "./useTryChat";

interface Props {
  workflowId: string;
  onClose: () => void;
  onOpenRun: (executionId: string) => void;
}

export function TryChatPanel({ workflowId, onClose, onOpenRun }: Props) {
  const { state, send, restart } = useTryChat(workflowId, true);
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLOListElement>(null);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [state.lines.length, state.typing]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim()) return;
    send(text);
    setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  const note = state.typing ? "Typing…" : state.connection === "open" ? "" : state.connection === "connecting" ? "Connecting…" : "Disconnected: reconnecting…";

  return (
    <section
      className="try-chat"
      role="dialog"
      aria-modal="false"
      aria-labelledby="try-chat-title"
      data-testid="try-chat"
      data-connection={state.connection}
      data-typing={state.typing ? "true" : "false"}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="try-chat-head">
        <h2 id="try-chat-title">Try it</h2>
        <button type="button" className="small" onClick={restart} data-testid="try-chat-restart">
          New conversation
        </button>
        <button type="button" className="icon" aria-label="Close the chat" onClick={onClose} data-testid="try-chat-close">
          ×
        </button>
      </header>
      <p className="muted try-chat-hint">Chat with the draft as a customer: each message is a test run (or the answer a waiting step asked for).</p>
      <ol className="try-chat-log" role="log" aria-live="polite" aria-label="Test conversation" tabIndex={0} ref={log} data-testid="try-chat-log">
        {state.lines.map((line) => (
          <li key={line.id} className={`try-chat-line ${line.direction}`} data-direction={line.direction}>
            <span className="visually-hidden">{line.direction === "in" ? "You: " : line.direction === "out" ? "Reply: " : "Error: "}</span>
            <span className="try-chat-text">{line.text}</span>
            {line.executionId && line.direction === "out" && (
              <button type="button" className="link small" onClick={() => onOpenRun(line.executionId!)} data-testid="try-chat-run">
                Show run
              </button>
            )}
          </li>
        ))}
        {state.outbox.map((queued, index) => (
          <li key={`queued-${index}`} className="try-chat-line in queued" data-direction="in">
            <span className="visually-hidden">You (not sent yet): </span>
            <span className="try-chat-text">{queued}</span>
          </li>
        ))}
      </ol>
      <p className="try-chat-status muted" role="status" data-testid="try-chat-status">
        {note}
      </p>
      <form className="try-chat-form" onSubmit={submit}>
        <label htmlFor="try-chat-input" className="visually-hidden">
          Message to the workflow
        </label>
        <textarea
          id="try-chat-input"
          ref={input}
          rows={1}
          maxLength={2000}
          value={text}
          placeholder="Type a message, e.g. help"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="try-chat-input"
        />
        <button type="submit" className="primary" data-testid="try-chat-send">
          Send
        </button>
      </form>
    </section>
  );
}
