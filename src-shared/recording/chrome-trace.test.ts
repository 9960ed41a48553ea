import { describe, expect, it } from 'vitest';
import { FIXTURE_EVENTS, fixtureText } from '../testing/recording-fixture';
import { traceFormatProblems } from '../testing/trace-event-format';
import {
  CLIENTS_PID,
  chromeTraceJson,
  recordingToTrace,
  SERVER_PID,
  SERVER_TID,
  type TraceEvent,
} from './chrome-trace';
import { readRecordingText } from './recording-reader';

function fixtureTrace(text = fixtureText()) {
  const read = readRecordingText(text);
  if (!read.ok) throw new Error(read.error.message);
  return recordingToTrace(read.recording);
}

const onTask = (events: TraceEvent[], tid: number) =>
  events.filter((e) => e.pid === SERVER_PID && e.tid === tid);

describe('recordingToTrace', () => {
  it('is valid Trace Event Format, and serializes to the same JSON', () => {
    const trace = fixtureTrace();
    expect(traceFormatProblems(trace)).toEqual([]);
    const text = [...chromeTraceJson(trace)].join('');
    expect(JSON.parse(text)).toEqual(trace);
  });

  it('gives each task a named track with its life and its waits at recv and send', () => {
    const { traceEvents } = fixtureTrace();
    const task1 = onTask(traceEvents, 1);
    expect(task1.find((e) => e.ph === 'M' && e.name === 'thread_name')?.args).toEqual({
      name: 'task 1 127.0.0.1:50001',
    });
    const life = task1.find((e) => e.ph === 'X' && e.name === 'task 1');
    expect(life).toMatchObject({
      ts: 10_000,
      dur: 40_000,
      args: { outcome: 'completed', bytesIn: 6, bytesOut: 6 },
    });
    expect(task1.filter((e) => e.ph === 'X' && e.cat === 'await')).toMatchObject([
      { name: 'await recv', ts: 11_000, dur: 39_000 },
    ]);
  });

  it('marks a crash, the dangling connection, the never-retrieved warning and a cancellation', () => {
    const { traceEvents } = fixtureTrace();
    const task2 = onTask(traceEvents, 2);
    expect(task2.find((e) => e.cat === 'crash')).toMatchObject({
      ph: 'i',
      s: 't',
      ts: 40_000,
      name: 'crash: Error: Unexpected network error',
    });
    expect(task2.find((e) => e.cat === 'dangling')).toMatchObject({
      ph: 'X',
      ts: 40_000,
      dur: 20_000,
      args: { closed: 'finalized' },
    });
    expect(task2.find((e) => e.cat === 'unretrieved')).toMatchObject({
      ph: 'i',
      ts: 60_000,
      name: 'Task exception was never retrieved',
    });
    expect(onTask(traceEvents, 3).find((e) => e.cat === 'cancel')).toMatchObject({
      ph: 'i',
      name: 'cancelled at recv',
      args: { reason: 'stop' },
    });
  });

  it('has a counter track of live (and dangling) tasks that follows the counters', () => {
    const counters = fixtureTrace().traceEvents.filter((e) => e.ph === 'C');
    expect(counters.map((e) => [e.ts / 1000, e.args?.live, e.args?.dangling])).toEqual([
      [1, 0, 0],
      [10, 1, 0],
      [20, 2, 0],
      [40, 1, 1],
      [50, 0, 1],
      [56, 1, 1],
      [60, 1, 0],
      [71, 0, 0],
    ]);
  });

  it('leaves out the tasks from before a recording begun mid-run: no track, no count below zero', () => {
    const read = readRecordingText(fixtureText());
    if (!read.ok) throw new Error(read.error.message);
    const trace = recordingToTrace({ ...read.recording, events: FIXTURE_EVENTS.slice(4) });
    expect(traceFormatProblems(trace)).toEqual([]);
    expect(onTask(trace.traceEvents, 1)).toEqual([]);
    expect(onTask(trace.traceEvents, 2)).toEqual([]);
    expect(onTask(trace.traceEvents, 3).length).toBeGreaterThan(0);
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    expect(counters.map((e) => [e.args?.live, e.args?.dangling])).toEqual([
      [1, 0],
      [0, 0],
    ]);
  });

  it('a recording begun mid-run shows the run its header carries on the server track from ts 0', () => {
    const read = readRecordingText(fixtureText());
    if (!read.ok) throw new Error(read.error.message);
    const header = {
      ...read.recording.header,
      runAtStart: { phase: 'listening' as const, boundPort: 8000, eventsBefore: 4 },
    };
    const trace = recordingToTrace({ ...read.recording, header, events: FIXTURE_EVENTS.slice(4) });
    expect(traceFormatProblems(trace)).toEqual([]);
    const serverSlices = trace.traceEvents.filter(
      (e) => e.pid === SERVER_PID && e.tid === SERVER_TID && e.ph === 'X' && e.cat === 'server',
    );
    expect(serverSlices.find((e) => e.name.startsWith('listening'))).toMatchObject({
      name: `listening on ${header.settings!.host}:8000`,
      // From the header's start to the `stopped` event at 73 ms.
      ts: 0,
      dur: 73_000,
    });
  });

  it('shows the server run and the built-in client on their own tracks', () => {
    const { traceEvents } = fixtureTrace();
    expect(
      traceEvents.find(
        (e) =>
          e.tid === SERVER_TID &&
          e.pid === SERVER_PID &&
          e.ph === 'X' &&
          e.cat === 'server' &&
          e.name.startsWith('listening'),
      ),
    ).toMatchObject({ ts: 1000, dur: 72_000 });
    expect(traceEvents.find((e) => e.pid === CLIENTS_PID && e.ph === 'X')).toMatchObject({
      name: 'client 1',
      ts: 55_000,
      dur: 17_000,
    });
  });

  it('closes what a cut-off recording left open at its last event, marked unfinished', () => {
    const cut = FIXTURE_EVENTS.slice(0, 6);
    const trace = fixtureTrace(fixtureText(cut, ''));
    expect(traceFormatProblems(trace)).toEqual([]);
    const life = trace.traceEvents.find((e) => e.ph === 'X' && e.name === 'task 2');
    expect(life).toMatchObject({
      ts: 20_000,
      dur: 10_000,
      args: { unfinished: 'still open when the recording ended' },
    });
  });
});

describe('traceFormatProblems', () => {
  it('finds what Perfetto would refuse or misdraw', () => {
    expect(
      traceFormatProblems({
        traceEvents: [
          { name: 'a', ph: 'X', ts: 0, pid: 1, tid: 1, dur: 10 },
          { name: 'b', ph: 'X', ts: 5, pid: 1, tid: 1, dur: 10 },
          { name: 'c', ph: 'B', ts: 0, pid: 1, tid: 2 },
          { name: 'n', ph: 'C', ts: 0, pid: 1, tid: 0, args: { v: 'x' } },
          { ph: 'Q', ts: 0, pid: 1, tid: 0 },
        ],
      }),
    ).toEqual([
      'traceEvents[3] (C) series v must be a number',
      'traceEvents[4].name must be a string',
      'traceEvents[4].ph "Q" is not a Trace Event phase',
      'thread 1/2: B without E: c',
      'thread 1/1 has slices but no thread_name',
      'thread 1/2 has slices but no thread_name',
      'thread 1/1: slice "b" overlaps "a" without nesting',
    ]);
  });
});
