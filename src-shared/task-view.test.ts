import { describe, expect, it } from 'vitest';
import type { TaskEvent } from './events';
import { RETENTION } from './retention';
import { applyTaskEvent, cloneTaskView, createTaskView, isDangling, reduceTask } from './task-view';

let seq = 0;
type Of<K extends TaskEvent['kind']> = Extract<TaskEvent, { kind: K }>;

function ev<K extends TaskEvent['kind']>(e: Omit<Of<K>, 'seq' | 'at' | 'taskId'> & { kind: K }): Of<K> {
  seq++;
  return { ...e, seq, at: 1000 + seq, taskId: 1 } as Of<K>;
}

function accepted() {
  return createTaskView(ev({ kind: 'accepted', peerAddress: '127.0.0.1', peerPort: 5000, localPort: 8000 }));
}

const error = {
  name: 'Error',
  message: 'Unexpected network error',
  stack: 'Error: Unexpected network error',
};

describe('task view reducer', () => {
  it('keeps exact totals and a bounded transcript while running', () => {
    const view = accepted();
    for (let i = 0; i < 100; i++)
      applyTaskEvent(view, ev({ kind: 'received', bytes: 10, reads: 2, preview: 'eA==' }));
    applyTaskEvent(view, ev({ kind: 'echoed', bytes: 1000, sends: 200 }));
    expect(view).toMatchObject({ bytesIn: 1000, messagesIn: 200, bytesOut: 1000, messagesOut: 200 });
    expect(view.transcript).toHaveLength(RETENTION.transcript);
  });

  it('shrinks the transcript of a task that ended and closed', () => {
    const view = accepted();
    for (let i = 0; i < 20; i++)
      applyTaskEvent(view, ev({ kind: 'received', bytes: 1, reads: 1, preview: 'eA==' }));
    applyTaskEvent(view, ev({ kind: 'completed' }));
    expect(view.transcript).toHaveLength(20);
    applyTaskEvent(view, ev({ kind: 'closed', reason: 'task-ended', reset: false }));
    expect(view.transcript).toHaveLength(RETENTION.endedTranscript);
  });

  it('is dangling only when the policy left the connection open, until it closes', () => {
    const handled = accepted();
    applyTaskEvent(
      handled,
      ev({ kind: 'failed', error, policy: 'handled', awaitPoint: 'recv', dangling: false }),
    );
    expect(isDangling(handled)).toBe(false);
    const unhandled = accepted();
    applyTaskEvent(
      unhandled,
      ev({ kind: 'failed', error, policy: 'unhandled', awaitPoint: 'recv', dangling: true }),
    );
    expect(isDangling(unhandled)).toBe(true);
    applyTaskEvent(unhandled, ev({ kind: 'closed', reason: 'finalized', reset: false }));
    expect(isDangling(unhandled)).toBe(false);
  });

  it('reduceTask never mutates what it was given', () => {
    const before = accepted();
    const snapshot = JSON.stringify(before);
    const after = reduceTask(before, ev({ kind: 'received', bytes: 3, reads: 1, preview: 'YWJj' }))!;
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after.bytesIn).toBe(3);
    const copy = cloneTaskView(after);
    applyTaskEvent(copy, ev({ kind: 'received', bytes: 3, reads: 1, preview: 'YWJj' }));
    expect(after.transcript).toHaveLength(1);
    expect(copy.transcript).toHaveLength(2);
  });

  it('ignores events about a task it never saw accepted', () => {
    expect(reduceTask(undefined, ev({ kind: 'completed' }))).toBeUndefined();
  });
});
