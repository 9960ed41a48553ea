import type { TaskEvent } from '../../src-shared/events';

/** What the ledger remembers of one task of the attached process. */
interface TaskMark {
  running: boolean;
  closed: boolean;
  failed: boolean;
  warned: boolean;
}

/**
 * Holds an attached process's task events to the order the engine's own tasks keep (accepted once, then
 * traffic while running, one end, at most one close and one warning), so a buggy or hostile probe can
 * neither make the counters lie (a second `failed` would count a task twice) nor report on a task it
 * never announced. Bounded: beyond `limit` tasks the oldest ended ones are forgotten.
 */
export class TaskLedger {
  private readonly tasks = new Map<number, TaskMark>();
  private runningCount = 0;

  constructor(private readonly limit = 100_000) {}

  /** Tasks accepted and not yet ended. */
  get running(): number {
    return this.runningCount;
  }

  /** Records `e` when it fits its task's history so far; otherwise the reason it does not, in words. */
  admit(e: TaskEvent): string | null {
    const mark = this.tasks.get(e.taskId);
    if (e.kind === 'accepted') {
      if (mark) return `task ${e.taskId} was already accepted`;
      if (this.tasks.size >= this.limit && !this.forgetEnded()) {
        return `more than ${this.limit} tasks are running at once`;
      }
      this.tasks.set(e.taskId, { running: true, closed: false, failed: false, warned: false });
      this.runningCount++;
      return null;
    }
    if (!mark) return `task ${e.taskId} was never accepted (or is long forgotten)`;
    switch (e.kind) {
      case 'parked':
      case 'received':
      case 'echoed':
        return mark.running ? null : `task ${e.taskId} has already ended`;
      case 'completed':
      case 'failed':
      case 'cancelled':
        if (!mark.running) return `task ${e.taskId} has already ended`;
        mark.running = false;
        mark.failed = e.kind === 'failed';
        this.runningCount--;
        return null;
      case 'closed':
        if (mark.closed) return `task ${e.taskId}'s connection was already closed`;
        mark.closed = true;
        return null;
      case 'unretrieved':
        if (!mark.failed) return `task ${e.taskId} has not failed`;
        if (mark.warned) return `task ${e.taskId} was already reported as never retrieved`;
        mark.warned = true;
        return null;
    }
  }

  /** Forgets the oldest ended tasks, down to nine tenths of the limit; false when none had ended. */
  private forgetEnded(): boolean {
    const target = Math.floor(this.limit * 0.9);
    let forgot = false;
    for (const [id, mark] of this.tasks) {
      if (this.tasks.size <= target) break;
      if (!mark.running) {
        this.tasks.delete(id);
        forgot = true;
      }
    }
    return forgot;
  }
}
