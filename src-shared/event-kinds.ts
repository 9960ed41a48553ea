import type { EngineEvent, EngineEventKind } from './events';

/** How an event is treated on its way to a view. */
export type EventClass =
  /** A task's or a built-in client's lifecycle: kept in a batch until the hard limit. */
  | 'lifecycle'
  /** Traffic (data, await points): coalesced, and the first to be dropped under load. */
  | 'detail'
  /** The server's phases: few, and never dropped. */
  | 'server';

/**
 * Every event kind and its class, in the order the event log offers them. Typed against the union, so a
 * kind left out (or one that no longer exists) fails to compile.
 */
export const EVENT_CLASS = {
  accepted: 'lifecycle',
  parked: 'detail',
  received: 'detail',
  echoed: 'detail',
  completed: 'lifecycle',
  failed: 'lifecycle',
  cancelled: 'lifecycle',
  closed: 'lifecycle',
  unretrieved: 'lifecycle',
  listening: 'server',
  stopping: 'server',
  stopped: 'server',
  'gc-run': 'server',
  attached: 'server',
  detached: 'server',
  'client-opened': 'lifecycle',
  'client-sent': 'detail',
  'client-received': 'detail',
  'client-closed': 'lifecycle',
} as const satisfies Record<EngineEventKind, EventClass>;

/** Every event kind, from the record above. */
export const EVENT_KINDS = Object.keys(EVENT_CLASS) as EngineEventKind[];

export function eventClass(e: EngineEvent): EventClass {
  return EVENT_CLASS[e.kind];
}
