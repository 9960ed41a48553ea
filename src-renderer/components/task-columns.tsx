import type { CSSProperties, ReactNode } from 'react';
import { describeOutcome } from '../../src-shared/task-outcome';
import { isDangling, type TaskState, type TaskView } from '../../src-shared/task-view';
import { formatBytes } from '../format/quantity';
import { formatAgo, formatClock, formatDuration, formatRunningFor } from '../format/time';
import { type TaskOrder, taskId } from '../store/task-query';
import type { SortDirection } from '../store/ui-slice';
import { StateBadge } from './StateBadge';

/** How a column sorts the table. */
export interface TaskColumnSort extends Omit<TaskOrder, 'dir'> {
  /** The store's name for this order (`taskSort.key`), and the sort button's test id `sort-<key>`. */
  key: string;
  /** The direction of the first click (the next one flips it). */
  firstDir: SortDirection;
}

/** One column of the task table: its header, its track in the row grid, its cell and its order. */
export interface TaskColumn {
  id: string;
  label: string;
  /** The column's CSS grid track: `62px`, `minmax(124px, 1fr)`. */
  width: string;
  /** Right-aligned header and cells (figures). */
  numeric?: boolean;
  /** Classes of the cells (not the header). */
  className?: string;
  /** A test id on each cell. */
  testId?: string;
  /** Left out of a narrow table (tables.css says how narrow), so the Outcome column keeps its words. */
  optional?: boolean;
  sort?: TaskColumnSort;
  /** The cell's content. `now` is the table's clock for running tasks and 0 for ended ones. */
  cell: (task: TaskView, now: number) => ReactNode;
}

const STATE_RANK: Record<TaskState, number> = { running: 0, failed: 1, cancelled: 2, completed: 3 };

/** The State column's order: dangling sorts next to running, as both still hold a connection. */
export function stateRank(t: TaskView): number {
  return isDangling(t) ? 0.5 : STATE_RANK[t.state];
}

/** Where the task waits; an attached Python task's `other` await names what it awaits instead. */
function awaitText(task: TaskView): string {
  const where = task.awaitPoint === 'other' && task.awaitDetail ? task.awaitDetail : task.awaitPoint;
  if (task.state === 'running') return where ? `await ${where}` : '—';
  return where ? `at ${where}` : '';
}

/** The peer, or for an attached Python task without a connection, its asyncio name. */
/** A connection's peer; a Python task without one is named by its coroutine, which says more than "Task-5". */
function peerText(task: TaskView): ReactNode {
  if (task.peerAddress === '' && task.pythonTask) {
    const { name, coroutine } = task.pythonTask;
    return <span title={`${name} · ${coroutine}()`}>{coroutine}()</span>;
  }
  return `${task.peerAddress}:${task.peerPort}`;
}

function Outcome({ task }: { task: TaskView }) {
  const text = describeOutcome(task);
  return text === null ? null : (
    <span className={`outcome outcome-${task.state}`} title={text}>
      {text}
    </span>
  );
}

/** The task table, left to right: header, rows and grid tracks all come from this list. */
export const TASK_COLUMNS: readonly TaskColumn[] = [
  {
    id: 'task',
    label: 'Task',
    width: '50px',
    className: 'cell-id mono',
    sort: { key: 'id', value: taskId, firstDir: 'asc' },
    cell: (t) => `#${t.id}`,
  },
  {
    id: 'state',
    label: 'State',
    width: '124px',
    sort: { key: 'state', value: stateRank, firstDir: 'asc' },
    cell: (t) => <StateBadge task={t} />,
  },
  {
    id: 'outcome',
    label: 'Outcome',
    width: 'minmax(80px, 1fr)',
    className: 'cell-outcome',
    testId: 'task-outcome',
    cell: (t) => <Outcome task={t} />,
  },
  {
    id: 'await',
    label: 'Await',
    width: '96px',
    className: 'cell-await mono',
    cell: (t) => <span title={t.awaitDetail ?? undefined}>{awaitText(t)}</span>,
  },
  {
    id: 'peer',
    label: 'Peer',
    width: '110px',
    className: 'cell-peer mono',
    cell: peerText,
  },
  {
    id: 'in',
    label: 'In',
    width: '52px',
    numeric: true,
    className: 'mono',
    sort: { key: 'bytes', value: (t) => t.bytesIn + t.bytesOut, firstDir: 'desc' },
    cell: (t) => formatBytes(t.bytesIn),
  },
  {
    id: 'out',
    label: 'Out',
    width: '52px',
    numeric: true,
    className: 'mono',
    cell: (t) => formatBytes(t.bytesOut),
  },
  {
    id: 'started',
    label: 'Started',
    width: '88px',
    className: 'cell-time mono',
    optional: true,
    sort: { key: 'started', value: (t) => t.startedAt, firstDir: 'desc' },
    cell: (t) => formatClock(t.startedAt),
  },
  {
    id: 'duration',
    label: 'Duration',
    width: '66px',
    numeric: true,
    className: 'mono',
    cell: (t, now) =>
      t.endedAt === null ? formatRunningFor(now - t.startedAt) : formatDuration(t.endedAt - t.startedAt),
  },
  {
    id: 'last-activity',
    label: 'Last activity',
    width: '100px',
    className: 'cell-time mono',
    sort: { key: 'lastActivity', value: (t) => t.lastActivityAt, firstDir: 'desc' },
    cell: (t, now) =>
      t.state === 'running' ? formatAgo(t.lastActivityAt, now) : formatClock(t.lastActivityAt),
  },
];

/**
 * The grid tracks of the header and every row, for a wide table and for a narrow one without the
 * optional columns (tables.css reads `--task-columns` and `--task-columns-narrow`).
 */
export const TASK_GRID_STYLE = {
  '--task-columns': TASK_COLUMNS.map((c) => c.width).join(' '),
  '--task-columns-narrow': TASK_COLUMNS.filter((c) => !c.optional)
    .map((c) => c.width)
    .join(' '),
} as CSSProperties;

/** The class of a column's header and cells (`header` leaves out the cell-only classes). */
export function columnClass(c: TaskColumn, header = false): string | undefined {
  const classes = [
    c.numeric ? 'cell-num' : '',
    c.optional ? 'col-optional' : '',
    header ? '' : (c.className ?? ''),
  ]
    .filter(Boolean)
    .join(' ');
  return classes || undefined;
}

/** The order of a store sort key; an unknown key (none is) falls back to newest first. */
export function orderOf(sort: { key: string; dir: SortDirection }): TaskOrder {
  const column = TASK_COLUMNS.find((c) => c.sort?.key === sort.key);
  return column?.sort ? { value: column.sort.value, dir: sort.dir } : { value: taskId, dir: 'desc' };
}
