/**
 * Live events in order: each carries a per-execution `seq` (1, 2, 3, …). Events are applied
 * strictly one after another; one that arrives early waits until the gap before it is filled
 * (from the API's event log), and repeats are dropped.
 */
export class EventSequencer<E extends { seq: number }> {
  private pending = new Map<number, E>();

  constructor(private applied = 0) {}

  /** The seq every event up to which has been applied. */
  get lastSeq(): number {
    return this.applied;
  }

  /** True while some event waits for a missing one before it. */
  get hasGap(): boolean {
    return this.pending.size > 0;
  }

  /** The first missing seq when there is a gap (what to fetch from), else null. */
  get missingFrom(): number | null {
    return this.hasGap ? this.applied + 1 : null;
  }

  /** Take one event; returns the events now ready to apply, in order (maybe none). */
  push(event: E): E[] {
    if (event.seq <= this.applied || this.pending.has(event.seq)) return [];
    this.pending.set(event.seq, event);
    return this.drain();
  }

  /** A snapshot reflects every event up to `seq`: continue from there. */
  reset(seq: number): E[] {
    this.applied = seq;
    for (const key of [...this.pending.keys()]) if (key <= seq) this.pending.delete(key);
    return this.drain();
  }

  private drain(): E[] {
    const ready: E[] = [];
    let next = this.pending.get(this.applied + 1);
    while (next !== undefined) {
      this.pending.delete(next.seq);
      this.applied = next.seq;
      ready.push(next);
      next = this.pending.get(this.applied + 1);
    }
    return ready;
  }
}
