import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/events';
import { summarizeEvent } from '../format/event-summary';
import { createAppStore } from './app-store';
import { applyBatch } from './batch-apply';
import { batchOf, EventFactory } from './event-fixtures';

const PROCESS = {
  pid: 1234,
  python: '3.11.7',
  implementation: 'CPython',
  script: '/srv/server.py',
  argv: ['server.py'],
};

describe('the store with an attached Python process', () => {
  it('starts a new run on attach, names the process in the status, and keeps its tasks after it exits', () => {
    const store = createAppStore();
    const f = new EventFactory();
    // A previous run of the built-in server, with a crash and a warning.
    store.setState(applyBatch(store.getState(), batchOf([f.listening(), f.accepted(1), f.failed(1)])));
    expect(store.getState().newestCrashId).toBe(1);
    store.getState().selectTask(1);

    const at = 2_000;
    const attached: EngineEvent = { kind: 'attached', seq: ++f.seq, at, process: PROCESS };
    const accepted: EngineEvent = {
      kind: 'accepted',
      seq: ++f.seq,
      at: at + 1,
      taskId: 1,
      peerAddress: '127.0.0.1',
      peerPort: 40000,
      localPort: 8000,
      task: { name: 'Task-2', coroutine: 'echo' },
    };
    const parked: EngineEvent = {
      kind: 'parked',
      seq: ++f.seq,
      at: at + 2,
      taskId: 1,
      awaitPoint: 'recv',
      awaitDetail: 'loop.sock_recv',
    };
    store.setState(applyBatch(store.getState(), batchOf([attached, accepted, parked])));
    let s = store.getState();
    expect(s.status.attached).toEqual({ process: PROCESS, connected: true, exit: null });
    expect(s.newestCrashId).toBeNull();
    expect(s.selectedTaskId).toBeNull();
    expect([...s.tasks.values()].map((t) => [t.id, t.pythonTask?.coroutine, t.awaitDetail])).toEqual([
      [1, 'echo', 'loop.sock_recv'],
    ]);

    const detached: EngineEvent = {
      kind: 'detached',
      seq: ++f.seq,
      at: at + 3,
      pid: 1234,
      reason: 'lost',
      unended: 1,
      probeDropped: 0,
    };
    store.setState(applyBatch(store.getState(), batchOf([detached])));
    s = store.getState();
    expect(s.status.attached).toEqual({ process: PROCESS, connected: false, exit: 'lost' });
    expect(s.tasks.get(1)?.state).toBe('running');
    expect(summarizeEvent(s.log.at(-1)!)).toMatch(/^Python process 1234 disconnected without saying goodbye/);
  });
});
