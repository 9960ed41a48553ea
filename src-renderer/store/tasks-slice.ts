import type { StateCreator } from 'zustand';
import type { Snapshot } from '../../src-shared/commands';
import { type EngineEvent, isTaskEvent } from '../../src-shared/events';
import { applyTaskEvent, cloneTaskView, createTaskView, type TaskView } from '../../src-shared/task-view';
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
 * Folds one batch into the task map with the shared reducer. The map is copied at most once per batch
 * (and only when the batch has task events), and each task the batch touches is cloned once and then
 * updated in place for the rest of the batch. A 'listening' event starts a fresh run.
 */
export function foldTasks(
  prev: TasksSlice,
  events: readonly EngineEvent[],
  cap = ENDED_TASK_CAP,
): TasksSlice {
  let tasks: Map<number, TaskView> | null = null;
  let ended: number[] | null = null;
  // Views created or cloned during this batch: this fold owns them and may mutate them.
  const owned = new Set<number>();
  for (const e of events) {
    if (e.kind === 'listening') {
      tasks = new Map();
      ended = [];
      owned.clear();
      continue;
    }
    if (!isTaskEvent(e)) continue;
    tasks ??= new Map(prev.tasks);
    ended ??= prev.endedOrder.slice();
    if (e.kind === 'accepted') {
      tasks.set(e.taskId, createTaskView(e));
      owned.add(e.taskId);
      continue;
    }
    let view = tasks.get(e.taskId);
    // Events about a task never seen (or already evicted) have nothing to update.
    if (!view) continue;
    if (!owned.has(e.taskId)) {
      view = cloneTaskView(view);
      tasks.set(e.taskId, view);
      owned.add(e.taskId);
    }
    const wasRunning = view.state === 'running';
    applyTaskEvent(view, e);
    if (wasRunning && view.state !== 'running') ended.push(e.taskId);
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
