import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EchoscopeApi, LinkState, OpenedRecording } from '../../src-shared/api';
import type { Snapshot } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { FIXTURE_EVENTS, fixtureText } from '../../src-shared/testing/recording-fixture';
import { appStore } from '../store/app-store';
import { batchOf, EventFactory, snapshotOf } from '../store/event-fixtures';
import { backToLive, openRecordingText, startLiveOrReplay } from './replay-mode';
import { replayStore } from './replay-store';

/** A live host stand-in: it answers snapshots with what the test says the engine holds now. */
class FakeHost {
  batchListeners = new Set<(b: EventBatch) => void>();
  openListeners = new Set<(o: OpenedRecording) => void>();
  snapshot: Snapshot = snapshotOf(0);
  snapshotsAsked = 0;

  readonly api = {
    host: 'web',
    invoke: async (name: string) => {
      if (name !== 'snapshot') return { ok: false, error: { code: 'unexpected', message: name } };
      this.snapshotsAsked++;
      return { ok: true, value: this.snapshot };
    },
    onBatch: (l: (b: EventBatch) => void) => {
      this.batchListeners.add(l);
      return () => this.batchListeners.delete(l);
    },
    onLink: (l: (s: LinkState) => void) => {
      l('open');
      return () => undefined;
    },
    onOpenRecording: (l: (o: OpenedRecording) => void) => {
      this.openListeners.add(l);
      return () => this.openListeners.delete(l);
    },
  } as unknown as EchoscopeApi;

  emit(batch: EventBatch): void {
    for (const l of this.batchListeners) l(batch);
  }

  open(opened: OpenedRecording): void {
    for (const l of this.openListeners) l(opened);
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
};

const host = new FakeHost();
const live = new EventFactory();

beforeAll(async () => {
  // A browser host that serves no recording: 204 at /recording.
  vi.stubGlobal('window', { location: { search: '?token=t' } });
  vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }));
  startLiveOrReplay(host.api);
  await settle();
});
afterAll(() => vi.unstubAllGlobals());

describe('replay reachable mid-session (openRecordingText, backToLive)', () => {
  it('starts live: the store follows the session', async () => {
    expect(replayStore.getState().mode).toBe('live');
    host.emit(
      batchOf([live.listening(), live.accepted(11)], {
        counters: { ...snapshotOf(0).counters, accepted: 1, live: 1 },
      }),
    );
    expect(appStore.getState().counters.accepted).toBe(1);
    expect(appStore.getState().tasks.has(11)).toBe(true);
  });

  it('a file that cannot be read names its line and changes nothing else', () => {
    expect(openRecordingText('notes.txt', 'hello\n')).toBe(false);
    expect(replayStore.getState()).toMatchObject({
      mode: 'live',
      openError: {
        file: 'notes.txt',
        message: expect.stringMatching(/^Line 1 is not an Echoscope recording/),
      },
    });
    // Still live: batches are applied.
    host.emit(
      batchOf([live.accepted(12)], { counters: { ...snapshotOf(0).counters, accepted: 2, live: 2 } }),
    );
    expect(appStore.getState().counters.accepted).toBe(2);
  });

  it('a recording opened over the live session drives the views; live batches no longer do', () => {
    expect(openRecordingText('run.ndjson', fixtureText())).toBe(true);
    expect(replayStore.getState()).toMatchObject({
      mode: 'replay',
      source: 'page',
      file: 'run.ndjson',
      openError: null,
    });
    const whole = foldRecording(FIXTURE_EVENTS).counters;
    expect(appStore.getState().counters).toEqual(whole);
    host.emit(
      batchOf([live.accepted(13)], { counters: { ...snapshotOf(0).counters, accepted: 3, live: 3 } }),
    );
    expect(appStore.getState().counters).toEqual(whole);
    expect(appStore.getState().tasks.has(13)).toBe(false);
  });

  it('back to live rebuilds the views from a fresh snapshot and follows the session again', async () => {
    const asked = host.snapshotsAsked;
    host.snapshot = snapshotOf(live.seq, {}, { accepted: 3, live: 3, events: live.seq });
    backToLive();
    await settle();
    expect(host.snapshotsAsked).toBe(asked + 1);
    expect(replayStore.getState()).toMatchObject({ mode: 'live', recording: null });
    expect(appStore.getState().counters).toMatchObject({ accepted: 3, live: 3 });
    expect(appStore.getState().log).toEqual([]);
    host.emit(
      batchOf([live.accepted(14)], { counters: { ...snapshotOf(0).counters, accepted: 4, live: 4 } }),
    );
    expect(appStore.getState().counters.accepted).toBe(4);
    expect(appStore.getState().tasks.has(14)).toBe(true);
  });

  it("the host's File → Open goes the same way: a replay, or the error it could not read past", () => {
    host.open({ file: 'big.ndjson', text: null, error: 'big.ndjson is too large' });
    expect(replayStore.getState()).toMatchObject({
      mode: 'live',
      openError: { file: 'big.ndjson', message: 'big.ndjson is too large' },
    });
    host.open({ file: 'elsewhere.ndjson', text: fixtureText(), error: null });
    expect(replayStore.getState()).toMatchObject({
      mode: 'replay',
      source: 'page',
      file: 'elsewhere.ndjson',
    });
    backToLive();
  });
});
