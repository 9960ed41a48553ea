import type { WarningView } from './commands';
import type { Counters, UnretrievedEvent } from './events';

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
