/**
 * Watching one execution so that no step is ever missed.
 *
 * The WebSocket sends a snapshot, then events numbered by `seq`. A channel layer can drop
 * events and a socket can close, so: a gap in `seq` is filled from the API's event log
 * (`executions/{id}/events?after=N`); a closed socket reconnects with `?after=<last seq>`
 * and the server replays what was missed; when the socket has been quiet for a while the
 * log is asked too, and once it says the run is over the final state is read from the API.
 * A large run's snapshot lists only its first steps: the rest are paged in before it is shown.
 */
import { api } from "../api";
import type { EventsMeta, Execution, ExecutionEvent, ExecutionStep, PageMeta } from "../types";
import { EventSequencer } from "./eventSequencer";
import { isTerminal, TERMINAL_STATUSES } from "./executionState";

type LiveEvent = Exclude<ExecutionEvent, { event: "snapshot" }>;

export interface WatcherSource {
  execution: (id: string) => Promise<Execution>;
  executionEvents: (id: string, after: number) => Promise<{ data: ExecutionEvent[]; meta: EventsMeta }>;
  executionSteps: (id: string, cursor: string) => Promise<{ data: ExecutionStep[]; meta: PageMeta }>;
}

export interface WatcherOptions {
  executionId: string;
  socketUrl: string;
  /** Events in the order to apply them (a snapshot replaces everything before it). */
  onEvents: (events: ExecutionEvent[]) => void;
  onTransport: (transport: "socket" | "polling") => void;
  source?: WatcherSource;
  openSocket?: (url: string) => WebSocket;
  quietMs?: number;
  reconnectMs?: number;
}

export class ExecutionWatcher {
  private readonly sequencer = new EventSequencer<LiveEvent>();
  private readonly source: WatcherSource;
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private held: LiveEvent[] | null = null; // events that arrive while a snapshot loads
  private snapshotShown = false;
  private finished = false;
  private closed = false;
  private backfilling = false;
  private resyncing = false;
  private lastHeard = Date.now();
  private failures = 0;

  constructor(private readonly options: WatcherOptions) {
    this.source = options.source ?? api;
  }

  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  start(): void {
    this.connect();
    const quietMs = this.options.quietMs ?? 2000;
    this.timer = setInterval(() => this.checkQuiet(quietMs), Math.max(50, quietMs / 4));
  }

  stop(): void {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    if (this.socket) {
      this.socket.onmessage = this.socket.onclose = this.socket.onerror = this.socket.onopen = null;
      this.socket.close();
    }
  }

  private connect(): void {
    if (this.closed) return;
    const url = this.snapshotShown ? `${this.options.socketUrl}?after=${this.sequencer.lastSeq}` : this.options.socketUrl;
    let socket: WebSocket;
    try {
      socket = (this.options.openSocket ?? ((address: string) => new WebSocket(address)))(url);
    } catch {
      this.lostSocket();
      return;
    }
    this.socket = socket;
    this.options.onTransport("socket");
    socket.onopen = () => {
      this.failures = 0;
      this.options.onTransport("socket");
    };
    socket.onmessage = (message) => {
      let event: ExecutionEvent;
      try {
        event = JSON.parse(String(message.data)) as ExecutionEvent;
      } catch {
        return;
      }
      this.lastHeard = Date.now();
      if (event.event === "snapshot") void this.showSnapshot(event.execution, typeof event.seq === "number" ? event.seq : 0, false);
      else this.take(event);
    };
    socket.onerror = () => {
      this.options.onTransport("polling");
      if (!this.snapshotShown) void this.resync();
    };
    socket.onclose = () => this.lostSocket();
  }

  private lostSocket(): void {
    if (this.closed || this.finished) return;
    this.options.onTransport("polling");
    this.failures += 1;
    // Reconnect (resuming from the last seq) with a growing pause; the quiet check polls the log meanwhile.
    const pause = (this.options.reconnectMs ?? 1000) * Math.min(this.failures, 10);
    this.reconnectTimer = setTimeout(() => this.connect(), pause);
  }

  private take(event: LiveEvent): void {
    if (this.held) {
      this.held.push(event);
      return;
    }
    const ready = this.sequencer.push(event);
    this.emit(ready);
    if (this.sequencer.hasGap) void this.backfill();
  }

  private emit(events: ExecutionEvent[]): void {
    if (events.length === 0 || this.closed) return;
    this.options.onEvents(events);
    // The finished event carries status and output; the record adds timings, errors and every step.
    if (events.some((event) => event.event === "execution.finished")) void this.resync();
  }

  private checkQuiet(quietMs: number): void {
    if (this.finished || this.closed || Date.now() - this.lastHeard < quietMs) return;
    this.lastHeard = Date.now();
    if (this.snapshotShown) void this.backfill();
    else void this.resync();
  }

  /** Fetch the events after the last applied one from the log, until it has no more. */
  async backfill(): Promise<void> {
    if (this.backfilling || this.closed || !this.snapshotShown) return;
    this.backfilling = true;
    let meta: EventsMeta | null = null;
    try {
      do {
        const page = await this.source.executionEvents(this.options.executionId, this.sequencer.lastSeq);
        meta = page.meta;
        if (this.closed) return;
        if (!meta.complete) {
          // The log no longer reaches back that far: the record from the API instead.
          this.backfilling = false;
          await this.resync();
          return;
        }
        for (const event of page.data) if (event.event !== "snapshot") this.take(event);
      } while (meta.has_more);
      if (TERMINAL_STATUSES.has(meta.status) && !this.finished) await this.resync();
    } catch {
      // Asked again at the next gap or quiet spell.
    } finally {
      this.backfilling = false;
    }
  }

  /** Read the run from the API (every step) and continue from the seq it reflects. */
  async resync(): Promise<void> {
    if (this.resyncing || this.closed) return;
    this.resyncing = true;
    try {
      const execution = await this.source.execution(this.options.executionId);
      await this.showSnapshot(execution, execution.event_seq ?? this.sequencer.lastSeq, true);
    } catch {
      // Tried again at the next quiet spell.
    } finally {
      this.resyncing = false;
    }
  }

  private async showSnapshot(execution: Execution, seq: number, fromApi: boolean): Promise<void> {
    this.held = this.held ?? [];
    let whole = execution;
    try {
      whole = await this.withEverySteps(execution);
    } catch {
      // Shown with the steps it has; a later resync completes it.
    }
    if (this.closed) return;
    const held = this.held ?? [];
    this.held = null;
    this.snapshotShown = true;
    this.options.onEvents([{ event: "snapshot", execution: whole, seq }]);
    this.emit(this.sequencer.reset(seq));
    for (const event of held) this.take(event);
    if (isTerminal(whole)) {
      this.finished = true;
      clearInterval(this.timer);
    } else if (fromApi) {
      void this.backfill();
    }
  }

  private async withEverySteps(execution: Execution): Promise<Execution> {
    if (execution.steps_complete !== false) return execution;
    const steps = [...execution.steps];
    let cursor = execution.steps_next_cursor ?? null;
    while (cursor) {
      const page = await this.source.executionSteps(execution.id, cursor);
      steps.push(...page.data);
      cursor = page.meta.has_more ? (page.meta.next_cursor ?? null) : null;
    }
    return { ...execution, steps, steps_complete: true, steps_next_cursor: null };
  }
}
