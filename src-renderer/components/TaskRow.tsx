import { memo } from 'react';
import { isDangling, type TaskView } from '../../src-shared/task-view';
import { columnClass, TASK_COLUMNS } from './task-columns';

interface TaskRowProps {
  task: TaskView;
  selected: boolean;
  /** Only running rows need the clock; ended rows get 0 so they do not re-render each tick. */
  now: number;
  top: number;
}

/** One row of the task table, absolutely positioned by the virtualizer (clicks are handled by the table). */
export const TaskRow = memo(function TaskRow({ task, selected, now, top }: TaskRowProps) {
  const dangling = isDangling(task);
  return (
    <div
      className={`task-row${selected ? ' selected' : ''}${dangling ? ' row-dangling' : ''}`}
      data-testid="task-row"
      data-task-id={task.id}
      data-state={task.state}
      data-dangling={dangling ? 'true' : 'false'}
      style={{ transform: `translateY(${top}px)` }}
    >
      {TASK_COLUMNS.map((c) => (
        <span key={c.id} className={columnClass(c)} data-testid={c.testId}>
          {c.cell(task, now)}
        </span>
      ))}
    </div>
  );
});
