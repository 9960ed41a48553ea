import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { applyBatch, applySnapshot } from './batch-apply';
import { batchOf, EventFactory, snapshotOf } from './event-fixtures';
import { KeptTasks } from './tasks-slice';

// Components memoise on the `tasks` value and re-render only when it changes; these are the rules
// that makes correct (see KeptTasks).
describe('KeptTasks: a new value exactly when a task changes', () => {
  it('a batch that changes a task yields a new KeptTasks', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const seen = [store.getState().tasks];
    for (const events of [[f.listening()], [f.accepted(1)], [f.received(1, 'a')], [f.completed(1)]]) {
      store.setState(applyBatch(store.getState(), batchOf(events)));
      seen.push(store.getState().tasks);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(store.getState().tasks.get(1)?.state).toBe('completed');
  });

  it('a batch that changes no task keeps the same KeptTasks', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const start = [f.listening(), f.accepted(1)];
    store.setState(applyBatch(store.getState(), batchOf(start)));
    const before = store.getState().tasks;
    // Not about tasks, about a task never seen, and a batch already applied (seq at or below lastSeq).
    for (const events of [[f.gcRun(0), f.clientOpened(1, 40_000)], [f.received(99, 'x')], start]) {
      store.setState(applyBatch(store.getState(), batchOf(events)));
      expect(store.getState().tasks).toBe(before);
    }
  });

  it('a snapshot yields a new KeptTasks holding just its tasks', () => {
    const store = createAppStore();
    const f = new EventFactory();
    store.setState(applyBatch(store.getState(), batchOf([f.listening(), f.accepted(1)])));
    const before = store.getState().tasks;
    const view = KeptTasks.fold(KeptTasks.empty(), [f.accepted(7)]).get(7)!;
    store.setState(applySnapshot(store.getState(), snapshotOf(f.seq, { tasks: [view] })));
    expect(store.getState().tasks).not.toBe(before);
    expect([...store.getState().tasks.keys()]).toEqual([7]);
  });

  it('never mutates a view it has handed out, and clones a task once per batch', () => {
    const f = new EventFactory();
    const before = KeptTasks.fold(KeptTasks.empty(), [f.listening(), f.accepted(1), f.received(1, 'a')]);
    const oldView = before.get(1)!;
    const frozen = JSON.stringify(oldView);
    const after = KeptTasks.fold(before, [f.received(1, 'b'), f.received(1, 'c'), f.completed(1)]);
    expect(JSON.stringify(oldView)).toBe(frozen);
    expect(after.get(1)).not.toBe(oldView);
    expect(after.get(1)?.messagesIn).toBe(3);
    expect(after.get(1)?.transcript).toHaveLength(3);
    expect(after.endedOrder).toEqual([1]);
  });

  it('shares one map within a run, so an older KeptTasks reads the newest views; a new run starts afresh', () => {
    const f = new EventFactory();
    const first = KeptTasks.fold(KeptTasks.empty(), [f.listening(), f.accepted(1)]);
    const second = KeptTasks.fold(first, [f.received(1, 'a'), f.accepted(2)]);
    // The documented trade-off (no copy per batch): hold the views, not the KeptTasks, to keep a moment.
    expect(first.get(1)).toBe(second.get(1));
    expect(first.size).toBe(2);
    const nextRun = KeptTasks.fold(second, [f.listening(), f.accepted(3)]);
    expect([...nextRun.keys()]).toEqual([3]);
    expect([...second.keys()]).toEqual([1, 2]);
  });

  it('reads like a ReadonlyMap, in accept order', () => {
    const f = new EventFactory();
    const kept = KeptTasks.fold(KeptTasks.empty(), [f.listening(), f.accepted(2), f.accepted(1)]);
    const ids: number[] = [];
    kept.forEach((view, id, map) => {
      expect(map.get(id)).toBe(view);
      ids.push(id);
    });
    expect(ids).toEqual([2, 1]);
    expect([...kept].map(([id]) => id)).toEqual([2, 1]);
    expect([...kept.values()].map((t) => t.id)).toEqual([2, 1]);
    expect(kept.has(1) && !kept.has(3)).toBe(true);
  });
});
