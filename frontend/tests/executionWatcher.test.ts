import { waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventSequencer } from "../src/run/eventSequencer";
import { ExecutionWatcher, type WatcherSource } from "../src/run/executionWatcher";
import type { EventsMeta, Execution, ExecutionEvent, ExecutionStep } from "../src/types";

type Seq = { seq: number };
const seqs = (events: Seq[]) => events.map((event) => event.seq);

describe("putting events in sequence", () => {
  it("applies events in order, holds one that comes early until the gap is filled, drops repeats", () => {
    const sequencer = new EventSequencer<Seq>(0);
    expect(seqs(sequencer.push({ seq: 1 }))).toEqual([1]);
    expect(seqs(sequencer.push({ seq: 3 }))).toEqual([]);
    expect(sequencer.hasGap).toBe(true);
    expect(sequencer.missingFrom).toBe(2);
    expect(seqs(sequencer.push({ seq: 1 }))).toEqual([]);
    expect(seqs(sequencer.push({ seq: 2 }))).toEqual([2, 3]);
    expect(sequencer.hasGap).toBe(false);
    expect(sequencer.lastSeq).toBe(3);
  });

  it("continues after a snapshot's seq, keeping later events that already arrived", () => {
    const sequencer = new EventSequencer<Seq>(0);
    sequencer.push({ seq: 5 });
    sequencer.push({ seq: 7 });
    expect(seqs(sequencer.reset(4))).toEqual([5]);
    expect(sequencer.missingFrom).toBe(6);
    expect(seqs(sequencer.reset(6))).toEqual([7]);
  });
});

class FakeSocket {
  static all: FakeSocket[] = [];
  onmessage: ((message: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onopen: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  close() {}
}

const base: Execution = { id: "exec_1", workflow_id: "wf_1", version: "draft", status: "running", steps: [] };
const step = (seq: number, node: string, status = "succeeded"): ExecutionEvent =>
  ({ event: `step.${status}`, execution_id: "exec_1", seq, data: { step_key: node, node_id: node, status, attempt: 1 } }) as ExecutionEvent;
const finished = (seq: number): ExecutionEvent => ({ event: "execution.finished", execution_id: "exec_1", seq, data: { status: "completed" } });
const meta = (overrides: Partial<EventsMeta>): EventsMeta => ({ after: 0, last_seq: 0, next_after: 0, has_more: false, complete: true, status: "running", ...overrides });

function fakeSource(log: ExecutionEvent[], record: Execution): WatcherSource & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    execution: vi.fn(async () => record),
    executionEvents: vi.fn(async (_id: string, after: number) => {
      asked.push(after);
      const data = log.filter((event) => (event.seq ?? 0) > after);
      return { data, meta: meta({ after, status: record.status, last_seq: log.length }) };
    }),
    executionSteps: vi.fn(async () => ({ data: [] as ExecutionStep[], meta: { has_more: false } })),
  };
}

function watch(source: WatcherSource, quietMs = 10_000) {
  const applied: ExecutionEvent[] = [];
  const watcher = new ExecutionWatcher({
    executionId: "exec_1",
    socketUrl: "ws://host/ws/executions/exec_1/",
    onEvents: (events) => applied.push(...events),
    onTransport: () => undefined,
    source,
    openSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    quietMs,
    reconnectMs: 5,
  });
  watcher.start();
  return { watcher, applied, socket: () => FakeSocket.all[FakeSocket.all.length - 1]! };
}

afterEach(() => {
  FakeSocket.all = [];
});

describe("watching an execution without missing a step", () => {
  const log = [step(1, "a"), step(2, "b"), step(3, "c"), step(4, "d")];

  it("fills a gap in seq from the API's event log, in order", async () => {
    const source = fakeSource(log, base);
    const { watcher, applied, socket } = watch(source);
    socket().send({ event: "snapshot", execution: base, seq: 1 });
    await waitFor(() => expect(applied).toHaveLength(1));
    socket().send(step(4, "d"));
    await waitFor(() => expect(seqs(applied.slice(1) as Seq[])).toEqual([2, 3, 4]));
    expect(source.asked).toEqual([1]);
    watcher.stop();
  });

  it("asks the log when the socket goes quiet and confirms the end from the API", async () => {
    const done: Execution = { ...base, status: "completed", event_seq: 5 };
    const source = fakeSource([...log, finished(5)], done);
    const { watcher, applied, socket } = watch(source, 20);
    socket().send({ event: "snapshot", execution: base, seq: 0 });
    // Nothing else arrives: every event, and the end, were dropped on the way.
    await waitFor(() => expect(applied.some((event) => event.event === "execution.finished")).toBe(true));
    await waitFor(() => expect(applied.at(-1)).toMatchObject({ event: "snapshot", execution: { status: "completed" } }));
    expect(source.execution).toHaveBeenCalled();
    watcher.stop();
  });

  it("reconnects after a drop and resumes from the last seq it applied", async () => {
    const source = fakeSource(log, base);
    const { watcher, applied, socket } = watch(source);
    socket().send({ event: "snapshot", execution: base, seq: 0 });
    socket().send(step(1, "a"));
    socket().send(step(2, "b"));
    await waitFor(() => expect(applied).toHaveLength(3));
    socket().onclose?.();
    await waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    expect(socket().url).toBe("ws://host/ws/executions/exec_1/?after=2");
    socket().send(step(3, "c"));
    await waitFor(() => expect(seqs(applied.slice(1) as Seq[])).toEqual([1, 2, 3]));
    watcher.stop();
  });

  it("pages in the rest of a large run's steps before showing its snapshot", async () => {
    const source = fakeSource(log, base);
    const rest = [{ step_key: "z", node_id: "z", status: "succeeded", attempt: 1 }] as ExecutionStep[];
    source.executionSteps = vi.fn(async () => ({ data: rest, meta: { has_more: false } }));
    const { watcher, applied, socket } = watch(source);
    const first = [{ step_key: "y", node_id: "y", status: "succeeded", attempt: 1 }] as ExecutionStep[];
    socket().send({ event: "snapshot", execution: { ...base, steps: first, steps_complete: false, steps_next_cursor: "c1" }, seq: 0 });
    socket().send(step(1, "a"));
    await waitFor(() => expect(applied).toHaveLength(2));
    expect(applied[0]).toMatchObject({ event: "snapshot" });
    expect((applied[0] as { execution: Execution }).execution.steps.map((row) => row.node_id)).toEqual(["y", "z"]);
    expect(applied[1]).toMatchObject({ seq: 1 });
    expect(source.executionSteps).toHaveBeenCalledWith("exec_1", "c1");
    watcher.stop();
  });
});
