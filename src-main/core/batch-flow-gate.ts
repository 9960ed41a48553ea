import type { EngineEvent, EventBatch } from '../../src-shared/events';
import { admits, BATCH_BOUNDS, type BatchBounds } from './batch-bounds';

/**
 * Flow control by acknowledgement, the same on every carrier: at most `window` batches may be
 * unacknowledged. While the window is full, further batches merge into one held batch that keeps the
 * newest counters and as many events as one batch may carry (the batcher's bounds: detail events go
 * first, lifecycle events past the hard limit, server events never); the rest are counted as dropped
 * and the receiver resyncs from a snapshot. Memory stays bounded however slow the receiver is, a Stop
 * of 10,000 tasks held behind a busy page still arrives whole, and a receiver that is merely far away
 * (a tunnelled browser) loses nothing while it keeps up.
 */
export class BatchFlowGate {
  private unacked = 0;
  private held: EventBatch | null = null;

  constructor(
    private readonly send: (batch: EventBatch) => void,
    private readonly window = 4,
    private readonly bounds: BatchBounds = BATCH_BOUNDS,
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
      if (admits(this.bounds, events.length, e)) events.push(e);
      else dropped++;
    }
    return { ...batch, events, dropped };
  }
}
