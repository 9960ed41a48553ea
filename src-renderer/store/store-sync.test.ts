import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EchoscopeApi, LinkState } from '../../src-shared/api';
import type { CommandResult, Snapshot } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import { reduceTask, type TaskView } from '../../src-shared/task-view';
import { createAppStore } from './app-store';
import { batchOf, EventFactory, snapshotOf } from './event-fixtures';
import { RESYNC_MIN_INTERVAL_MS, syncStore } from './store-sync';

/** A host stand-in: the test decides when each snapshot answer arrives. */
class FakeHost {
  batchListeners = new Set<(b: EventBatch) => void>();
  linkListeners = new Set<(l: LinkState) => void>();
  snapshotRequests: Array<(r: CommandResult<Snapshot>) => void> = [];
  order: string[] = [];
  /** As the real session client, a new listener hears the link's state at once ('closed' at first). */
  linkState: LinkState = 'closed';

  readonly api = {
    host: 'web',
    invoke: (name: string) => {
      this.order.push(`invoke:${name}`);
      return new Promise((resolve) => this.snapshotRequests.push(resolve));
    },
    onBatch: (l: (b: EventBatch) => void) => {
      this.order.push('onBatch');
      this.batchListeners.add(l);
      return () => this.batchListeners.delete(l);
    },
    onLink: (l: (s: LinkState) => void) => {
      this.linkListeners.add(l);
      l(this.linkState);
      return () => this.linkListeners.delete(l);
    },
  } as unknown as EchoscopeApi;

  emit(batch: EventBatch): void {
    for (const l of this.batchListeners) l(batch);
  }

  link(state: LinkState): void {
    this.linkState = state;
    for (const l of this.linkListeners) l(state);
  }

  async answer(snapshot: Snapshot): Promise<void> {
    const resolve = this.snapshotRequests.shift();
    resolve?.({ ok: true, value: snapshot });
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

function view(f: EventFactory, id: number): TaskView {
  return reduceTask(undefined, f.accepted(id) as Parameters<typeof reduceTask>[1]) as TaskView;
}

afterEach(() => vi.useRealTimers());

describe('syncStore', () => {
  it('subscribes before asking for the snapshot, then folds held batches on top of it without duplicates', async () => {
    const host = new FakeHost();
    const store = createAppStore();
    syncStore(host.api, store);
    expect(host.order).toEqual(['onBatch', 'invoke:snapshot']);
    const f = new EventFactory();
    f.listening();
    const accepted = f.accepted(1);
    const t1 = reduceTask(undefined, accepted as Parameters<typeof reduceTask>[1]) as TaskView;
    // Arrives before the snapshot answer: `accepted` (seq 2) is already in the snapshot, the rest is not.
    host.emit(batchOf([accepted, f.received(1, 'b')]));
    host.emit(batchOf([f.accepted(2)]));
    expect(store.getState().tasks.size).toBe(0);
    await host.answer(snapshotOf(2, { tasks: [t1] }));
    const s = store.getState();
    expect(s.synced).toBe(true);
    expect(s.link).toBe('open');
    expect([...s.tasks.keys()]).toEqual([1, 2]);
    expect(s.tasks.get(1)?.messagesIn).toBe(1);
    expect(s.lastSeq).toBe(f.seq);
  });

  it('resyncs after a batch with dropped events, at most once per interval', async () => {
    vi.useFakeTimers();
    const host = new FakeHost();
    const store = createAppStore();
    let clock = 0;
    syncStore(host.api, store, () => clock);
    await host.answer(snapshotOf(0));
    host.emit(batchOf([], { dropped: 500, lastSeq: 900 }));
    expect(store.getState().droppedTotal).toBe(500);
    expect(host.snapshotRequests).toHaveLength(0);
    clock = RESYNC_MIN_INTERVAL_MS;
    vi.advanceTimersByTime(RESYNC_MIN_INTERVAL_MS);
    expect(host.snapshotRequests).toHaveLength(1);
  });

  it('asks for one snapshot when the page first connects, not a second one a second later', async () => {
    vi.useFakeTimers();
    const host = new FakeHost();
    const store = createAppStore();
    let clock = 0;
    syncStore(host.api, store, () => clock);
    // The first request waits for the link; the link's first 'open' is not a return after a drop.
    host.link('open');
    expect(host.snapshotRequests).toHaveLength(1);
    await host.answer(snapshotOf(0));
    const f = new EventFactory();
    host.emit(batchOf([f.listening(), f.accepted(1)]));
    clock = 5 * RESYNC_MIN_INTERVAL_MS;
    vi.advanceTimersByTime(5 * RESYNC_MIN_INTERVAL_MS);
    expect(host.snapshotRequests).toHaveLength(0);
    // Every event the page received is in its log.
    expect(store.getState().log.map((e) => e.kind)).toEqual(['listening', 'accepted']);
  });

  it('resyncs from a snapshot when the link comes back', async () => {
    const host = new FakeHost();
    const store = createAppStore();
    syncStore(host.api, store);
    host.link('open');
    await host.answer(snapshotOf(0));
    host.link('closed');
    expect(store.getState().link).toBe('closed');
    host.link('open');
    expect(host.snapshotRequests).toHaveLength(1);
    // A restarted host counts from zero again: the snapshot's lastSeq wins.
    const f = new EventFactory();
    await host.answer(snapshotOf(3, { tasks: [view(f, 7)] }));
    expect(store.getState().lastSeq).toBe(3);
    expect([...store.getState().tasks.keys()]).toEqual([7]);
  });

  it('stops listening when disposed', async () => {
    const host = new FakeHost();
    const stop = syncStore(host.api, createAppStore());
    stop();
    expect(host.batchListeners.size).toBe(0);
    expect(host.linkListeners.size).toBe(0);
  });
});
