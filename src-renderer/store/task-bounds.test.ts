import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { applyBatch } from './batch-apply';
import { batchOf, EventFactory } from './event-fixtures';
import { LOG_CAPACITY } from './log-slice';
import { KeptTasks } from './tasks-slice';
import { foldWarnings } from './warnings-slice';

describe('bounded memory', () => {
  it('evicts the tasks that ended first, keeps live and dangling ones', () => {
    const f = new EventFactory();
    const events = [
      f.listening(),
      f.accepted(1),
      f.accepted(2),
      f.failed(2, true),
      f.accepted(3),
      f.accepted(4),
    ];
    events.push(f.completed(3), f.accepted(5), f.completed(5), f.accepted(6), f.completed(6));
    const kept = KeptTasks.fold(KeptTasks.empty(), events, 2);
    // Ended in order: 2 (dangling), 3, 5, 6. Cap 2: 3 goes; 2 is dangling and stays; 5 goes.
    expect([...kept.keys()].sort()).toEqual([1, 2, 4, 6]);
    expect(kept.endedOrder).toEqual([6, 2]);
  });

  it('forgets a dangling task once its connection closes and it is oldest', () => {
    const f = new EventFactory();
    let kept = KeptTasks.fold(KeptTasks.empty(), [f.listening(), f.accepted(1), f.failed(1, true)], 1);
    kept = KeptTasks.fold(kept, [f.closed(1, 'finalized'), f.accepted(2), f.completed(2)], 1);
    expect([...kept.keys()]).toEqual([2]);
  });

  it('keeps the log to its capacity, newest last', () => {
    const store = createAppStore();
    const f = new EventFactory();
    const events = [f.listening()];
    for (let i = 1; i <= LOG_CAPACITY + 10; i++) events.push(f.accepted(i));
    store.setState(applyBatch(store.getState(), batchOf(events.slice(0, 100))));
    store.setState(applyBatch(store.getState(), batchOf(events.slice(100))));
    const { log } = store.getState();
    expect(log).toHaveLength(LOG_CAPACITY);
    expect(log[log.length - 1]?.seq).toBe(events[events.length - 1]?.seq);
    expect(log[0]?.seq).toBe(events[events.length - LOG_CAPACITY]?.seq);
  });

  it('keeps the newest warnings up to the cap', () => {
    const f = new EventFactory();
    const events = [1, 2, 3, 4].map((id) => f.unretrieved(id));
    expect(foldWarnings([], events, 3).map((w) => w.taskId)).toEqual([2, 3, 4]);
  });
});
