import { memo } from 'react';
import { isDangling, type TaskView } from '../../src-shared/task-view';
import { formatBytes } from '../format/quantity';
import { formatAgo, formatClock, formatDuration, formatRunningFor } from '../format/time';
import { StateBadge } from './StateBadge';

interface TaskRowProps {
  task: TaskView;
  selected: boolean;
  /** Only running rows need the clock; ended rows get 0 so they do not re-render each tick. */
  now: number;
  top: number;
}

/** One row of the task table, absolutely positioned by the virtualizer (clicks are handled by the table). */
export const TaskRow = memo(function TaskRow({ task, selected, now, top }: TaskRowProps) {
  return (
    <div
      className={`task-row${selected ? ' selected' : ''}${isDangling(task) ? ' row-dangling' : ''}`}
      data-testid="task-row"
      data-task-id={task.id}
      data-state={task.state}
      data-dangling={isDangling(task) ? 'true' : 'false'}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className="cell-id mono">#{task.id}</span>
      <span>
        <StateBadge task={task} />
      </span>
      <span className="cell-await mono">
        {task.state === 'running'
          ? task.awaitPoint
            ? `await ${task.awaitPoint}`
            : '—'
          : task.awaitPoint
            ? `at ${task.awaitPoint}`
            : ''}
      </span>
      <span className="cell-peer mono">
        {task.peerAddress}:{task.peerPort}
      </span>
      <span className="cell-num mono">{formatBytes(task.bytesIn)}</span>
      <span className="cell-num mono">{formatBytes(task.bytesOut)}</span>
      <span className="cell-time mono">{formatClock(task.startedAt)}</span>
      <span className="cell-num mono">
        {task.endedAt === null
          ? formatRunningFor(now - task.startedAt)
          : formatDuration(task.endedAt - task.startedAt)}
      </span>
      <span className="cell-time mono">
        {task.state === 'running' ? formatAgo(task.lastActivityAt, now) : formatClock(task.lastActivityAt)}
      </span>
    </div>
  );
});
