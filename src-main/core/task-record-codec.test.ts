import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWAIT_POINTS, CANCEL_REASONS, CLOSE_REASONS, type TaskEvent } from '../../src-shared/events';
import { FAILURE_POLICIES } from '../../src-shared/failure-policies';
import { createTaskView } from '../../src-shared/task-view';
import { decodeTaskRecord, encodeTaskRecord, type TaskRecordData } from './task-record-codec';

const TASK_ID = 42;
const count = fc.nat({ max: 2 ** 40 });
const at = fc.double({ min: 0, max: 4e12, noNaN: true });
const text = fc.string({ unit: 'grapheme', maxLength: 80 });
/** Events as the engine makes them: plain objects (fast-check may otherwise give null prototypes). */
function plain<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}
const head = { taskId: fc.constant(TASK_ID), seq: count, at };

const accepted = plain({
  kind: fc.constant('accepted' as const),
  ...head,
  peerAddress: text,
  peerPort: fc.nat(65535),
  localPort: fc.nat(65535),
});
/** The events the field-by-field format writes, as the engine writes them. */
const coded: fc.Arbitrary<TaskEvent> = fc.oneof(
  plain({ kind: fc.constant('parked' as const), ...head, awaitPoint: fc.constantFrom(...AWAIT_POINTS) }),
  plain({ kind: fc.constant('received' as const), ...head, bytes: count, reads: count, preview: text }),
  plain({ kind: fc.constant('completed' as const), ...head }),
  plain({
    kind: fc.constant('cancelled' as const),
    ...head,
    awaitPoint: fc.constantFrom(...AWAIT_POINTS),
    reason: fc.constantFrom(...CANCEL_REASONS),
  }),
  plain({
    kind: fc.constant('closed' as const),
    ...head,
    reason: fc.constantFrom(...CLOSE_REASONS),
    reset: fc.boolean(),
  }),
);
/** Events (or fields) it leaves to JSON. */
const other: fc.Arbitrary<TaskEvent> = fc.oneof(
  plain({
    kind: fc.constant('failed' as const),
    ...head,
    error: plain({ name: text, message: text, stack: text }),
    policy: fc.constantFrom(...FAILURE_POLICIES),
    awaitPoint: fc.constantFrom(...AWAIT_POINTS),
    dangling: fc.boolean(),
  }),
  plain({
    kind: fc.constant('parked' as const),
    ...head,
    awaitPoint: fc.constant('other' as const),
    awaitDetail: text,
  }),
  plain({
    kind: fc.constant('unretrieved' as const),
    ...head,
    error: plain({ name: text, message: text, stack: text }),
    via: fc.constantFrom('gc' as const, 'shutdown' as const),
  }),
);

/** A task an attached process reported, with no connection. */
const LABELLED: TaskEvent & { kind: 'accepted' } = {
  kind: 'accepted' as const,
  taskId: TASK_ID,
  seq: 1,
  at: 5,
  peerAddress: '',
  peerPort: 0,
  localPort: 0,
};

function record(pending: TaskEvent[], echo: [number, number, boolean, number]): TaskRecordData {
  const [echoedBytes, echoedSends, echoIsNewest, echoLastAt] = echo;
  return { folded: null, pending, echoedBytes, echoedSends, echoIsNewest, echoLastAt };
}
const echo = fc.tuple(count, count, fc.boolean(), at);

/** Encodes, then decodes from a copy (the encoding is a view of a buffer the next call reuses). */
function roundTrip(data: TaskRecordData): { format: number; back: TaskRecordData } {
  const bytes = Buffer.from(encodeTaskRecord(data));
  encodeTaskRecord(record([{ ...LABELLED, taskId: 1 }], [1, 1, true, 1]));
  return { format: bytes[0]!, back: decodeTaskRecord(bytes) };
}

describe('task record codec: what the engine packs comes back exactly', () => {
  it('writes a short-lived task field by field and reads it back equal', () => {
    fc.assert(
      fc.property(accepted, fc.array(coded, { maxLength: 15 }), echo, (first, rest, sums) => {
        const data = record([first, ...rest], sums);
        const { format, back } = roundTrip(data);
        expect(format).toBe(1);
        expect(back).toStrictEqual(data);
      }),
    );
  });

  it('leaves to JSON what it does not write field by field, and reads that back equal too', () => {
    fc.assert(
      fc.property(
        accepted,
        fc.array(coded, { maxLength: 8 }),
        other,
        fc.array(coded, { maxLength: 6 }),
        echo,
        (first, before, odd, after, sums) => {
          const data = record([first, ...before, odd, ...after], sums);
          const { format, back } = roundTrip(data);
          expect(format).toBe(0);
          expect(back).toStrictEqual(data);
        },
      ),
    );
  });

  it('leaves to JSON a task labelled by an attached process, and one with a folded view', () => {
    const withLabel = record(
      [{ ...LABELLED, task: { name: 'Task-3', coroutine: 'echo' } }],
      [0, 0, false, 0],
    );
    expect(roundTrip(withLabel)).toStrictEqual({ format: 0, back: withLabel });
    const folded = { ...record([], [3, 1, true, 9]), folded: createTaskView(LABELLED) };
    expect(roundTrip(folded)).toStrictEqual({ format: 0, back: folded });
  });

  it('takes about half the bytes of JSON for a connection that echoed once', () => {
    const data = record(
      [
        {
          kind: 'accepted',
          taskId: 7,
          peerAddress: '127.0.0.1',
          peerPort: 37898,
          localPort: 8000,
          seq: 2,
          at: 1795684543661.4216,
        },
        {
          kind: 'received',
          taskId: 7,
          bytes: 64,
          reads: 1,
          preview: 'eHh4'.repeat(21),
          seq: 3,
          at: 1795684543664.9658,
        },
        { kind: 'completed', taskId: 7, seq: 5, at: 1795684543665.1782 },
        { kind: 'closed', taskId: 7, reason: 'task-ended', reset: false, seq: 6, at: 1795684543665.7363 },
      ],
      [64, 1, true, 1795684543665.1304],
    );
    const json = JSON.stringify([null, data.pending, 64, 1, true, 1795684543665.1304]).length;
    expect(encodeTaskRecord(data).length).toBeLessThan(0.6 * json);
  });
});
