import { isDangling, type TaskView } from '../../src-shared/task-view';

/** The task's state in its colour; a failed task that still holds its connection reads "dangling". */
export function StateBadge({ task }: { task: TaskView }) {
  const dangling = isDangling(task);
  return (
    <span
      className={`badge badge-${task.state}${dangling ? ' badge-dangling' : ''}`}
      data-testid="state-badge"
    >
      {dangling ? 'failed · dangling' : task.state}
    </span>
  );
}
