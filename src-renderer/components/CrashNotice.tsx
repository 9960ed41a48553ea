import { describeOutcome } from '../../src-shared/task-outcome';
import { isDangling } from '../../src-shared/task-view';
import { useAppStore } from '../store/app-store';

/**
 * Announces the newest crash above the task table, its error in words and a link that selects its
 * task. The region is always there (an `output`, a polite live region, empty until a task fails), so a screen reader
 * hears each new crash and the table does not jump when the first one appears.
 */
export function CrashNotice({ onShow }: { onShow: (taskId: number) => void }) {
  const crashId = useAppStore((s) => (s.newestCrashId === s.dismissedCrashId ? null : s.newestCrashId));
  const task = useAppStore((s) => (crashId === null ? undefined : s.tasks.get(crashId)));
  const dismiss = useAppStore((s) => s.dismissCrash);
  return (
    <output className="crash-notice-region">
      {task ? (
        <span className="crash-notice" data-testid="crash-notice" data-task-id={task.id}>
          <span className="alert-mark alert-mark-failed" aria-hidden="true">
            !
          </span>
          <span className="crash-notice-text">
            Task #{task.id} failed: <strong>{describeOutcome(task)}</strong>
            {isDangling(task) ? ' — its connection is left dangling' : ''}
          </span>
          <button
            type="button"
            className="link-button"
            data-testid="crash-notice-show"
            onClick={() => onShow(task.id)}
          >
            Show task #{task.id}
          </button>
          <button
            type="button"
            className="crash-notice-close"
            aria-label="Dismiss this notice"
            data-testid="crash-notice-dismiss"
            onClick={() => dismiss(task.id)}
          >
            ×
          </button>
        </span>
      ) : null}
    </output>
  );
}
