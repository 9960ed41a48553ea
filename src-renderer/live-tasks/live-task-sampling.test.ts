import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { zeroCounters } from '../../src-shared/counters';
import { initialReplayState, type ReplayState } from '../replay/replay-store';
import { createAppStore } from '../store/app-store';
import { applyBatch } from '../store/batch-apply';
import { batchOf, EventFactory } from '../store/event-fixtures';
import { sampleLiveTaskCounts } from './live-task-sampling';
import { TaskCountSeries } from './task-count-series';

describe('sampleLiveTaskCounts', () => {
  it('samples the counters as they change in a live session, and nothing in a replay', () => {
    const app = createAppStore();
    const replay = createStore<ReplayState>()(() => ({ ...initialReplayState(), mode: 'live' }));
    const series = new TaskCountSeries();
    let now = 10_000;
    const stop = sampleLiveTaskCounts(app, replay, series, () => now);
    const counters = (live: number, dangling: number) => ({ ...zeroCounters(), live, dangling });

    app.setState({ counters: counters(0, 0) });
    now += 1_000;
    app.setState({ counters: counters(3, 0) });
    now += 1_000;
    app.setState({ selectedTaskId: 2 }); // not a counters change
    app.setState({ counters: counters(2, 1) });
    expect(series.columns()).toEqual({
      at: [10_000, 11_000, 12_000],
      running: [0, 3, 2],
      dangling: [0, 0, 1],
    });

    replay.setState({ mode: 'replay' });
    now += 1_000;
    app.setState({ counters: counters(9, 9) });
    expect(series.size).toBe(3);

    stop();
    replay.setState({ mode: 'live' });
    app.setState({ counters: counters(5, 0) });
    expect(series.size).toBe(3);
  });

  it("places a batch's counts at its newest event's time (as a replay does), not when the page got it", () => {
    const app = createAppStore();
    const replay = createStore<ReplayState>()(() => ({ ...initialReplayState(), mode: 'live' }));
    const series = new TaskCountSeries();
    // The page gets the batches a second after the host stamped their events.
    const f = new EventFactory();
    const first = [f.listening(), f.accepted(1), f.accepted(2)];
    const later = Array.from({ length: 300 }, () => f.received(1, 'x'));
    const crash = [...later, f.failed(2, false)];
    const pageNow = () => crash.at(-1)!.at + 1_000;
    sampleLiveTaskCounts(app, replay, series, pageNow);
    const counts = (live: number) => ({ ...zeroCounters(), live, events: f.seq });

    app.setState(applyBatch(app.getState(), batchOf(first, { counters: counts(2) })));
    app.setState(applyBatch(app.getState(), batchOf(crash, { counters: counts(1) })));
    expect(series.columns()).toEqual({
      at: [first.at(-1)!.at, crash.at(-1)!.at],
      running: [2, 1],
      dangling: [0, 0],
    });
  });
});
