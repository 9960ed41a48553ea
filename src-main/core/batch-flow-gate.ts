import type { EngineEvent, EventBatch } from '../../src-shared/events';
import { isServerEvent } from './event-class';

/**
 * Flow control by acknowledgement, the same on every carrier: at most `window` batches may be
 * unacknowledged. While the window is full, further batches merge into one held batch that keeps the
 * newest counters and at most `heldEventLimit` events (server events always); the rest are counted as
 * dropped and the receiver resyncs from a snapshot. Memory stays bounded however slow the receiver is,
 * and a receiver that is merely far away (a tunnelled browser) loses nothing while it keeps up.
 */
export class BatchFlowGate {
  private unacked = 0;
  private held: EventBatch | null = null;

  constructor(
    private readonly send: (batch: EventBatch) => void,
    private readonly window = 4,
    private readonly heldEventLimit = 5_000,
  ) {}

  offer(batch: EventBatch): void {
    if (this.unacked < this.window) {
      this.unacked++;
      this.send(batch);
      return;
    }
    this.held = this.held
      ? this.merge(this.held, batch)
      : this.merge({ ...batch, events: [], dropped: 0 }, batch);
  }

  /** The receiver applied one batch. */
  ack(): void {
    if (this.unacked > 0) this.unacked--;
    const held = this.held;
    if (held && this.unacked < this.window) {
      this.held = null;
      this.unacked++;
      this.send(held);
    }
  }

  /** `into` with `batch`'s events appended (bounded) and its newer counters. */
  private merge(into: EventBatch, batch: EventBatch): EventBatch {
    const events: EngineEvent[] = into.events;
    let dropped = into.dropped + batch.dropped;
    for (const e of batch.events) {
      if (events.length < this.heldEventLimit || isServerEvent(e)) events.push(e);
      else dropped++;
    }
    return { ...batch, events, dropped };
  }
}
