import type { TaskView } from './task-view';

/**
 * How a task ended, in the words every view uses (the task table, the crash notice, the CLI, a
 * replay): the error for a failure ("Unexpected network error", with the error's name unless it is a
 * plain `Error`), where and why a cancellation happened ("cancelled at recv (stop)"), "client closed"
 * for a task that returned normally (`returned` for an attached Python process's). Null while the task runs.
 */
export function describeOutcome(
  task: Pick<TaskView, 'state' | 'error' | 'awaitPoint' | 'cancelReason'> &
    Partial<Pick<TaskView, 'pythonTask'>>,
): string | null {
  switch (task.state) {
    case 'running':
      return null;
    case 'completed':
      // A Python task need not serve a connection: it returned, which is all the probe knows.
      return task.pythonTask ? 'returned' : 'client closed';
    case 'failed': {
      if (!task.error) return 'failed';
      const { name, message } = task.error;
      if (name === 'Error' || name === '') return message || name || 'failed';
      return message ? `${name}: ${message}` : name;
    }
    case 'cancelled': {
      const where = task.awaitPoint ? ` at ${task.awaitPoint}` : '';
      const why = task.cancelReason ? ` (${task.cancelReason})` : '';
      return `cancelled${where}${why}`;
    }
  }
}
