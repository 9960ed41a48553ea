import type { WebContents } from 'electron';
import { BATCH_CHANNEL } from '../../src-shared/channels';
import type { EventBus } from '../core/event-bus';

/**
 * Forwards the engine's event batches to one page (at most about 60 a second, bounded, with exact
 * counters). Stops by itself when the page's contents are destroyed; returns the stop function.
 */
export function startEventPump(contents: WebContents, bus: EventBus): () => void {
  const stop = bus.subscribe(
    (batch) => {
      if (!contents.isDestroyed()) contents.send(BATCH_CHANNEL, batch);
    },
    { intervalMs: 17 },
  );
  contents.once('destroyed', stop);
  return stop;
}
