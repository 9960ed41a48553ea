import { eventClass } from '../../src-shared/event-kinds';
import type { EngineEvent } from '../../src-shared/events';

/** How many events one batch may carry; the batcher's queue and a slow page's held batch obey the same bounds. */
export interface BatchBounds {
  /** Events in a batch before detail events (data, await points) are dropped. */
  detailLimit: number;
  /** Events in a batch before task and client lifecycle events are dropped too (server events never are). */
  hardLimit: number;
}

export const BATCH_BOUNDS: BatchBounds = {
  detailLimit: 5_000,
  // Room for a whole Stop of 10,000 tasks (a cancelled and a closed event each) in one batch.
  hardLimit: 50_000,
};

/** Whether a batch that already holds `size` events may take `e`; what it may not take is counted as dropped. */
export function admits(bounds: BatchBounds, size: number, e: EngineEvent): boolean {
  if (size < bounds.detailLimit) return true;
  const kind = eventClass(e);
  return kind === 'server' || (kind === 'lifecycle' && size < bounds.hardLimit);
}
