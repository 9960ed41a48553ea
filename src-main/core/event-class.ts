import { eventClass } from '../../src-shared/event-kinds';
import type { EngineEvent } from '../../src-shared/events';

/** Server events are few and mark phases (a run began, stop finished): no bounded queue drops them. */
export function isServerEvent(e: EngineEvent): boolean {
  return eventClass(e) === 'server';
}

/** Events that describe traffic rather than lifecycle; they are the first to go under load. */
export function isDetailEvent(e: EngineEvent): boolean {
  return eventClass(e) === 'detail';
}
