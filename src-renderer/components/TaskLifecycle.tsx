import type { LifecycleEntry } from '../../src-shared/task-view';
import { formatClock, formatDuration } from '../format/time';

/** State changes with their wall-clock times and their offsets from the task's start. */
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
          data-testid="lifecycle-entry"
          data-kind={entry.kind}
        >
          <span className="lifecycle-when mono">
            {formatClock(entry.at)}
            <span className="lifecycle-offset">+{formatDuration(entry.at - startedAt)}</span>
          </span>
          <span className="lifecycle-what">
            <span className="lifecycle-kind">{entry.kind}</span> {entry.detail}
          </span>
        </li>
      ))}
    </ol>
  );
}
