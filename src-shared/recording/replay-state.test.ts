import { describe, expect, it } from 'vitest';
import { FIXTURE_EVENTS, FIXTURE_HEADER, FIXTURE_START } from '../testing/recording-fixture';
import { readRecordingText } from './recording-reader';
import { eventCountAt, foldRecording, ReplayCursor } from './replay-state';

const at = (ms: number): number => FIXTURE_START + ms;

describe('foldRecording', () => {
  it('folds to a moment: only the events at or before it count', () => {
    const s = foldRecording(FIXTURE_EVENTS, at(45));
    expect(s.status).toMatchObject({ phase: 'listening', boundPort: 8000 });
    expect(s.counters).toMatchObject({
      accepted: 2,
      live: 1,
      failed: 1,
      dangling: 1,
      bytesIn: 6,
      bytesOut: 6,
    });
    expect(s.tasks.map((t) => [t.id, t.state, t.socketOpen])).toEqual([
      [1, 'running', true],
      [2, 'failed', true],
    ]);
    expect(s.lastSeq).toBe(8);
  });

  it('folds the whole recording into the final views, warnings and clients', () => {
    const s = foldRecording(FIXTURE_EVENTS);
    expect(s.status.phase).toBe('idle');
    expect(s.counters).toEqual({
      live: 0,
      accepted: 3,
      completed: 1,
      failed: 1,
      cancelled: 1,
      unretrieved: 1,
      dangling: 0,
      bytesIn: 6,
      bytesOut: 6,
      events: FIXTURE_EVENTS.length,
    });
    expect(s.tasks.map((t) => [t.id, t.state, t.closeReason, t.unretrieved])).toEqual([
      [1, 'completed', 'task-ended', null],
      [2, 'failed', 'finalized', 'gc'],
      [3, 'cancelled', 'task-ended', null],
    ]);
    expect(s.warnings).toMatchObject([{ taskId: 2, via: 'gc' }]);
    expect(s.clients).toMatchObject([{ id: 1, open: false, bytesSent: 3, closeReason: 'eof' }]);
  });

  it('before the first event is an idle, empty state', () => {
    const s = foldRecording(FIXTURE_EVENTS, at(0));
    expect(s.status.phase).toBe('idle');
    expect(s.tasks).toEqual([]);
    expect(s.counters.events).toBe(0);
  });

  it('a new run starts from nothing, as the engine does at start', () => {
    const second = FIXTURE_EVENTS.map((e) => ({ ...e, seq: e.seq + 100, at: e.at + 1000 }));
    const s = foldRecording([...FIXTURE_EVENTS, ...second.slice(0, 2)]);
    expect(s.tasks.map((t) => t.id)).toEqual([1]);
    expect(s.counters).toMatchObject({ accepted: 1, live: 1, events: 2 });
  });

  it('a recording begun mid-run covers the tasks it saw start: nothing counts below zero', () => {
    // Recording began after tasks 1 and 2 were accepted (the Record toggle during a run).
    const s = foldRecording(FIXTURE_EVENTS.slice(4));
    expect(s.tasks.map((t) => t.id)).toEqual([3]);
    expect(s.warnings).toEqual([]);
    expect(s.counters).toEqual({
      live: 0,
      accepted: 1,
      completed: 0,
      failed: 0,
      cancelled: 1,
      unretrieved: 0,
      dangling: 0,
      bytesIn: 0,
      bytesOut: 0,
      events: FIXTURE_EVENTS.length - 4,
    });
  });
});

describe('a recording begun mid-run (header runAtStart)', () => {
  /** The fixture's file as the Record toggle writes it after task 1's accept: header with the run, events from 4 on. */
  const midRunText = (runAtStart: unknown): string =>
    [
      JSON.stringify({ ...FIXTURE_HEADER, startedAt: at(15), runAtStart }),
      ...FIXTURE_EVENTS.slice(3).map((e) => JSON.stringify(e)),
    ].join('\n');

  it('folds from the run the header carries: listening on its port from the first instant, events counted from before', () => {
    const read = readRecordingText(midRunText({ phase: 'listening', boundPort: 8000, eventsBefore: 3 }));
    if (!read.ok) throw new Error(read.error.message);
    const { header, events } = read.recording;
    const first = foldRecording(events, header.startedAt, header);
    expect(first.status).toMatchObject({
      phase: 'listening',
      boundPort: 8000,
      settings: { host: FIXTURE_HEADER.settings!.host },
    });
    expect(first.counters.events).toBe(3);
    const whole = new ReplayCursor(events, header);
    whole.seek(events.length);
    expect(whole.snapshot().status.phase).toBe('idle');
    expect(whole.currentCounters.events).toBe(FIXTURE_EVENTS.length);
    // Back to the start again: the header's state, not an empty idle one.
    whole.seek(0);
    expect(whole.snapshot().status).toMatchObject({ phase: 'listening', boundPort: 8000 });
    expect(whole.currentCounters.events).toBe(3);
  });

  it('without the field (serve --record, older files) a fold starts idle as before', () => {
    const read = readRecordingText(midRunText(undefined));
    if (!read.ok) throw new Error(read.error.message);
    expect(read.recording.header.runAtStart).toBeUndefined();
    expect(foldRecording(read.recording.events, at(15), read.recording.header).status.phase).toBe('idle');
  });

  it('a malformed runAtStart is a clear error naming line 1 and the field', () => {
    const badPort = readRecordingText(midRunText({ phase: 'listening', boundPort: 70000, eventsBefore: 3 }));
    expect(badPort).toMatchObject({ ok: false, error: { line: 1 } });
    if (badPort.ok) return;
    expect(badPort.error.message).toMatch(/^Line 1 has a bad header: runAtStart\.boundPort: /);
    const badPhase = readRecordingText(midRunText({ phase: 'running', boundPort: 8000, eventsBefore: 3 }));
    expect(badPhase.ok ? '' : badPhase.error.message).toMatch(
      /^Line 1 has a bad header: runAtStart\.phase: /,
    );
    const notObject = readRecordingText(midRunText('listening'));
    expect(notObject.ok ? '' : notObject.error.message).toMatch(/^Line 1 has a bad header: runAtStart: /);
  });
});

describe('ReplayCursor', () => {
  it('gives the same state whether it plays forward, jumps, or goes back', () => {
    const cursor = new ReplayCursor(FIXTURE_EVENTS);
    for (let ms = 0; ms <= 80; ms += 7) {
      cursor.seekTime(at(ms));
      expect(cursor.snapshot()).toEqual(foldRecording(FIXTURE_EVENTS, at(ms)));
    }
    cursor.seekTime(at(25));
    expect(cursor.snapshot()).toEqual(foldRecording(FIXTURE_EVENTS, at(25)));
    expect(cursor.position).toBe(eventCountAt(FIXTURE_EVENTS, at(25)));
  });

  it('hands out snapshots that later moves do not change', () => {
    const cursor = new ReplayCursor(FIXTURE_EVENTS);
    cursor.seekTime(at(35));
    const before = cursor.snapshot();
    const copy = structuredClone(before);
    cursor.seekTime(at(80));
    expect(before).toEqual(copy);
  });

  it('eventCountAt counts events at or before a time (ties included)', () => {
    expect(eventCountAt(FIXTURE_EVENTS, at(0))).toBe(0);
    expect(eventCountAt(FIXTURE_EVENTS, at(30))).toBe(7);
    expect(eventCountAt(FIXTURE_EVENTS, at(1000))).toBe(FIXTURE_EVENTS.length);
  });
});
