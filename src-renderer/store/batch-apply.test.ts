import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/events';
import { reduceTask, type TaskView } from '../../src-shared/task-view';
import { createAppStore } from './app-store';
import { applyBatch, applySnapshot } from './batch-apply';
import { batchOf, EventFactory, snapshotOf } from './event-fixtures';

describe('applyBatch', () => {
  it('folds a whole batch with one setState and shows the batch counters as given', () => {
    const store = createAppStore();
    const f = new EventFactory();
    let renders = 0;
    store.subscribe(() => renders++);
    const events = [f.listening(), f.accepted(1), f.received(1, 'hi\n'), f.accepted(2), f.completed(1)];
    const counters = {
      live: 1,
      accepted: 2,
      completed: 1,
      failed: 0,
      cancelled: 0,
      unretrieved: 0,
      dangling: 0,
      bytesIn: 3,
      bytesOut: 3,
      events: 5,
    };
    store.setState(applyBatch(store.getState(), batchOf(events, { counters })));
    const s = store.getState();
    expect(renders).toBe(1);
    expect(s.counters).toEqual(counters);
    expect(s.tasks.get(1)?.state).toBe('completed');
    expect(s.tasks.get(1)?.bytesIn).toBe(3);
    expect(s.tasks.get(2)?.state).toBe('running');
    expect(s.status.phase).toBe('listening');
    expect(s.lastSeq).toBe(5);
    expect(s.log).toHaveLength(5);
  });

  it('drops events at or below lastSeq', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const first = [f.listening(), f.accepted(1)];
    store.setState(applyBatch(store.getState(), batchOf(first)));
    const again = [first[1]!, f.received(1, 'x')];
    store.setState(applyBatch(store.getState(), batchOf(again)));
    const s = store.getState();
    expect(s.tasks.get(1)?.messagesIn).toBe(1);
    expect(s.log.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('does not let an older batch overwrite newer counters', () => {
    const store = createAppStore();
    store.setState(applySnapshot(store.getState(), snapshotOf(10, {}, { accepted: 7 })));
    const f = new EventFactory();
    const stale = batchOf([f.accepted(1)], {
      lastSeq: 5,
      counters: { ...store.getState().counters, accepted: 1 },
    });
    store.setState(applyBatch(store.getState(), stale));
    expect(store.getState().counters.accepted).toBe(7);
    expect(store.getState().tasks.size).toBe(0);
  });

  it('starts a fresh run on listening: tasks, clients, warnings and selection are cleared', () => {
    const store = createAppStore();
    const f = new EventFactory();
    store.setState(
      applyBatch(
        store.getState(),
        batchOf([f.listening(), f.accepted(1), f.failed(1), f.unretrieved(1), f.clientOpened(1, 5)]),
      ),
    );
    store.getState().selectTask(1);
    expect(store.getState().warnings).toHaveLength(1);
    store.setState(applyBatch(store.getState(), batchOf([f.listening(8001), f.accepted(2)])));
    const s = store.getState();
    expect([...s.tasks.keys()]).toEqual([2]);
    expect(s.warnings).toHaveLength(0);
    expect(s.clients.size).toBe(0);
    expect(s.selectedTaskId).toBeNull();
    expect(s.status.boundPort).toBe(8001);
  });

  it('reports what a gc-run did from the finalizer events before it', () => {
    const store = createAppStore();
    const f = new EventFactory();
    store.setState(
      applyBatch(
        store.getState(),
        batchOf([
          f.listening(),
          f.accepted(1),
          f.failed(1),
          f.unretrieved(1),
          f.closed(1, 'finalized'),
          f.gcRun(1),
        ]),
      ),
    );
    expect(store.getState().gcReport).toMatchObject({ finalized: 1, warnings: 1, closed: 1, earlier: 0 });
    expect(store.getState().tasks.get(1)?.socketOpen).toBe(false);
  });

  it('tells finalizations of this gc-run from V8 collecting on its own earlier', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const events = [f.listening(), f.accepted(1), f.failed(1), f.accepted(2), f.failed(2)];
    events.push(
      f.unretrieved(1),
      f.closed(1, 'finalized'),
      f.unretrieved(2),
      f.closed(2, 'finalized'),
      f.gcRun(1),
    );
    store.setState(applyBatch(store.getState(), batchOf(events)));
    expect(store.getState().gcReport).toMatchObject({ finalized: 1, warnings: 1, closed: 1, earlier: 1 });
  });

  it('accumulates dropped counts', () => {
    const store = createAppStore();
    store.setState(applyBatch(store.getState(), batchOf([], { dropped: 40, lastSeq: 60 })));
    store.setState(applyBatch(store.getState(), batchOf([], { dropped: 2, lastSeq: 70 })));
    expect(store.getState().droppedTotal).toBe(42);
  });
});

describe('applySnapshot', () => {
  it('rebuilds tasks, clients and warnings and keeps the selection only if the task is still there', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const view = reduceTask(undefined, f.accepted(3) as Parameters<typeof reduceTask>[1]) as TaskView;
    store.getState().selectTask(9);
    store.setState(
      applySnapshot(
        store.getState(),
        snapshotOf(50, {
          tasks: [view],
          clients: [
            {
              id: 1,
              localPort: 50003,
              open: true,
              closeReason: null,
              bytesSent: 0,
              bytesReceived: 0,
              lastReceived: '',
            },
          ],
          warnings: [{ seq: 4, at: 1, taskId: 3, via: 'shutdown', message: 'Error: x', stack: '' }],
        }),
      ),
    );
    const s = store.getState();
    expect(s.synced).toBe(true);
    expect(s.lastSeq).toBe(50);
    expect([...s.tasks.keys()]).toEqual([3]);
    expect(s.clients.get(1)?.localPort).toBe(50003);
    expect(s.warnings).toHaveLength(1);
    expect(s.selectedTaskId).toBeNull();
  });
});

describe('the newest crash', () => {
  it('is the task a batch reports failed last, until a new run; a snapshot finds it too', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const apply = (events: EngineEvent[]) => store.setState(applyBatch(store.getState(), batchOf(events)));
    apply([f.listening(), f.accepted(1), f.accepted(2), f.accepted(3)]);
    expect(store.getState().newestCrashId).toBeNull();
    apply([f.failed(2), f.failed(1, false), f.closed(1)]);
    expect(store.getState().newestCrashId).toBe(1);
    apply([f.completed(3)]);
    expect(store.getState().newestCrashId).toBe(1);

    const tasks = [...store.getState().tasks.values()];
    const fresh = createAppStore();
    fresh.setState(applySnapshot(fresh.getState(), snapshotOf(f.seq, { tasks })));
    expect(fresh.getState().newestCrashId).toBe(1);

    apply([f.listening()]);
    expect(store.getState().newestCrashId).toBeNull();
  });
});
