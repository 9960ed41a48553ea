import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
import { DEFAULT_SETTINGS } from '../settings-defaults';
import { checkEvent } from './event-schemas';
import { foldRecording } from './replay-state';

const PROCESS = {
  pid: 77,
  python: '3.12.1',
  implementation: 'CPython',
  script: '/srv/app.py',
  argv: ['app.py'],
};
const STACK = 'Traceback (most recent call last):\n  File "/srv/app.py", line 3, in echo\nException: boom';

/** Contract version 2 in a recording: an attached process's run, read back and folded as the live views do. */
const EVENTS: EngineEvent[] = [
  { kind: 'attached', seq: 1, at: 1000, process: PROCESS },
  {
    kind: 'accepted',
    seq: 2,
    at: 1001,
    taskId: 1,
    peerAddress: '',
    peerPort: 0,
    localPort: 0,
    task: { name: 'Task-1', coroutine: 'main' },
  },
  { kind: 'parked', seq: 3, at: 1002, taskId: 1, awaitPoint: 'accept', awaitDetail: 'loop.sock_accept' },
  {
    kind: 'accepted',
    seq: 4,
    at: 1003,
    taskId: 2,
    peerAddress: '127.0.0.1',
    peerPort: 50000,
    localPort: 8000,
    task: { name: 'Task-2', coroutine: 'echo' },
  },
  {
    kind: 'failed',
    seq: 5,
    at: 1004,
    taskId: 2,
    error: { name: 'Exception', message: 'boom', stack: STACK },
    policy: 'unhandled',
    awaitPoint: 'recv',
    dangling: false,
    awaitDetail: 'loop.sock_recv',
  },
  {
    kind: 'unretrieved',
    seq: 6,
    at: 1005,
    taskId: 2,
    error: { name: 'Exception', message: 'boom', stack: STACK },
    via: 'gc',
  },
  {
    kind: 'cancelled',
    seq: 7,
    at: 1006,
    taskId: 1,
    awaitPoint: 'other',
    reason: 'stop',
    awaitDetail: 'asyncio.sleep at app.py:9',
  },
  { kind: 'detached', seq: 8, at: 1007, pid: 77, reason: 'exit', unended: 0, probeDropped: 0 },
];

describe('an attached process in a recording (event contract version 2)', () => {
  it('reads every event back with its extension fields', () => {
    for (const e of EVENTS)
      expect(checkEvent(e.kind, JSON.parse(JSON.stringify(e)))).toEqual({ ok: true, event: e });
  });

  it('still reads version 1 events, which carry none of them', () => {
    const v1 = { kind: 'parked', seq: 3, at: 1, taskId: 1, awaitPoint: 'recv' };
    expect(checkEvent('parked', v1)).toEqual({ ok: true, event: v1 });
  });

  it('refuses an over-long awaitDetail and an unknown await point by name', () => {
    expect(checkEvent('parked', { ...EVENTS[2], awaitDetail: 'x'.repeat(201) })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^awaitDetail: /),
    });
    expect(checkEvent('parked', { ...EVENTS[2], awaitPoint: 'sleep' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^awaitPoint: /),
    });
  });

  it('replays as a run of its own: the process in the status, the tasks, the traceback and the warning', () => {
    const mid = foldRecording(EVENTS, 1005);
    expect(mid.status.attached).toEqual({ process: PROCESS, connected: true, exit: null });
    expect(mid.tasks.map((t) => [t.id, t.state, t.awaitDetail])).toEqual([
      [1, 'running', 'loop.sock_accept'],
      [2, 'failed', 'loop.sock_recv'],
    ]);
    expect(mid.warnings[0]?.stack).toBe(STACK);
    const end = foldRecording(EVENTS);
    expect(end.status.attached).toEqual({ process: PROCESS, connected: false, exit: 'exit' });
    expect(end.tasks[0]).toMatchObject({
      state: 'cancelled',
      awaitPoint: 'other',
      awaitDetail: 'asyncio.sleep at app.py:9',
    });
    expect(end.counters).toMatchObject({ accepted: 2, failed: 1, cancelled: 1, unretrieved: 1, live: 0 });
    // The built-in server starting afterwards is a new run: the Python process's tasks are gone.
    const restarted = foldRecording([
      ...EVENTS,
      { kind: 'listening', seq: 9, at: 1008, settings: DEFAULT_SETTINGS, port: 8000 },
    ]);
    expect(restarted.status.attached).toBeUndefined();
    expect(restarted.tasks).toEqual([]);
  });
});
