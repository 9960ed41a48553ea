import { describe, expect, it } from 'vitest';
import { zeroCounters } from '../../src-shared/counters';
import { type EngineEvent, EVENT_SCHEMA_VERSION, type EventBatch } from '../../src-shared/events';
import { DEFAULT_SETTINGS } from '../../src-shared/settings-defaults';
import { createBatchPrinter, describeEvent, type PrintFormat } from './console-printer';

function batch(events: EngineEvent[], dropped = 0): EventBatch {
  return {
    v: EVENT_SCHEMA_VERSION,
    events,
    dropped,
    lastSeq: events.length,
    counters: { ...zeroCounters(), events: events.length },
  };
}

function listening(host: string): EngineEvent {
  return { kind: 'listening', seq: 1, at: 0, settings: { ...DEFAULT_SETTINGS, host }, port: 8000 };
}

function print(format: PrintFormat, b: EventBatch): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  createBatchPrinter(
    format,
    (t) => out.push(t),
    (t) => err.push(t),
  )(b);
  return { out, err };
}

describe('createBatchPrinter', () => {
  it.each<PrintFormat>([
    'human',
    'json',
    'quiet',
  ])('warns in %s format when the server binds beyond loopback', (format) => {
    expect(print(format, batch([listening('0.0.0.0')])).err).toEqual([
      'Warning: The echo server listens on every network interface (0.0.0.0): other machines can connect to it.',
    ]);
    expect(print(format, batch([listening('127.0.0.1')])).err).toEqual([]);
  });

  it('prints the banner in human form, NDJSON in json form, nothing but warnings when quiet', () => {
    expect(print('human', batch([listening('127.0.0.1')])).out[0]).toMatch(
      /^Echo server listening on 127\.0\.0\.1:8000\n/,
    );
    expect(JSON.parse(print('json', batch([listening('127.0.0.1')])).out[0] ?? '')).toMatchObject({
      kind: 'listening',
    });
    expect(print('quiet', batch([listening('127.0.0.1')], 5))).toEqual({ out: [], err: [] });
  });

  it('says how many events it could not show', () => {
    expect(print('human', batch([], 7)).err).toEqual([
      '(7 events not shown: output could not keep up; counters stay exact)',
    ]);
  });
});

describe('describeEvent for a failed task', () => {
  const failed = (policy: 'unhandled' | 'retained', dangling: boolean): EngineEvent => ({
    kind: 'failed',
    seq: 2,
    at: 0,
    taskId: 3,
    error: { name: 'Error', message: 'read ECONNRESET', stack: 'Error: read ECONNRESET' },
    policy,
    awaitPoint: 'recv',
    dangling,
  });

  it.each([
    'unhandled',
    'retained',
  ] as const)('under %s says a connection a reset already closed is closed, not dangling', (policy) => {
    const line = describeEvent(failed(policy, false));
    expect(line).toContain('Task 3 raised Error: read ECONNRESET;');
    expect(line).toContain('its connection is already closed');
    expect(line).not.toMatch(/dangl/);
    expect(describeEvent(failed(policy, true))).toContain('its connection dangles');
  });
});

describe('where human output goes, as CPython writes it', () => {
  const error = {
    name: 'Error',
    message: 'Unexpected network error',
    stack: 'Error: Unexpected network error',
  };
  const base = { seq: 2, at: 0, taskId: 1 };
  const events: EngineEvent[] = [
    { ...base, kind: 'accepted', peerAddress: '127.0.0.1', peerPort: 5000, localPort: 8000 },
    { ...base, kind: 'received', bytes: 10, reads: 2, preview: '' },
    { ...base, kind: 'failed', error, policy: 'handled', awaitPoint: 'recv', dangling: false },
    { ...base, kind: 'unretrieved', error, via: 'gc' },
    { ...base, kind: 'closed', reason: 'finalized', reset: false },
  ];

  it('puts the error log, its traceback and the never-retrieved warning on stderr, the rest on stdout', () => {
    const { out, err } = print('human', batch(events));
    expect(out).toEqual([
      'Got a connection from 127.0.0.1:5000 (task 1)',
      'Task 1: socket closed by its finalizer',
    ]);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^ERROR task 1: Unexpected network error\nError: Unexpected network error/);
    expect(err[1]).toMatch(/^Task exception was never retrieved\nfuture: <Task finished name='Task-1'/);
  });

  it('with verbose, prints got data! once per read on stdout, as the fixed listing does', () => {
    const out: string[] = [];
    createBatchPrinter(
      'human',
      (t) => out.push(t),
      () => {},
      { verbose: true },
    )(batch(events));
    expect(out[1]).toBe('got data! (task 1)\ngot data! (task 1)');
  });
});
