import type { EngineEvent } from '../../src-shared/events';
import { ReplayCursor } from '../../src-shared/recording/replay-state';
import { SAMPLE_STEP_MS, TaskCountSeries } from './task-count-series';

/** Most steps a recording is walked in; a longer recording is walked in longer steps. */
const MAX_STEPS = 100_000;

/**
 * A recording's live-tasks series, from `from` to `to` (ms on the events' clock): the counts at every
 * step, read from the same fold the replay shows (the shared ReplayCursor), so the chart at a moment
 * and the counters scrubbed to it agree.
 */
export function recordingTaskCounts(
  events: readonly EngineEvent[],
  from: number,
  to: number,
): TaskCountSeries {
  const series = new TaskCountSeries();
  const cursor = new ReplayCursor(events);
  const steps = Math.ceil((to - from) / SAMPLE_STEP_MS);
  const step = SAMPLE_STEP_MS * Math.max(1, Math.ceil(steps / MAX_STEPS));
  for (let t = from; ; t += step) {
    const at = Math.min(t, to);
    cursor.seekTime(at);
    series.add(at, cursor.currentCounters.live, cursor.currentCounters.dangling);
    if (at >= to) return series;
  }
}
