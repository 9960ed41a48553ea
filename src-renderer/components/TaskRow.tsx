import { memo } from 'react';
import { isDangling, type TaskView } from '../../src-shared/task-view';
import { formatBytes } from '../format/quantity';
import { formatAgo, formatClock, formatDuration } from '../format/time';
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
  const end = task.endedAt ?? now;
  return (
    <tr
      aria-selected={selected}
      className={`task-row${selected ? ' selected' : ''}${isDangling(task) ? ' row-dangling' : ''}`}
      data-testid="task-row"
      data-task-id={task.id}
      data-state={task.state}
      data-dangling={isDangling(task) ? 'true' : 'false'}
      style={{ transform: `translateY(${top}px)` }}
    >
      <td className="cell-id mono">#{task.id}</td>
      <td>
        <StateBadge task={task} />
      </td>
      <td className="cell-await mono">
        {task.state === 'running'
          ? task.awaitPoint
            ? `await ${task.awaitPoint}`
            : '—'
          : task.awaitPoint
            ? `at ${task.awaitPoint}`
            : ''}
      </td>
      <td className="cell-peer mono">
        {task.peerAddress}:{task.peerPort}
      </td>
      <td className="cell-num mono">{formatBytes(task.bytesIn)}</td>
      <td className="cell-num mono">{formatBytes(task.bytesOut)}</td>
      <td className="cell-time mono">{formatClock(task.startedAt)}</td>
      <td className="cell-num mono">{formatDuration(end - task.startedAt)}</td>
      <td className="cell-time mono">
        {task.state === 'running' ? formatAgo(task.lastActivityAt, now) : formatClock(task.lastActivityAt)}
      </td>
    </tr>
  );
});
