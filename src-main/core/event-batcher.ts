import type { Counters, EngineEvent, EventBatch } from '../../src-shared/events';
import { EVENT_SCHEMA_VERSION } from '../../src-shared/events';
import { admits, BATCH_BOUNDS, type BatchBounds } from './batch-bounds';
import { monotonicNow } from './monotonic-clock';

/** How a subscriber wants its batches. */
export interface BatchOptions {
  /** Minimum time between two batches; 17 ms keeps a subscriber under 60 batches a second. */
  intervalMs?: number;
  /** Events buffered between two batches before some are dropped (BATCH_BOUNDS unless given). */
  bounds?: BatchBounds;
}

/**
 * One subscriber's bounded queue. Events accumulate until the interval elapses, then leave as one
 * batch carrying the exact counters; anything over the limits is counted as dropped, never buffered.
 */
export class EventBatcher {
  private queue: EngineEvent[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  /** When the armed timer should fire; a timer an interval past due is late. */
  private dueAt = 0;
  private readonly intervalMs: number;
  private readonly bounds: BatchBounds;

  constructor(
    private readonly listener: (batch: EventBatch) => void,
    private readonly state: () => { counters: Counters; lastSeq: number },
    options: BatchOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 17;
    this.bounds = options.bounds ?? BATCH_BOUNDS;
  }

  /** Queues one event; `now` is its monotonic time (the event's own `at`). */
  push(e: EngineEvent, now: number): void {
    if (admits(this.bounds, this.queue.length, e)) this.queue.push(e);
    else this.dropped++;
    if (!this.timer) {
      const wait = Math.max(0, this.lastFlush + this.intervalMs - now);
      this.dueAt = now + wait;
      this.timer = setTimeout(() => this.flush(), wait);
    } else if (now >= this.dueAt + this.intervalMs) {
      // A saturated event loop runs timers late (seconds, with thousands of busy sockets): flush on
      // the events themselves so batches keep their cadence.
      this.flush(now);
    }
  }

  /** Sends whatever is queued now (also used on stop so nothing waits for the timer). */
  flush(now = monotonicNow()): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0 && this.dropped === 0) return;
    this.lastFlush = now;
    const { counters, lastSeq } = this.state();
    const batch: EventBatch = {
      v: EVENT_SCHEMA_VERSION,
      events: this.queue,
      dropped: this.dropped,
      counters: { ...counters },
      lastSeq,
    };
    this.queue = [];
    this.dropped = 0;
    this.listener(batch);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}
