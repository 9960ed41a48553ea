import type { StateCreator } from 'zustand';
import type { Snapshot } from '../../src-shared/commands';
import { type EngineEvent, isTaskEvent, startsRun } from '../../src-shared/events';
import { EndedTaskQueue, RETENTION } from '../../src-shared/retention';
import {
  applyTaskEvent,
  cloneTaskView,
  createTaskView,
  isConnectionOpen,
  type TaskView,
} from '../../src-shared/task-view';
import type { AppState } from './app-store';

/**
 * The kept tasks by id, in accept order, as components read them. Every batch or snapshot that changes
 * a task yields a NEW `KeptTasks`, and nothing else does: its identity is the change signal, so select
 * it, list it in dependency arrays and compare it like any immutable value.
 *
 * The map underneath is shared on purpose. Copying up to 20,000 entries per batch, at up to 60 batches
 * a second, was the renderer's largest cost (measured with 20,000 kept tasks: a copy costs several
 * times the fold itself), so within one run every `KeptTasks` reads the same map, which each batch updates in
 * place; a new run or a snapshot starts a new one. An older `KeptTasks` therefore answers with the newest
 * views, which is what a throttled table wants for its visible rows. The views themselves are never
 * mutated: a changed task gets a new view, so a view once handed out stays as it was.
 */
export class KeptTasks implements ReadonlyMap<number, TaskView> {
  readonly #byId: Map<number, TaskView>;
  /** Kept ended tasks in the order they ended: the shared eviction queue, shared like the map. */
  readonly #ended: EndedTaskQueue;

  private constructor(byId: Map<number, TaskView>, ended: EndedTaskQueue) {
    this.#byId = byId;
    this.#ended = ended;
  }

  /** No tasks (a fresh store, a test's starting point). Each call owns a new map. */
  static empty(): KeptTasks {
    return new KeptTasks(new Map(), new EndedTaskQueue());
  }

  /**
   * Folds one batch in with the shared reducer (see the class comment). Each task the batch touches is
   * cloned once and then updated in place for the rest of the batch, so views already handed out never
   * change. A 'listening' event starts a fresh run (a new map). Returns `prev` when no task changed.
   */
  static fold(prev: KeptTasks, events: readonly EngineEvent[], limit = RETENTION.endedTasks): KeptTasks {
    let tasks = prev.#byId;
    let ended = prev.#ended;
    let changed = false;
    // Views created or cloned during this batch: this fold owns them and may mutate them.
    const owned = new Set<number>();
    for (const e of events) {
      if (startsRun(e)) {
        tasks = new Map();
        ended = new EndedTaskQueue();
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
    ended.evict(tasks, limit, isConnectionOpen);
    return new KeptTasks(tasks, ended);
  }

  /** The tasks of a snapshot (a new map), evicted by the same rule down to `limit` ended ones. */
  static fromSnapshot(snapshot: Snapshot, limit = RETENTION.endedTasks): KeptTasks {
    const tasks = new Map<number, TaskView>();
    const endedViews: TaskView[] = [];
    for (const t of snapshot.tasks) {
      tasks.set(t.id, t);
      if (t.state !== 'running') endedViews.push(t);
    }
    endedViews.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    const ended = new EndedTaskQueue();
    for (const t of endedViews) ended.push(t.id);
    ended.evict(tasks, limit, isConnectionOpen);
    return new KeptTasks(tasks, ended);
  }

  /** Ids of the kept ended tasks, oldest end first (the next to be forgotten). */
  get endedOrder(): readonly number[] {
    return this.#ended.toArray();
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: number): TaskView | undefined {
    return this.#byId.get(id);
  }

  has(id: number): boolean {
    return this.#byId.has(id);
  }

  keys(): MapIterator<number> {
    return this.#byId.keys();
  }

  values(): MapIterator<TaskView> {
    return this.#byId.values();
  }

  entries(): MapIterator<[number, TaskView]> {
    return this.#byId.entries();
  }

  [Symbol.iterator](): MapIterator<[number, TaskView]> {
    return this.#byId.entries();
  }

  forEach(
    callback: (view: TaskView, id: number, tasks: ReadonlyMap<number, TaskView>) => void,
    thisArg?: unknown,
  ): void {
    for (const [id, view] of this.#byId) callback.call(thisArg, view, id, this);
  }
}

export interface TasksSlice {
  /** Every kept task; a new value whenever a task changes (see `KeptTasks`). */
  tasks: KeptTasks;
  /** The task that failed last in this run (announced, and followed by the detail pane). */
  newestCrashId: number | null;
}

export const createTasksSlice: StateCreator<AppState, [], [], TasksSlice> = () => ({
  tasks: KeptTasks.empty(),
  newestCrashId: null,
});

/** The last task a batch reports failed, else `prev`; a new run (startsRun) has none. */
export function foldNewestCrash(prev: number | null, events: readonly EngineEvent[]): number | null {
  let id = prev;
  for (const e of events) {
    if (startsRun(e)) id = null;
    else if (e.kind === 'failed') id = e.taskId;
  }
  return id;
}

/** The kept task that failed last (a snapshot's), or null. */
export function newestCrashOf(tasks: Iterable<TaskView>): number | null {
  let newest: TaskView | null = null;
  for (const t of tasks) {
    if (t.state === 'failed' && (newest === null || (t.endedAt ?? 0) >= (newest.endedAt ?? 0))) newest = t;
  }
  return newest?.id ?? null;
}

export const selectTasks = (s: TasksSlice): KeptTasks => s.tasks;
