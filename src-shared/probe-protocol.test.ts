import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProbeEvents, encodeHostMessage, parseProbeLine } from './probe-protocol';
import { hostileJsonText, hostileValue, isOneLine } from './testing/hostile-values';

const HELLO = {
  type: 'hello',
  protocol: 1,
  token: 't0k3n',
  pid: 1234,
  python: '3.11.7',
  implementation: 'CPython',
  script: '/home/me/server.py',
  argv: ['server.py', '8000'],
};

describe('parseProbeLine', () => {
  it('reads a hello into the process it describes, leaving unknown fields behind', () => {
    const parsed = parseProbeLine(JSON.stringify({ ...HELLO, extra: { deep: 1 }, __proto__: { x: 1 } }));
    expect(parsed).toEqual({
      ok: true,
      message: {
        type: 'hello',
        protocol: 1,
        token: 't0k3n',
        process: {
          pid: 1234,
          python: '3.11.7',
          implementation: 'CPython',
          script: '/home/me/server.py',
          argv: ['server.py', '8000'],
        },
      },
    });
  });

  it('names what is wrong in one line', () => {
    expect(parseProbeLine('{')).toEqual({ ok: false, problem: 'is not valid JSON' });
    expect(parseProbeLine('[1]')).toEqual({ ok: false, problem: 'is an array, not a JSON object' });
    expect(parseProbeLine('{"type":"hello!"}')).toEqual({
      ok: false,
      problem: 'has an unknown type "hello!"',
    });
    expect(parseProbeLine(JSON.stringify({ ...HELLO, argv: 'server.py' }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^"hello" line: argv: Invalid type: Expected Array/),
    });
    expect(parseProbeLine(JSON.stringify({ ...HELLO, script: 'x'.repeat(5000) }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^"hello" line: script: Invalid length/),
    });
    expect(
      parseProbeLine(JSON.stringify({ type: 'cancel-result', requestId: 0, cancelled: true })),
    ).toMatchObject({ ok: false, problem: expect.stringMatching(/^"cancel-result" line: requestId: /) });
  });

  it('never throws, and every problem is one short line, whatever the text', () => {
    fc.assert(
      fc.property(hostileJsonText(), (text) => {
        const parsed = parseProbeLine(text);
        if (!parsed.ok) expect(isOneLine(parsed.problem)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on any JSON value under each message type', () => {
    const typed = fc
      .tuple(
        fc.constantFrom('hello', 'events', 'bye', 'cancel-result'),
        fc.dictionary(fc.string(), fc.jsonValue()),
      )
      .map(([type, rest]) => JSON.stringify({ ...rest, type }));
    fc.assert(
      fc.property(typed, (text) => {
        const parsed = parseProbeLine(text);
        if (!parsed.ok) expect(isOneLine(parsed.problem)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkProbeEvents', () => {
  const failed = {
    kind: 'failed',
    seq: 3,
    at: 1_700_000_000_000.5,
    taskId: 2,
    error: { name: 'Exception', message: 'Network error', stack: 'Traceback (most recent call last):\n…' },
    policy: 'unhandled',
    awaitPoint: 'recv',
    dangling: true,
    awaitDetail: 'loop.sock_recv',
  };

  it('keeps the contract events, extension fields included, and leaves out the rest with the first reason', () => {
    const checked = checkProbeEvents([
      failed,
      {
        kind: 'parked',
        seq: 4,
        at: 1,
        taskId: 1,
        awaitPoint: 'other',
        awaitDetail: 'asyncio.sleep at x.py:3',
      },
      { kind: 'listening', seq: 5, at: 1 },
      { ...failed, taskId: 0 },
      { ...failed, awaitDetail: 'x'.repeat(201) },
      'accepted',
    ]);
    expect(checked.events).toEqual([
      failed,
      {
        kind: 'parked',
        seq: 4,
        at: 1,
        taskId: 1,
        awaitPoint: 'other',
        awaitDetail: 'asyncio.sleep at x.py:3',
      },
    ]);
    expect(checked.rejected).toBe(4);
    expect(checked.firstProblem).toBe('event 3 has kind "listening", not a task event a probe reports');
  });

  it('cuts an oversized error (marked) and refuses an oversized peer address, so kept tasks stay small', () => {
    const huge = 'x'.repeat(100_000);
    const checked = checkProbeEvents([
      { ...failed, error: { name: huge, message: huge, stack: huge } },
      { kind: 'accepted', seq: 1, at: 1, taskId: 9, peerAddress: huge, peerPort: 1, localPort: 2 },
    ]);
    expect(checked.rejected).toBe(1);
    expect(checked.firstProblem).toBe('event 2 (accepted): peerAddress is longer than 256 characters');
    const [kept] = checked.events;
    if (kept?.kind !== 'failed') throw new Error('expected the failed event');
    expect(kept.error.stack).toBe(`${'x'.repeat(16 * 1024)}… (cut by Echoscope: 100000 characters)`);
    expect(kept.error.name.length).toBeLessThan(300);
    expect(kept.error.message.length).toBeLessThan(4200);
  });

  it('never throws on hostile values, and its problem is one line', () => {
    fc.assert(
      fc.property(fc.array(hostileValue(), { maxLength: 5 }), (values) => {
        const checked = checkProbeEvents(values);
        expect(checked.events.length + checked.rejected).toBe(values.length);
        if (checked.firstProblem !== null) expect(isOneLine(checked.firstProblem)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeHostMessage', () => {
  it('is one JSON line', () => {
    expect(encodeHostMessage({ type: 'cancel', requestId: 7, taskId: 3 })).toBe(
      '{"type":"cancel","requestId":7,"taskId":3}\n',
    );
  });
});
