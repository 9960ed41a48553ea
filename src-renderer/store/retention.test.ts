import { describe, expect, it } from 'vitest';
import { RETENTION } from '../../src-shared/retention';
import { retentionScenario, summarizeRetained } from '../../src-shared/testing/retention-scenario';
import { createAppStore } from './app-store';
import { applyBatch } from './batch-apply';
import { batchOf, EventFactory, snapshotOf } from './event-fixtures';
import { KeptTasks } from './tasks-slice';

describe('the store keeps the shared retention limits', () => {
  it('keeps a run within the limits, by the same rule as the engine, batch by batch', () => {
    const { events, expected } = retentionScenario(RETENTION);
    const store = createAppStore();
    for (let i = 0; i < events.length; i += 997) {
      store.setState(applyBatch(store.getState(), batchOf(events.slice(i, i + 997))));
    }
    const s = store.getState();
    expect(
      summarizeRetained({ tasks: s.tasks.values(), warnings: s.warnings, clients: s.clients.values() }),
    ).toEqual(expected);
    expect(s.log).toHaveLength(RETENTION.log);
    expect(s.log.at(-1)).toBe(events.at(-1));
  });

  it('evicts a snapshot by the same rule', () => {
    const f = new EventFactory();
    const run = KeptTasks.fold(KeptTasks.empty(), [
      f.listening(),
      ...[f.accepted(1), f.failed(1, true)],
      ...[f.accepted(2), f.completed(2), f.closed(2)],
      ...[f.accepted(3), f.completed(3), f.closed(3)],
      f.accepted(4),
    ]);
    const snapshot = snapshotOf(f.seq, { tasks: [...run.values()] });
    const kept = KeptTasks.fromSnapshot(snapshot, 1);
    // Ended in order: 1 (dangling), 2, 3. One ended task is kept: the dangling one, which always is; running 4 stays.
    expect([...kept.keys()]).toEqual([1, 4]);
  });

  it('forgets a dangling task once its connection closes and it is oldest', () => {
    const f = new EventFactory();
    let kept = KeptTasks.fold(KeptTasks.empty(), [f.listening(), f.accepted(1), f.failed(1, true)], 1);
    kept = KeptTasks.fold(kept, [f.closed(1, 'finalized'), f.accepted(2), f.completed(2)], 1);
    expect([...kept.keys()]).toEqual([2]);
  });
});
