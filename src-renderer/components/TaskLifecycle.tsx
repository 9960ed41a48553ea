import type { LifecycleEntry } from '../../src-shared/task-view';
import { formatClock, formatDuration } from '../format/time';

/** State changes with their times, and the time since the task started. */
export function TaskLifecycle({
  entries,
  startedAt,
}: {
  entries: readonly LifecycleEntry[];
  startedAt: number;
}) {
  return (
    <ol className="lifecycle" data-testid="detail-lifecycle">
      {entries.map((entry, i) => (
        <li
          key={`${entry.at}-${i}`}
          className={`lifecycle-entry lifecycle-${entry.kind}`}
          data-kind={entry.kind}
        >
          <span className="lifecycle-time mono">{formatClock(entry.at)}</span>
          <span className="lifecycle-offset mono">+{formatDuration(entry.at - startedAt)}</span>
          <span className="lifecycle-kind">{entry.kind}</span>
          <span className="lifecycle-detail">{entry.detail}</span>
        </li>
      ))}
    </ol>
  );
}
