import { type KeyboardEvent, type MouseEvent, type ReactElement, useMemo, useRef } from 'react';
import { LIVE_REFRESH_MS } from '../hooks/store-refresh-clock';
import { useFixedRowWindow } from '../hooks/use-fixed-row-window';
import { useNow } from '../hooks/use-now';
import { useThrottledStoreValue } from '../hooks/use-throttled-store-value';
import { useReplaying } from '../replay/replay-mode';
import { useAppStore } from '../store/app-store';
import { queryTasks } from '../store/task-query';
import { selectTasks } from '../store/tasks-slice';
import type { SortDirection } from '../store/ui-slice';
import { CrashNotice } from './CrashNotice';
import { TaskRow } from './TaskRow';
import { TaskTableToolbar } from './TaskTableToolbar';
import { columnClass, orderOf, TASK_COLUMNS, TASK_GRID_STYLE } from './task-columns';

const ROW_HEIGHT = 30;
const OVERSCAN = 8;

function sortLabel(key: string, sort: { key: string; dir: SortDirection }): string {
  if (key !== sort.key) return '';
  return sort.dir === 'asc' ? ' (sorted ascending)' : ' (sorted descending)';
}

/**
 * Every kept task, filtered and sorted, windowed (fixed row height) so 18,000 rows scroll like ten. Rows are divs laid
 * out as grids: measured in Chromium, table elements (tr/td) in grid layout made each scroll frame's
 * style recalculation about 30 times slower.
 */
export function TaskTable() {
  const stateFilter = useAppStore((s) => s.taskStateFilter);
  const text = useAppStore((s) => s.taskText);
  const sort = useAppStore((s) => s.taskSort);
  const sortBy = useAppStore((s) => s.sortTasksBy);
  const selectedId = useAppStore((s) => s.selectedTaskId);
  const select = useAppStore((s) => s.selectTask);
  const synced = useAppStore((s) => s.synced);
  const replaying = useReplaying();
  const listening = useAppStore((s) => s.status.phase === 'listening');
  const attachedLive = useAppStore((s) => s.status.attached?.connected === true);
  // Rebuilding (filter + sort) 10,000 rows per batch is wasted work: a few times a second is enough, on
  // the counters' clock (one layout and paint for both), and as a transition: rendered once, and
  // interrupted by scrolling and typing. The table does not render per batch at all; visible rows read
  // their newest view when it does (see KeptTasks).
  const tasks = useThrottledStoreValue(selectTasks, LIVE_REFRESH_MS, true);
  // Shown and kept come from the same pass, so the count never mixes two moments.
  const { rows, kept } = useMemo(
    () => ({ rows: queryTasks(tasks, { state: stateFilter, text, sort: orderOf(sort) }), kept: tasks.size }),
    [tasks, stateFilter, text, sort],
  );
  const filtered = stateFilter !== 'all' || text.trim() !== '';
  const now = useNow(1000);
  const scroller = useRef<HTMLDivElement>(null);
  // The sticky header is one row high and sits above the first row.
  const { start, end, totalHeight, scrollToIndex } = useFixedRowWindow(
    scroller,
    rows.length,
    ROW_HEIGHT,
    OVERSCAN,
    ROW_HEIGHT,
  );
  // Rows are keyed by slot, not by task: a refresh that brings other tasks into view (under churn the
  // newest tasks replace every row in view several times a second) rewrites the text of the rows already
  // there instead of removing and building them all again, and a scroll by a row reuses the one that left.
  // Consecutive indexes modulo the window's size are distinct, so the keys are too.
  const slots = Math.max(1, end - start);
  const visible: ReactElement[] = [];
  for (let index = start; index < end; index++) {
    const row = rows[index]!;
    const task = tasks.get(row.id) ?? row;
    visible.push(
      <TaskRow
        key={index % slots}
        task={task}
        selected={task.id === selectedId}
        now={task.state === 'running' ? now : 0}
        top={index * ROW_HEIGHT}
      />,
    );
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = rows.findIndex((t) => t.id === selectedId);
    const next = Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
    const task = rows[next];
    if (!task) return;
    select(task.id);
    scrollToIndex(next);
  }

  function showTask(id: number) {
    select(id);
    const index = rows.findIndex((t) => t.id === id);
    if (index >= 0) scrollToIndex(index);
  }

  // One handler for every row: rows come and go as they scroll, the table stays.
  function onClick(e: MouseEvent<HTMLDivElement>) {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    if (row?.dataset.taskId) select(Number(row.dataset.taskId));
  }

  return (
    <section className="panel task-table" aria-label="Connection tasks" style={TASK_GRID_STYLE}>
      <TaskTableToolbar shown={rows.length} kept={kept} filtered={filtered} />
      <CrashNotice onShow={showTask} />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the scroller delegates row clicks; arrow keys move the selection */}
      <div
        className="table-body"
        ref={scroller}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        tabIndex={0}
        data-testid="task-table"
        onKeyDown={onKeyDown}
        onClick={onClick}
      >
        <div className="grid-table">
          <div className="table-head">
            {TASK_COLUMNS.map(({ sort: order, ...c }) => (
              <span key={c.id} className={columnClass(c, true)}>
                {order ? (
                  <button
                    type="button"
                    className="sort-button"
                    data-testid={`sort-${order.key}`}
                    data-sort={sort.key === order.key ? sort.dir : undefined}
                    aria-label={`Sort by ${c.label}${sortLabel(order.key, sort)}`}
                    onClick={() => sortBy(order.key, order.firstDir)}
                  >
                    {c.label}
                    <span className="sort-mark" aria-hidden="true">
                      {sort.key === order.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </span>
            ))}
          </div>
          <div className="table-canvas" style={{ height: totalHeight }}>
            {visible}
          </div>
        </div>
        {rows.length === 0 ? (
          <p className="empty" data-testid="task-table-empty">
            {!synced
              ? 'Loading the current state from the host…'
              : kept > 0
                ? 'No task matches this filter.'
                : replaying
                  ? 'No task at this moment of the recording.'
                  : attachedLive
                    ? 'The attached process has no task yet.'
                    : listening
                      ? 'No connections yet: connect a client (nc, or the Built-in client tab).'
                      : 'No connections yet. Start the server, then connect a client.'}
          </p>
        ) : null}
      </div>
    </section>
  );
}
