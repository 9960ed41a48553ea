import { useMemo } from 'react';
import { formatClock, formatDuration } from '../format/time';
import { useNow } from '../hooks/use-now';
import { useThrottledStoreValue } from '../hooks/use-throttled-store-value';
import { appStore, useAppStore } from '../store/app-store';
import { selectTasks } from '../store/tasks-slice';
import { LiveTasksChart } from './LiveTasksChart';
import { layoutTimeline } from './timeline-bars';

const LIMIT = 200;

/**
 * Live tasks over the session, then the lifetimes of the most recent tasks, coloured by outcome; a
 * striped tail marks a dangling connection.
 */
export function Timeline() {
  // A few layouts a second are plenty for a timeline.
  const tasks = useThrottledStoreValue(selectTasks, 250);
  const selectedId = useAppStore((s) => s.selectedTaskId);
  const now = useNow(500);
  const layout = useMemo(() => layoutTimeline(tasks, now, LIMIT), [tasks, now]);
  const select = appStore.getState().selectTask;
  return (
    <div className="timeline" data-testid="timeline">
      <div className="panel-toolbar timeline-legend">
        <span className="muted">
          Last {Math.min(LIMIT, tasks.size)} tasks, newest on top — {formatClock(layout.from)} to{' '}
          {formatClock(layout.to)} ({formatDuration(layout.to - layout.from)})
        </span>
        <span className="legend">
          <i className="swatch swatch-running" /> running
          <i className="swatch swatch-completed" /> completed
          <i className="swatch swatch-failed" /> failed
          <i className="swatch swatch-cancelled" /> cancelled
          <i className="swatch swatch-dangling" /> connection dangling
        </span>
      </div>
      <LiveTasksChart />
      {layout.bars.length === 0 ? (
        <p className="empty">No tasks yet.</p>
      ) : (
        <ol className="timeline-rows">
          {layout.bars.map((bar) => (
            <li key={bar.id} className={`timeline-row${bar.id === selectedId ? ' selected' : ''}`}>
              <button
                type="button"
                className="timeline-hit"
                data-testid="timeline-bar"
                data-task-id={bar.id}
                data-state={bar.state}
                title={`Task #${bar.id}: ${bar.state}${bar.dangling ? ', connection dangling' : ''}`}
                onClick={() => select(bar.id)}
              >
                <span className="timeline-label mono">#{bar.id}</span>
                <span className="timeline-track">
                  <span
                    className={`timeline-bar bar-${bar.state}`}
                    style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                  />
                  {bar.tailWidth > 0 ? (
                    <span
                      className={`timeline-tail${bar.dangling ? ' tail-open' : ''}`}
                      style={{ left: `${bar.left + bar.width}%`, width: `${bar.tailWidth}%` }}
                    />
                  ) : null}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
