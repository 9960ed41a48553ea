import type { EngineEvent } from '../../src-shared/events';

/** Server events are few and mark phases (a run began, stop finished): no bounded queue drops them. */
export function isServerEvent(e: EngineEvent): boolean {
  return !('taskId' in e) && !('clientId' in e);
}
