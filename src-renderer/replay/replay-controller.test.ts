import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { problemsHeader } from '../../src-shared/recording/recording-format';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { FIXTURE_EVENTS, FIXTURE_START, fixtureText } from '../../src-shared/testing/recording-fixture';
import { createAppStore } from '../store/app-store';
import { fetchReplay, parseLeftOut, ReplayController, recordingDuration } from './replay-controller';
import { initialReplayState, type ReplayState } from './replay-store';

function setup() {
  const app = createAppStore();
  const replay = createStore<ReplayState>()(() => initialReplayState());
  return { app, replay, controller: new ReplayController(app, replay) };
}

describe('ReplayController', () => {
  it('loads a recording at its end: the views hold the fold of every event', () => {
    const { app, replay, controller } = setup();
    controller.load('run.ndjson', fixtureText());
    const state = replay.getState();
    expect(state.mode).toBe('replay');
    expect(state.file).toBe('run.ndjson');
    expect(state.time).toBe(state.duration);
    const whole = foldRecording(FIXTURE_EVENTS);
    expect(app.getState().counters).toEqual(whole.counters);
    expect(app.getState().tasks.size).toBe(whole.tasks.length);
    expect(app.getState().log.length).toBe(FIXTURE_EVENTS.length);
    expect(app.getState().synced).toBe(true);
  });

  it('a seek shows the state at that moment, back and forth', () => {
    const { app, controller } = setup();
    controller.load('run.ndjson', fixtureText());
    controller.seek(25);
    expect(app.getState().counters).toEqual(foldRecording(FIXTURE_EVENTS, FIXTURE_START + 25).counters);
    expect(app.getState().counters.live).toBe(2);
    expect(app.getState().log.at(-1)!.at).toBeLessThanOrEqual(FIXTURE_START + 25);
    controller.seek(0);
    expect(app.getState().counters.accepted).toBe(0);
    expect(app.getState().tasks.size).toBe(0);
  });

  it('a file that is not a recording shows why, and nothing else', () => {
    const { replay, controller } = setup();
    controller.load('x.txt', 'hello\n');
    expect(replay.getState().recording).toBeNull();
    expect(replay.getState().error?.message).toMatch(/^Line 1 /);
  });

  it("shows the host's left-out lines by their line numbers", () => {
    const { replay, controller } = setup();
    const header = problemsHeader({
      problems: [{ line: 4, message: 'Line 4 is not valid JSON (left out)' }],
      problemCount: 3,
    });
    controller.load('run.ndjson', fixtureText(), parseLeftOut(header));
    expect(replay.getState().recording!.problemCount).toBe(3);
    expect(replay.getState().recording!.problems[0]!.message).toBe('Line 4 is not valid JSON (left out)');
    expect(parseLeftOut('%7Bnot json')).toEqual({ count: 0, problems: [] });
  });

  it('the duration runs to the last event, or to the ending notice when later', () => {
    const { replay, controller } = setup();
    controller.load('run.ndjson', fixtureText());
    const recording = replay.getState().recording!;
    const end = Math.max(FIXTURE_EVENTS.at(-1)!.at, recording.ending?.at ?? 0);
    expect(recordingDuration(recording)).toBe(end - FIXTURE_START);
  });

  it("the scrubber's last whole ms shows the last event of a recording cut off at a fraction of a ms", () => {
    const { app, replay, controller } = setup();
    // Events are stamped in fractions of a ms; a recording cut off by a crash has no ending notice.
    const events = FIXTURE_EVENTS.map((e) => ({ ...e, at: e.at + 0.6 }));
    controller.load('cut.ndjson', fixtureText(events, ''));
    const { duration } = replay.getState();
    // The range input (step 1) reaches Math.floor(max) at most: End and a drag to the right end.
    controller.seek(Math.floor(duration));
    expect(app.getState().counters).toEqual(foldRecording(events).counters);
    expect(app.getState().status.phase).toBe('idle');
  });
});

describe('fetchReplay', () => {
  const location = { search: '?token=abc' } as Location;
  function answering(status: number, body = '', headers: Record<string, string> = {}) {
    const calls: string[] = [];
    const fetchFn = (async (url: string) => {
      calls.push(url);
      return new Response(status === 204 ? null : body, { status, headers });
    }) as unknown as typeof fetch;
    return { calls, fetchFn };
  }

  it('asks with the page token; 204 (a live host) and 404 (an older one) mean live', async () => {
    const live = answering(204);
    expect(await fetchReplay(location, live.fetchFn)).toEqual({ kind: 'live' });
    expect(live.calls).toEqual(['/recording?token=abc']);
    expect(await fetchReplay(location, answering(404, 'Not found').fetchFn)).toEqual({ kind: 'live' });
  });

  it('200 is a replay: the text, the file named by the host and its left-out lines', async () => {
    const { fetchFn } = answering(200, 'text', {
      'X-Echoscope-Recording': encodeURIComponent('/tmp/a b.ndjson'),
      'X-Echoscope-Recording-Problems': problemsHeader({
        problems: [{ line: 2, message: 'Line 2 is not valid JSON (left out)' }],
        problemCount: 1,
      }),
    });
    expect(await fetchReplay(location, fetchFn)).toEqual({
      kind: 'replay',
      file: '/tmp/a b.ndjson',
      text: 'text',
      leftOut: { count: 1, problems: [{ line: 2, message: 'Line 2 is not valid JSON (left out)' }] },
    });
  });

  it('a failed request means live', async () => {
    const fetchFn = (async () => {
      throw new TypeError('offline');
    }) as unknown as typeof fetch;
    expect(await fetchReplay(location, fetchFn)).toEqual({ kind: 'live' });
  });
});
