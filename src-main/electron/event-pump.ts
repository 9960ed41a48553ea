import type { WebContents } from 'electron';
import { BATCH_ACK_CHANNEL, BATCH_CHANNEL } from '../../src-shared/channels';
import { BatchFlowGate } from '../core/batch-flow-gate';
import type { EventBus } from '../core/event-bus';

/**
 * Forwards the engine's event batches to one page (at most about 60 a second, bounded, with exact
 * counters). The page acknowledges each batch it applied; a page that falls behind gets drops counted
 * instead of an ever-growing IPC queue. Stops by itself when the page's contents are destroyed;
 * returns the stop function.
 */
export function startEventPump(contents: WebContents, bus: EventBus): () => void {
  const gate = new BatchFlowGate((batch) => {
    if (!contents.isDestroyed()) contents.send(BATCH_CHANNEL, batch);
  });
  // Scoped to this page's contents: no other frame or window can acknowledge for it.
  const onAck = (): void => gate.ack();
  contents.ipc.on(BATCH_ACK_CHANNEL, onAck);
  const unsubscribe = bus.subscribe((batch) => gate.offer(batch), { intervalMs: 17 });
  const stop = (): void => {
    unsubscribe();
    if (!contents.isDestroyed()) contents.ipc.removeListener(BATCH_ACK_CHANNEL, onAck);
  };
  contents.once('destroyed', stop);
  return stop;
}
