import type { StoreApi } from 'zustand/vanilla';
import type { ReplayState } from '../replay/replay-store';
import type { AppStore } from '../store/app-store';
import { TaskCountSeries } from './task-count-series';

/** The live session's series, for as long as the page is open. */
export const liveTaskCounts = new TaskCountSeries();

/**
 * Feeds `series` from the store's exact counters each time a batch or a snapshot changes them, while
 * the page follows a live session (a replay draws its recording's own series). Sampling runs whatever
 * tab is shown, so the chart covers the whole session. Returns the function that stops it.
 */
export function sampleLiveTaskCounts(
  app: AppStore,
  replay: StoreApi<ReplayState>,
  series: TaskCountSeries = liveTaskCounts,
  clock: () => number = Date.now,
): () => void {
  return app.subscribe((state, prev) => {
    if (state.counters === prev.counters || replay.getState().mode !== 'live') return;
    series.add(clock(), state.counters.live, state.counters.dangling);
  });
}
