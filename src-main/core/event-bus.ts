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
  // Arrays, replaced (never changed in place) on subscribe and unsubscribe: emit iterates them for every
  // event, and one that unsubscribes during an emit does not disturb it.
  private batchers: readonly EventBatcher[] = [];
  private direct: readonly ((e: EngineEvent) => void)[] = [];

  constructor(endedTaskLimit?: number) {
    this.state = new EngineState(
      endedTaskLimit === undefined ? RETENTION : { ...RETENTION, endedTasks: endedTaskLimit },
    );
  }

  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Stamps `partial` in place and delivers it. A producer on the hot path writes the event with `seq: 0,
   * at: 0` last, overwritten here: V8 gives an object literal room for exactly the properties written in
   * it (a spread does not count), so stamping an event without them adds an out-of-line property array
   * (one more object per event, kept as long as the event is) and two map transitions.
   */
  emit(partial: UnstampedEvent | EngineEvent): EngineEvent {
    return this.emitAt(partial, monotonicNow());
  }

  /**
   * Emits an event timed elsewhere (an attached process reports when each of its events happened). The
   * caller keeps `when` at or before monotonicNow(); one earlier than the previous event is moved up to
   * it, so the stream's times never run backwards (recordings and the timeline rely on that).
   */
  emitAt(partial: UnstampedEvent | EngineEvent, when: number): EngineEvent {
    const e = partial as EngineEvent;
    e.seq = ++this.seq;
    const at = when < this.lastAt ? this.lastAt : when;
    this.lastAt = at;
    e.at = at;
    this.state.apply(e);
    const { batchers, direct } = this;
    for (let i = 0; i < batchers.length; i++) batchers[i]!.push(e, at);
    for (let i = 0; i < direct.length; i++) direct[i]!(e);
    return e;
  }

  /** Batched, bounded delivery (what hosts forward to UIs). Returns the unsubscribe function. */
  subscribe(listener: (batch: EventBatch) => void, options?: BatchOptions): () => void {
    const batcher = new EventBatcher(
      listener,
      () => ({ counters: this.state.counters, lastSeq: this.seq }),
      options,
    );
    this.batchers = [...this.batchers, batcher];
    return () => {
      batcher.dispose();
      this.batchers = this.batchers.filter((b) => b !== batcher);
    };
  }

  /** Unbatched, synchronous delivery of every event, for in-process consumers such as the CLI printer. */
  onEvent(listener: (e: EngineEvent) => void): () => void {
    // As a set: the same function subscribed twice is called once.
    if (!this.direct.includes(listener)) this.direct = [...this.direct, listener];
    return () => {
      this.direct = this.direct.filter((l) => l !== listener);
    };
  }

  /** Delivers every pending batch now (at stop, so the last events are not left waiting for a timer). */
  flush(): void {
    for (const b of this.batchers) b.flush();
  }
}
