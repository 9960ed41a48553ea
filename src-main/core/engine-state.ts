import { reduceClient } from '../../src-shared/client-view';
import type { ClientView, WarningView } from '../../src-shared/commands';
import { countEvent, warningFromEvent, zeroCounters } from '../../src-shared/counters';
import type { Counters, EngineEvent } from '../../src-shared/events';
import {
  EndedTaskQueue,
  evictClosedClients,
  pushBounded,
  RETENTION,
  type RetentionLimits,
} from '../../src-shared/retention';
import { applyTaskEvent, createTaskView, type TaskView } from '../../src-shared/task-view';

/**
 * What the engine knows about the current run, derived from its own events with the shared reducers
 * and kept within the shared retention limits (the renderer keeps the same): the source of snapshots
 * and of the exact counters every batch carries.
 */
export class EngineState {
  readonly counters: Counters = zeroCounters();
  readonly tasks = new Map<number, TaskView>();
  readonly clients = new Map<number, ClientView>();
  readonly warnings: WarningView[] = [];
  private ended = new EndedTaskQueue();

  constructor(private readonly limits: RetentionLimits = RETENTION) {}

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
        pushBounded(this.warnings, warningFromEvent(e), this.limits.warnings);
      }
      if (view) {
        applyTaskEvent(view, e);
        if (wasRunning && view.state !== 'running') {
          this.ended.push(e.taskId);
          this.ended.evict(this.tasks, this.limits.endedTasks);
        }
      }
      return;
    }
    countEvent(this.counters, e, undefined);
    if ('clientId' in e) {
      const next = reduceClient(this.clients.get(e.clientId), e);
      if (next) this.clients.set(e.clientId, next);
      evictClosedClients(this.clients, this.limits.clients);
    }
  }

  /** A fresh run forgets everything but keeps nothing stale. */
  reset(): void {
    Object.assign(this.counters, zeroCounters());
    this.tasks.clear();
    this.clients.clear();
    this.warnings.length = 0;
    this.ended = new EndedTaskQueue();
  }
}
