import type { StateCreator } from 'zustand';
import type { Snapshot } from '../../src-shared/commands';
import { type EngineEvent, isTaskEvent } from '../../src-shared/events';
import { reduceTask, type TaskView } from '../../src-shared/task-view';
import type { AppState } from './app-store';
import { ENDED_TASK_CAP, evictEndedTasks } from './task-bounds';

export interface TasksSlice {
  /** Every kept task by id, in accept order. Replaced (never mutated) when a batch changes it. */
  tasks: ReadonlyMap<number, TaskView>;
  /** Ids of kept ended tasks, in the order they ended (the eviction queue). */
  endedOrder: readonly number[];
}

export const createTasksSlice: StateCreator<AppState, [], [], TasksSlice> = () => ({
  tasks: new Map(),
  endedOrder: [],
});

/**
 * Folds one batch into the task map with the shared reducer. The map is copied at most once per
 * batch, and only when the batch has task events; a 'listening' event starts a fresh run.
 */
export function foldTasks(
  prev: TasksSlice,
  events: readonly EngineEvent[],
  cap = ENDED_TASK_CAP,
): TasksSlice {
  let tasks: Map<number, TaskView> | null = null;
  let ended: number[] | null = null;
  for (const e of events) {
    if (e.kind === 'listening') {
      tasks = new Map();
      ended = [];
      continue;
    }
    if (!isTaskEvent(e)) continue;
    tasks ??= new Map(prev.tasks);
    ended ??= prev.endedOrder.slice();
    const before = tasks.get(e.taskId);
    const after = reduceTask(before, e);
    if (!after) continue;
    tasks.set(e.taskId, after);
    if (before?.state === 'running' && after.state !== 'running') ended.push(e.taskId);
  }
  if (!tasks || !ended) return prev;
  return { tasks, endedOrder: evictEndedTasks(tasks, ended, cap) };
}

export function tasksFromSnapshot(snapshot: Snapshot, cap = ENDED_TASK_CAP): TasksSlice {
  const tasks = new Map<number, TaskView>();
  const endedViews: TaskView[] = [];
  for (const t of snapshot.tasks) {
    tasks.set(t.id, t);
    if (t.state !== 'running') endedViews.push(t);
  }
  endedViews.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  const endedOrder = endedViews.map((t) => t.id);
  return { tasks, endedOrder: evictEndedTasks(tasks, endedOrder, cap) };
}
