import { formatCount } from '../format/quantity';
import { useAppStore } from '../store/app-store';
import type { TaskStateFilter } from '../store/ui-slice';

const FILTERS: readonly TaskStateFilter[] = [
  'all',
  'running',
  'failed',
  'cancelled',
  'completed',
  'dangling',
];

interface TaskTableToolbarProps {
  /** Rows the table shows. */
  shown: number;
  /** Tasks kept, counted in the same pass as `shown`. */
  kept: number;
  /** A state filter or search text is on. */
  filtered: boolean;
}

/** State filter chips and the text search above the task table. */
export function TaskTableToolbar({ shown, kept, filtered }: TaskTableToolbarProps) {
  const filter = useAppStore((s) => s.taskStateFilter);
  const setFilter = useAppStore((s) => s.setTaskStateFilter);
  const text = useAppStore((s) => s.taskText);
  const setText = useAppStore((s) => s.setTaskText);
  const dropped = useAppStore((s) => s.droppedTotal);
  return (
    <div className="table-toolbar">
      <fieldset className="chip-group">
        <legend className="visually-hidden">Filter by state</legend>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            aria-pressed={filter === f}
            className={`chip chip-${f}${filter === f ? ' active' : ''}`}
            data-testid={`filter-${f}`}
            onClick={() => setFilter(f)}
          >
            {f}
          </button>
        ))}
      </fieldset>
      <input
        className="search"
        type="search"
        placeholder="Filter by task id or peer…"
        aria-label="Filter tasks by id or peer"
        data-testid="task-search"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {dropped > 0 ? (
        <output
          className="dropped-notice"
          data-testid="dropped-notice"
          title="The host left detail events (data, await points) out of busy batches. Counters stay exact; the view was resynced from a snapshot."
        >
          {formatCount(dropped)} events dropped (detail only)
        </output>
      ) : null}
      <span className="table-count" data-testid="task-count" data-value={shown} data-kept={kept}>
        {filtered
          ? `${formatCount(shown)} of ${formatCount(kept)} tasks match`
          : `${formatCount(kept)} tasks`}
      </span>
    </div>
  );
}
