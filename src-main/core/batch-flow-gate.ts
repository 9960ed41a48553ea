import type { EventBatch } from '../../src-shared/events';

/**
 * Flow control for a channel that cannot report its own backlog (Electron IPC): at most `window`
 * batches may be unacknowledged. While the window is full, further batches are not queued; they fold
 * into one held batch that keeps only the newest counters and counts every event as dropped (the
 * receiver resyncs from a snapshot). Memory stays bounded however slow the receiver is.
 */
export class BatchFlowGate {
  private unacked = 0;
  private held: EventBatch | null = null;

  constructor(
    private readonly send: (batch: EventBatch) => void,
    private readonly window = 4,
  ) {}

  offer(batch: EventBatch): void {
    if (this.unacked < this.window) {
      this.unacked++;
      this.send(batch);
      return;
    }
    const dropped = (this.held?.dropped ?? 0) + batch.dropped + batch.events.length;
    this.held = { ...batch, events: [], dropped };
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
}
