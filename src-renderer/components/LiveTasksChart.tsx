import { useMemo, useState } from 'react';
import { formatClock, formatDuration } from '../format/time';
import { useNow } from '../hooks/use-now';
import { useThrottledStoreValue } from '../hooks/use-throttled-store-value';
import { liveTaskCounts } from '../live-tasks/live-task-sampling';
import { recordingTaskCounts } from '../live-tasks/recording-task-counts';
import type { TaskCountColumns } from '../live-tasks/task-count-series';
import { useReplay } from '../replay/replay-mode';
import type { AppState } from '../store/app-store';
import { TaskCountPlot } from './TaskCountPlot';

const selectRunning = (s: AppState) => s.counters.live;
const selectDangling = (s: AppState) => s.counters.dangling;

/** The sampled series up to `now`, ending in the store's exact counts at `now`. */
function withLatest(
  columns: TaskCountColumns,
  now: number,
  running: number,
  dangling: number,
): TaskCountColumns {
  const last = columns.at.length - 1;
  if (last >= 0 && columns.at[last]! >= now) {
    columns.running[last] = running;
    columns.dangling[last] = dangling;
  } else {
    columns.at.push(now);
    columns.running.push(running);
    columns.dangling.push(dangling);
  }
  return columns;
}

function describe(running: number, dangling: number, at: number): string {
  return `running ${running}, failed-dangling ${dangling} at ${formatClock(at).slice(0, 8)}`;
}

/** The counts at `at` as the chart draws them: the last point at or before it (steps). */
function describeAt(columns: TaskCountColumns, at: number): string {
  let i = columns.at.length - 1;
  while (i > 0 && columns.at[i]! > at) i--;
  if (i < 0 || columns.at[i]! > at) return `nothing sampled before ${formatClock(at).slice(0, 8)}`;
  return describe(columns.running[i]!, columns.dangling[i]!, at);
}

/**
 * Running and failed-dangling tasks over the session, above the timeline's bars. Live, from the page's
 * sampled series; in a replay, from the recording's, up to the scrubbed moment (every view shows that
 * instant) on an axis spanning the whole recording. Its newest point is always the counters shown now.
 */
export function LiveTasksChart() {
  const recording = useReplay((s) => s.recording);
  const duration = useReplay((s) => s.duration);
  const replaying = recording !== null;
  // Live, a few redraws a second; a replay moves only when scrubbed or played, and shows each moment.
  const now = useNow(250);
  const running = useThrottledStoreValue(selectRunning, replaying ? 0 : 250);
  const dangling = useThrottledStoreValue(selectDangling, replaying ? 0 : 250);
  const replaySeries = useMemo(() => {
    if (!recording) return null;
    const start = recording.header.startedAt;
    return recordingTaskCounts(recording.events, start, start + duration);
  }, [recording, duration]);
  const [hovered, setHovered] = useState<number | null>(null);

  const columns = useMemo(
    () => withLatest((replaySeries ?? liveTaskCounts).columns(now), now, running, dangling),
    [replaySeries, now, running, dangling],
  );
  const from = recording ? recording.header.startedAt : (columns.at[0] ?? now);
  const to = recording ? recording.header.startedAt + duration : now;
  const latest = describe(running, dangling, now);
  const shown = hovered === null ? latest : describeAt(columns, hovered);

  return (
    <figure
      className="live-tasks-chart"
      data-testid="live-tasks-chart"
      data-running={running}
      data-dangling={dangling}
      data-at={now}
      aria-label={`Live tasks over time: ${latest}`}
    >
      <figcaption className="live-tasks-caption">
        <span className="live-tasks-title">Live tasks</span>
        <span className="legend">
          <i className="swatch swatch-running" /> running
          <i className="swatch swatch-dangling" /> failed, dangling
        </span>
        <span className="mono live-tasks-value" data-testid="live-tasks-value">
          {shown}
        </span>
        <span className="muted">
          {replaying ? 'recording' : 'session'} {formatDuration(to - from)}
        </span>
      </figcaption>
      <div role="img" aria-label={latest} title={latest}>
        <TaskCountPlot columns={columns} from={from} to={to} onHover={setHovered} />
      </div>
    </figure>
  );
}
