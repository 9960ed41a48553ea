import type { AwaitPoint } from '../../src-shared/events';
import { PREVIEW_BYTES } from '../../src-shared/events';
import type { EventBus } from './event-bus';

/**
 * One task's data-path activity since it was last reported: reads, echoes and where it is suspended.
 * The hot path only adds numbers here; events are built at most once per flush interval per task, so
 * instrumentation costs no allocation per round trip. Lifecycle events are never delayed: the engine
 * flushes a task's activity right before reporting its end.
 *
 * Holds no reference to its task, so a failed task stays collectable while this waits for a flush.
 */
export class TaskActivity {
  bytesIn = 0;
  reads = 0;
  bytesOut = 0;
  sends = 0;
  /** Where the task was last suspended (it always is when a flush runs: flushes run from a timer). */
  suspendedAt: AwaitPoint | null = null;
  /** The await point last reported in a `parked` event. */
  reportedAt: AwaitPoint | null = null;
  /** Queued for the next flush. */
  queued = false;
  /** The newest chunk, held only until the next report (at most one flush interval). */
  private newest: Buffer | null = null;

  constructor(
    readonly taskId: number,
    private readonly flusher: ActivityFlusher,
  ) {}

  /** `reads` reads of `bytes` in all (one, `newest`, by default); `newest` is the last of them. */
  received(newest: Buffer, bytes = newest.length, reads = 1): void {
    this.bytesIn += bytes;
    this.reads += reads;
    // Encoded at report time: a recv costs no copy, and the reference lives one flush interval at most.
    this.newest = newest;
    this.queue();
  }

  /** `sends` echoes of `bytes` in all. */
  echoed(bytes: number, sends = 1): void {
    this.bytesOut += bytes;
    this.sends += sends;
    this.queue();
  }

  suspended(at: AwaitPoint): void {
    this.suspendedAt = at;
    if (at !== this.reportedAt) this.queue();
  }

  /**
   * Emits what accumulated: `received`, `echoed`, then `parked` if the await point changed. Each event
   * is written whole, `seq: 0, at: 0` last for the bus to stamp (see EventBus.emit).
   */
  report(bus: EventBus, withPark: boolean): void {
    this.queued = false;
    const { taskId } = this;
    if (this.reads > 0) {
      bus.emit({
        kind: 'received',
        taskId,
        bytes: this.bytesIn,
        reads: this.reads,
        preview: this.newest!.toString('base64', 0, Math.min(this.newest!.length, PREVIEW_BYTES)),
        seq: 0,
        at: 0,
      });
      this.newest = null;
      this.bytesIn = 0;
      this.reads = 0;
    }
    if (this.sends > 0) {
      bus.emit({ kind: 'echoed', taskId, bytes: this.bytesOut, sends: this.sends, seq: 0, at: 0 });
      this.bytesOut = 0;
      this.sends = 0;
    }
    if (withPark && this.suspendedAt !== null && this.suspendedAt !== this.reportedAt) {
      this.reportedAt = this.suspendedAt;
      bus.emit({ kind: 'parked', taskId, awaitPoint: this.suspendedAt, seq: 0, at: 0 });
    }
  }

  private queue(): void {
    if (this.queued) return;
    this.queued = true;
    this.flusher.enqueue(this);
  }
}

/**
 * Data events a second the flusher aims to stay under (each busy task reports `received` and `echoed`
 * per flush): past it, when tasks are busy enough that a longer interval merges their round trips, the
 * interval between flushes grows with the number of busy tasks. Totals stay exact; only how often they
 * are reported changes.
 */
export const DATA_EVENT_BUDGET = 4_000;
/** The longest interval between flushes, however many tasks are busy. */
export const MAX_FLUSH_INTERVAL_MS = 100;
/** Reads plus echoes per reported task from which a flush counts as merging several round trips. */
const COALESCING_OPERATIONS = 4;

/**
 * Turns queued activity into events on a cadence (one timer for all tasks, armed only when needed):
 * every `baseIntervalMs`, or less often when so many tasks are busy, each with several round trips per
 * flush, that their data events would exceed DATA_EVENT_BUDGET a second (up to MAX_FLUSH_INTERVAL_MS).
 */
export class ActivityFlusher {
  private pending: TaskActivity[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer should fire; a timer an interval past due is late. */
  private dueAt = 0;
  private intervalMs: number;

  constructor(
    private readonly bus: EventBus,
    private readonly baseIntervalMs = 16,
  ) {
    this.intervalMs = baseIntervalMs;
  }

  /** The interval the next flush waits (it follows the number of tasks the last flush reported). */
  get currentIntervalMs(): number {
    return this.intervalMs;
  }

  enqueue(activity: TaskActivity): void {
    this.pending.push(activity);
    if (!this.timer) {
      this.dueAt = performance.now() + this.intervalMs;
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
    } else if (performance.now() >= this.dueAt + this.intervalMs) {
      // Under a saturated event loop the timer runs late; busy tasks then trigger the flush themselves.
      this.flush();
    }
  }

  /** Reports one task's activity now, ahead of its lifecycle event (its final park is not news). */
  settle(activity: TaskActivity): void {
    if (activity.queued) activity.report(this.bus, false);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = [];
    let reported = 0;
    let operations = 0;
    for (const activity of pending) {
      if (!activity.queued) continue;
      operations += activity.reads + activity.sends;
      activity.report(this.bus, true);
      reported++;
    }
    // A longer interval only helps when it merges operations (tasks each echoing several times per
    // flush); with about one read and one echo per task, it would just bunch the same events together.
    const merging = operations >= COALESCING_OPERATIONS * reported;
    const budgeted = (reported * 2 * 1000) / DATA_EVENT_BUDGET;
    this.intervalMs = merging
      ? Math.min(MAX_FLUSH_INTERVAL_MS, Math.max(this.baseIntervalMs, budgeted))
      : this.baseIntervalMs;
  }
}
