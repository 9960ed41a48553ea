import { reduceClient } from '../../src-shared/client-view';
import type { ClientView, WarningView } from '../../src-shared/commands';
import { countEvent, warningFromEvent, zeroCounters } from '../../src-shared/counters';
import type { Counters, EngineEvent } from '../../src-shared/events';
import { applyTaskEvent, createTaskView, type TaskView } from '../../src-shared/task-view';

/** Ended tasks kept for snapshots; the oldest are forgotten first. Live tasks are always kept. */
export const DEFAULT_ENDED_TASK_LIMIT = 20_000;
/** Never-retrieved warnings kept for snapshots. */
export const WARNING_LIMIT = 1_000;
/** Built-in clients kept for snapshots. */
export const CLIENT_LIMIT = 2_000;

/**
 * What the engine knows about the current run, derived from its own events with the shared reducers:
 * the source of snapshots and of the exact counters every batch carries.
 */
export class EngineState {
  readonly counters: Counters = zeroCounters();
  readonly tasks = new Map<number, TaskView>();
  readonly clients = new Map<number, ClientView>();
  readonly warnings: WarningView[] = [];
  private endedOrder: number[] = [];
  private endedHead = 0;

  constructor(private readonly endedTaskLimit = DEFAULT_ENDED_TASK_LIMIT) {}

  apply(e: EngineEvent): void {
    if ('taskId' in e) {
      const view = this.tasks.get(e.taskId);
      const wasRunning = view?.state === 'running';
      countEvent(this.counters, e, view);
      if (e.kind === 'accepted') {
        this.tasks.set(e.taskId, createTaskView(e));
        return;
      }
      if (e.kind === 'unretrieved') {
        this.warnings.push(warningFromEvent(e));
        if (this.warnings.length > WARNING_LIMIT) this.warnings.shift();
      }
      if (view) {
        applyTaskEvent(view, e);
        if (wasRunning && view.state !== 'running') this.noteEnded(e.taskId);
      }
      return;
    }
    countEvent(this.counters, e, undefined);
    if ('clientId' in e) {
      const next = reduceClient(this.clients.get(e.clientId), e);
      if (next) this.clients.set(e.clientId, next);
      if (this.clients.size > CLIENT_LIMIT) this.forgetOldestClosedClient();
    }
  }

  /** A fresh run forgets everything but keeps nothing stale. */
  reset(): void {
    Object.assign(this.counters, zeroCounters());
    this.tasks.clear();
    this.clients.clear();
    this.warnings.length = 0;
    this.endedOrder = [];
    this.endedHead = 0;
  }

  private noteEnded(taskId: number): void {
    this.endedOrder.push(taskId);
    // Bounded: dangling tasks are re-queued, so at most one pass over the queue.
    let budget = this.endedOrder.length - this.endedHead;
    while (this.endedOrder.length - this.endedHead > this.endedTaskLimit && budget-- > 0) {
      const oldest = this.endedOrder[this.endedHead++]!;
      const view = this.tasks.get(oldest);
      // A dangling connection is still news; keep it until it closes.
      if (view && !view.socketOpen) this.tasks.delete(oldest);
      else if (view) this.endedOrder.push(oldest);
    }
    if (this.endedHead > 4096 && this.endedHead * 2 > this.endedOrder.length) {
      this.endedOrder = this.endedOrder.slice(this.endedHead);
      this.endedHead = 0;
    }
  }

  private forgetOldestClosedClient(): void {
    for (const [id, view] of this.clients) {
      if (!view.open) {
        this.clients.delete(id);
        return;
      }
    }
  }
}
