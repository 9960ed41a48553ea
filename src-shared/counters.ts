import type { WarningView } from './commands';
import type { Counters, EngineEvent, UnretrievedEvent } from './events';
import { isDangling, type TaskView } from './task-view';

/** Counters of a run that has seen nothing yet. */
export function zeroCounters(): Counters {
  return {
    live: 0,
    accepted: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    unretrieved: 0,
    dangling: 0,
    bytesIn: 0,
    bytesOut: 0,
    events: 0,
  };
}

/** Every counter's name, in the contract's order (derived, so a new counter is never missed). */
export const COUNTER_KEYS = Object.keys(zeroCounters()) as readonly (keyof Counters)[];

/** The warnings panel's entry for a never-retrieved warning (engine snapshot and renderer alike). */
export function warningFromEvent(e: UnretrievedEvent): WarningView {
  return {
    seq: e.seq,
    at: e.at,
    taskId: e.taskId,
    via: e.via,
    message: `${e.error.name}: ${e.error.message}`,
    stack: e.error.stack,
  };
}

/**
 * The one step from an event to the exact counters, used by the engine (every batch's totals) and by a
 * recording's fold, so a replay counts exactly what the live run counted. Updates `c` in place. `task` is
 * the event's task (its view, or what the engine keeps of it) as it was BEFORE this event (undefined for
 * a task never seen accepted).
 */
export function countEvent(
  c: Counters,
  e: EngineEvent,
  task: Pick<TaskView, 'leftDangling' | 'socketOpen'> | undefined,
): void {
  c.events++;
  switch (e.kind) {
    case 'accepted':
      c.accepted++;
      c.live++;
      break;
    case 'received':
      c.bytesIn += e.bytes;
      break;
    case 'echoed':
      c.bytesOut += e.bytes;
      break;
    case 'completed':
      c.completed++;
      c.live--;
      break;
    case 'cancelled':
      c.cancelled++;
      c.live--;
      break;
    case 'failed':
      c.failed++;
      c.live--;
      if (e.dangling) c.dangling++;
      break;
    case 'closed':
      if (task !== undefined && isDangling(task)) c.dangling--;
      break;
    case 'unretrieved':
      c.unretrieved++;
      break;
  }
}
