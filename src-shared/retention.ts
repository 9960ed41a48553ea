import type { ClientView } from './commands';

/**
 * How much of a run is kept in memory, by the engine (for snapshots) and by the renderer (for its
 * views) alike, so a page that resyncs from a snapshot sees what it would have kept itself. Counters
 * are never bounded: they stay exact whatever is forgotten.
 */
export interface RetentionLimits {
  /**
   * Ended tasks kept; beyond it the task that ended longest ago is forgotten first. Running tasks are
   * always kept, and so is an ended task whose connection is still open (a dangling one is still news).
   */
  endedTasks: number;
  /** Transcript entries kept per running task (and per ended one until its connection closes). */
  transcript: number;
  /** Transcript entries kept per ended, closed task: tens of thousands are kept, so theirs shrink. */
  endedTranscript: number;
  /** Lifecycle entries kept per task (the most recent). */
  lifecycle: number;
  /** Never-retrieved warnings kept, newest last. */
  warnings: number;
  /** Built-in clients kept; beyond it the oldest closed client is forgotten first. */
  clients: number;
  /** Events the renderer's event log keeps, newest last (the engine keeps no log). */
  log: number;
}

/** The limits every host and page uses. */
export const RETENTION: Readonly<RetentionLimits> = Object.freeze({
  endedTasks: 20_000,
  transcript: 32,
  endedTranscript: 8,
  lifecycle: 40,
  warnings: 1_000,
  clients: 2_000,
  log: 5_000,
});

/** Drops the oldest entries of `list`, in place, until at most `limit` remain. */
export function keepNewest<T>(list: T[], limit: number): void {
  if (list.length > limit) list.splice(0, list.length - limit);
}

/** Appends in place, dropping the oldest entries beyond `limit`. */
export function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  keepNewest(list, limit);
}

/** Forgets the oldest closed clients (Map order is open order) until at most `limit` remain, if it can. */
export function evictClosedClients(clients: Map<number, ClientView>, limit: number): void {
  if (clients.size <= limit) return;
  for (const [id, view] of clients) {
    if (!view.open) clients.delete(id);
    if (clients.size <= limit) return;
  }
}

/**
 * The ids of kept ended tasks in the order they ended, and THE eviction rule: beyond the limit, the
 * task that ended longest ago is forgotten first, but only once its connection has closed; one still
 * open (dangling) goes to the back of the queue and stays. Push and evict are amortised O(1) per task,
 * so the engine can evict after every event and the renderer after every batch.
 */
export class EndedTaskQueue {
  #ids: number[] = [];
  #head = 0;

  /** Ended tasks queued (kept). */
  get length(): number {
    return this.#ids.length - this.#head;
  }

  push(taskId: number): void {
    this.#ids.push(taskId);
  }

  /**
   * Forgets tasks from `tasks` (in place) by the rule above until at most `limit` ended ones remain.
   * `isOpen` says whether a kept task's connection is still open; `forget` hears of each one forgotten.
   */
  evict<Kept>(
    tasks: Map<number, Kept>,
    limit: number,
    isOpen: (kept: Kept) => boolean,
    forget?: (kept: Kept) => void,
  ): void {
    // Each queued id is looked at once at most: a requeued one comes round again only on a later call.
    let budget = this.length;
    while (this.length > limit && budget-- > 0) {
      const oldest = this.#ids[this.#head++]!;
      const kept = tasks.get(oldest);
      if (kept === undefined) continue;
      if (isOpen(kept)) this.#ids.push(oldest);
      else {
        tasks.delete(oldest);
        forget?.(kept);
      }
    }
    if (this.#head > 4096 && this.#head * 2 > this.#ids.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The queued ids, the next to be forgotten first. */
  toArray(): number[] {
    return this.#ids.slice(this.#head);
  }
}
