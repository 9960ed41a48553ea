import type { EngineEvent, EventBatch, UnstampedEvent } from '../../src-shared/events';

import { RETENTION } from '../../src-shared/retention';
import { EngineState } from './engine-state';
import { type BatchOptions, EventBatcher } from './event-batcher';
import { monotonicNow } from './monotonic-clock';

/**
 * Where every engine event goes: stamped with the next sequence number, folded into the engine's own
 * state (counters, snapshot views), then queued for each subscriber's batcher. Producers never block.
 */
export class EventBus {
  readonly state: EngineState;
  private seq = 0;
  /** Time of the newest event. */
  private lastAt = 0;
  private readonly batchers = new Set<EventBatcher>();
  private readonly direct = new Set<(e: EngineEvent) => void>();

  constructor(endedTaskLimit?: number) {
    this.state = new EngineState(
      endedTaskLimit === undefined ? RETENTION : { ...RETENTION, endedTasks: endedTaskLimit },
    );
  }

  get lastSeq(): number {
    return this.seq;
  }

  emit(partial: UnstampedEvent): EngineEvent {
    return this.emitAt(partial, monotonicNow());
  }

  /**
   * Emits an event timed elsewhere (an attached process reports when each of its events happened). The
   * caller keeps `when` at or before monotonicNow(); one earlier than the previous event is moved up to
   * it, so the stream's times never run backwards (recordings and the timeline rely on that).
   */
  emitAt(partial: UnstampedEvent, when: number): EngineEvent {
    const e = partial as EngineEvent;
    e.seq = ++this.seq;
    const at = when < this.lastAt ? this.lastAt : when;
    this.lastAt = at;
    e.at = at;
    this.state.apply(e);
    for (const b of this.batchers) b.push(e, at);
    for (const listener of this.direct) listener(e);
    return e;
  }

  /** Batched, bounded delivery (what hosts forward to UIs). Returns the unsubscribe function. */
  subscribe(listener: (batch: EventBatch) => void, options?: BatchOptions): () => void {
    const batcher = new EventBatcher(
      listener,
      () => ({ counters: this.state.counters, lastSeq: this.seq }),
      options,
    );
    this.batchers.add(batcher);
    return () => {
      batcher.dispose();
      this.batchers.delete(batcher);
    };
  }

  /** Unbatched, synchronous delivery of every event, for in-process consumers such as the CLI printer. */
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.direct.add(listener);
    return () => this.direct.delete(listener);
  }

  /** Delivers every pending batch now (at stop, so the last events are not left waiting for a timer). */
  flush(): void {
    for (const b of this.batchers) b.flush();
  }
}
