import { isDangling, type TaskState, type TaskView } from '../../src-shared/task-view';
import type { SortDirection, TaskSortKey, TaskStateFilter } from './ui-slice';

/** What the task table shows: which tasks, in which order. */
export interface TaskQuery {
  state: TaskStateFilter;
  text: string;
  sort: { key: TaskSortKey; dir: SortDirection };
}

const STATE_RANK: Record<TaskState, number> = { running: 0, failed: 1, cancelled: 2, completed: 3 };

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

function sortValue(t: TaskView, key: TaskSortKey): number {
  switch (key) {
    case 'id':
      return t.id;
    case 'state':
      // Dangling sorts next to running: both still hold a connection.
      return isDangling(t) ? 0.5 : STATE_RANK[t.state];
    case 'bytes':
      return t.bytesIn + t.bytesOut;
    case 'started':
      return t.startedAt;
    case 'lastActivity':
      return t.lastActivityAt;
  }
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
  const { key, dir } = query.sort;
  if (key === 'id' && idAscending) return dir === 'asc' ? rows : rows.reverse();
  const sign = dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => sign * (sortValue(a, key) - sortValue(b, key) || a.id - b.id));
  return rows;
}

/** Which server task serves a built-in client: the one whose peer port is the client's local port. */
export function tasksByPeerPort(tasks: ReadonlyMap<number, TaskView>): Map<number, number> {
  const byPort = new Map<number, number>();
  // Accept order: a reused port maps to its newest task.
  for (const t of tasks.values()) byPort.set(t.peerPort, t.id);
  return byPort;
}
