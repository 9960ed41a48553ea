import { isDangling, type TaskView } from '../../src-shared/task-view';
import type { SortDirection, TaskStateFilter } from './ui-slice';

/** An order of the table's rows (a sortable column's, see task-columns.tsx). */
export interface TaskOrder {
  /** The number rows are ordered by; ties keep id order, so rows never jump. */
  value: (t: TaskView) => number;
  dir: SortDirection;
}

/** What the task table shows: which tasks, in which order. */
export interface TaskQuery {
  state: TaskStateFilter;
  text: string;
  sort: TaskOrder;
}

/** The task id as an order: the kept map's own order, so sorting by it needs no comparison sort. */
export const taskId = (t: TaskView): number => t.id;

function matchesState(t: TaskView, filter: TaskStateFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'dangling') return isDangling(t);
  return t.state === filter;
}

function matchesText(t: TaskView, needle: string): boolean {
  if (needle === '') return true;
  const id = String(t.id);
  if (id === needle || `#${id}` === needle || id.startsWith(needle)) return true;
  return `${t.peerAddress}:${t.peerPort}`.toLowerCase().includes(needle);
}

/**
 * Filters and sorts the kept tasks for the table (ties keep id order, so rows never jump). The map is in
 * accept order, which is id order within a run, so the default id sort is one pass (plus a reverse)
 * instead of a comparison sort of every row.
 */
export function queryTasks(tasks: ReadonlyMap<number, TaskView>, query: TaskQuery): TaskView[] {
  const needle = query.text.trim().toLowerCase();
  const all = query.state === 'all' && needle === '';
  const rows: TaskView[] = [];
  let idAscending = true;
  let lastId = Number.NEGATIVE_INFINITY;
  for (const t of tasks.values()) {
    if (!all && !(matchesState(t, query.state) && matchesText(t, needle))) continue;
    if (t.id <= lastId) idAscending = false;
    lastId = t.id;
    rows.push(t);
  }
  const { value, dir } = query.sort;
  if (value === taskId && idAscending) return dir === 'asc' ? rows : rows.reverse();
  const sign = dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => sign * (value(a) - value(b) || a.id - b.id));
  return rows;
}

/** Which server task serves a built-in client: the one whose peer port is the client's local port. */
export function tasksByPeerPort(tasks: ReadonlyMap<number, TaskView>): Map<number, number> {
  const byPort = new Map<number, number>();
  // Accept order: a reused port maps to its newest task.
  for (const t of tasks.values()) byPort.set(t.peerPort, t.id);
  return byPort;
}
