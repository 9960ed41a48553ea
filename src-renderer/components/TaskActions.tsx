import type { TaskView } from '../../src-shared/task-view';
import { useCommand } from '../hooks/use-command';
import { REPLAY_REASON, useReplaying } from '../replay/replay-mode';
import { useAppStore } from '../store/app-store';

const PYTHON_CLOSE_REASON =
  "Closing a connection works on the built-in server's tasks, not a Python process's";
const EXITED_REASON = 'The Python process has exited: its tasks can no longer be cancelled';

/** Cancel the task at its await point, or close its connection from the server side. */
export function TaskActions({ task }: { task: TaskView }) {
  const { outcome, run } = useCommand();
  const replaying = useReplaying();
  const processGone = useAppStore((s) => s.status.attached?.connected === false);
  const exited = task.pythonTask !== null && processGone;
  return (
    <div className="task-actions">
      <button
        type="button"
        className="button button-secondary"
        data-testid="cancel-task"
        disabled={task.state !== 'running' || outcome.busy || replaying || exited}
        title={
          replaying
            ? REPLAY_REASON
            : exited
              ? EXITED_REASON
              : 'Throws a cancellation into the task at its current await point'
        }
        onClick={() =>
          void run(
            'cancelTask',
            { taskId: task.id },
            () => `Cancellation sent: task ${task.id} is cancelled at its await point.`,
          )
        }
      >
        Cancel task
      </button>
      <button
        type="button"
        className="button button-secondary"
        data-testid="close-connection"
        disabled={!task.socketOpen || outcome.busy || replaying || task.pythonTask !== null}
        title={
          replaying
            ? REPLAY_REASON
            : task.pythonTask
              ? PYTHON_CLOSE_REASON
              : 'Closes the socket from the server side; a running task then reads EOF'
        }
        onClick={() =>
          void run('closeConnection', { taskId: task.id }, () => `Connection of task ${task.id} closed.`)
        }
      >
        Close connection
      </button>
      {outcome.message ? (
        <span
          className={outcome.failed ? 'inline-error' : 'inline-ok'}
          role={outcome.failed ? 'alert' : 'status'}
          data-testid="detail-action-result"
          data-failed={outcome.failed ? 'true' : 'false'}
        >
          {outcome.message}
        </span>
      ) : null}
    </div>
  );
}
