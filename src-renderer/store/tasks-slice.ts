import type { StateCreator } from 'zustand';
import type { Snapshot } from '../../src-shared/commands';
import { type EngineEvent, isTaskEvent } from '../../src-shared/events';
import { applyTaskEvent, cloneTaskView, createTaskView, type TaskView } from '../../src-shared/task-view';
import type { AppState } from './app-store';
import { ENDED_TASK_CAP, evictEndedTasks } from './task-bounds';

export interface TasksSlice {
  /**
   * Every kept task by id, in accept order. The store owns this map and each batch updates it IN PLACE
   * (copying 18,000 entries per batch was the renderer's largest cost); it is replaced only by a new run
   * or a snapshot. The views in it are never mutated: a changed task gets a new view. Subscribe to
   * `tasksVersion`, not to this map, to hear about changes.
   */
  tasks: ReadonlyMap<number, TaskView>;
  /** Bumped by every batch or snapshot that changes `tasks`. */
  tasksVersion: number;
  /** Ids of kept ended tasks, in the order they ended (the eviction queue); updated in place like `tasks`. */
  endedOrder: readonly number[];
}

export const createTasksSlice: StateCreator<AppState, [], [], TasksSlice> = () => emptyTasks();

/** What components subscribe to for task changes (the map itself changes in place). */
export const selectTasksVersion = (s: TasksSlice): number => s.tasksVersion;

/** No tasks (a fresh store, or a test's starting point). */
export function emptyTasks(): TasksSlice {
  return { tasks: new Map(), tasksVersion: 0, endedOrder: [] };
}

/**
 * Folds one batch into the task map with the shared reducer, in place (see `TasksSlice.tasks`). Each
 * task the batch touches is cloned once and then updated in place for the rest of the batch, so views
 * already handed out never change. A 'listening' event starts a fresh run (a new map).
 */
export function foldTasks(
  prev: TasksSlice,
  events: readonly EngineEvent[],
  cap = ENDED_TASK_CAP,
): TasksSlice {
  // The slice's map and queue are the store's own (readonly only to components).
  let tasks = prev.tasks as Map<number, TaskView>;
  let ended = prev.endedOrder as number[];
  let changed = false;
  // Views created or cloned during this batch: this fold owns them and may mutate them.
  const owned = new Set<number>();
  for (const e of events) {
    if (e.kind === 'listening') {
      tasks = new Map();
      ended = [];
      owned.clear();
      changed = true;
      continue;
    }
    if (!isTaskEvent(e)) continue;
    if (e.kind === 'accepted') {
      tasks.set(e.taskId, createTaskView(e));
      owned.add(e.taskId);
      changed = true;
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
    changed = true;
    const wasRunning = view.state === 'running';
    applyTaskEvent(view, e);
    if (wasRunning && view.state !== 'running') ended.push(e.taskId);
  }
  if (!changed) return prev;
  evictEndedTasks(tasks, ended, cap);
  return { tasks, tasksVersion: prev.tasksVersion + 1, endedOrder: ended };
}

export function tasksFromSnapshot(snapshot: Snapshot, prevVersion: number, cap = ENDED_TASK_CAP): TasksSlice {
  const tasks = new Map<number, TaskView>();
  const endedViews: TaskView[] = [];
  for (const t of snapshot.tasks) {
    tasks.set(t.id, t);
    if (t.state !== 'running') endedViews.push(t);
  }
  endedViews.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  const endedOrder = endedViews.map((t) => t.id);
  evictEndedTasks(tasks, endedOrder, cap);
  return { tasks, tasksVersion: prevVersion + 1, endedOrder };
}
