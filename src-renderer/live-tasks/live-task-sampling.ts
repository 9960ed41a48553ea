import type { StoreApi } from 'zustand/vanilla';
import type { ReplayState } from '../replay/replay-store';
import type { AppStore } from '../store/app-store';
import { TaskCountSeries } from './task-count-series';

/** The live session's series, for as long as the page is open. */
export const liveTaskCounts = new TaskCountSeries();

/**
 * Feeds `series` from the store's exact counters each time a batch or a snapshot changes them, while
 * the page follows a live session (a replay draws its recording's own series). Sampling runs whatever
 * tab is shown, so the chart covers the whole session. A batch's counts are the host's after its newest
 * event, so they are placed at that event's own time (the clock a recording of the session keeps), not
 * when the page got them: a busy page gets batches a second late, and the live chart then put counts a
 * second later than a replay of the same session does. Counts without a new event (a snapshot) are
 * placed at `clock()`. Returns the function that stops it.
 */
export function sampleLiveTaskCounts(
  app: AppStore,
  replay: StoreApi<ReplayState>,
  series: TaskCountSeries = liveTaskCounts,
  clock: () => number = Date.now,
): () => void {
  return app.subscribe((state, prev) => {
    if (state.counters === prev.counters || replay.getState().mode !== 'live') return;
    const newest = state.log !== prev.log ? state.log.at(-1) : undefined;
    series.add(newest?.at ?? clock(), state.counters.live, state.counters.dangling);
  });
}
