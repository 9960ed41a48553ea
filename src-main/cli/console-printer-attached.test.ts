import { describe, expect, it } from 'vitest';
import { zeroCounters } from '../../src-shared/counters';
import { type EngineEvent, EVENT_SCHEMA_VERSION, type UnstampedEvent } from '../../src-shared/events';
import { DEFAULT_SETTINGS } from '../../src-shared/settings-defaults';
import { createBatchPrinter } from './console-printer';

const PROCESS = {
  pid: 7,
  python: '3.11.7',
  implementation: 'CPython',
  script: '/srv/server.py',
  argv: ['server.py'],
};
const error = {
  name: 'Exception',
  message: 'Unexpected network error',
  stack: 'Traceback (most recent call last):\nException: Unexpected network error',
};

function print(events: UnstampedEvent[]): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const stamped = events.map((e, i) => ({ ...e, seq: i + 1, at: 1000 + i }) as EngineEvent);
  createBatchPrinter(
    'human',
    (l) => out.push(l),
    (l) => err.push(l),
  )({
    v: EVENT_SCHEMA_VERSION,
    events: stamped,
    dropped: 0,
    lastSeq: stamped.length,
    counters: zeroCounters(),
  });
  return { out, err };
}

describe('the console printer with an attached Python process', () => {
  it('prints its tasks as facts, not as the built-in server policy would explain them, until the server starts again', () => {
    const { out, err } = print([
      { kind: 'attached', process: PROCESS },
      {
        kind: 'accepted',
        taskId: 1,
        peerAddress: '',
        peerPort: 0,
        localPort: 0,
        task: { name: 'Task-1', coroutine: 'main' },
      },
      {
        kind: 'accepted',
        taskId: 2,
        peerAddress: '127.0.0.1',
        peerPort: 5000,
        localPort: 8000,
        task: { name: 'Task-2', coroutine: 'echo' },
      },
      { kind: 'failed', taskId: 2, error, policy: 'unhandled', awaitPoint: 'recv', dangling: true },
      { kind: 'unretrieved', taskId: 2, error, via: 'shutdown' },
      { kind: 'detached', pid: 7, reason: 'exit', unended: 0, probeDropped: 0 },
      { kind: 'listening', settings: DEFAULT_SETTINGS, port: 8000 },
      { kind: 'accepted', taskId: 3, peerAddress: '127.0.0.1', peerPort: 5001, localPort: 8000 },
    ]);
    expect(out.slice(0, 5)).toEqual([
      'Attached: Python 3.11.7 · pid 7 · server.py (/srv/server.py)',
      'Task 1 created: Task-1 (main)',
      'Got a connection from 127.0.0.1:5000 (task 2, Task-2)',
      'Task 2 raised Exception: Unexpected network error; its connection is still open',
      'Python process 7 exited',
    ]);
    expect(err).toEqual([`Task exception was never retrieved (task 2, at exit)\n${error.stack}`]);
    expect(out.at(-1)).toBe('Got a connection from 127.0.0.1:5001 (task 3)');
  });
});
