import type { EchoscopeApi } from '../../src-shared/api';
import type { EventBatch } from '../../src-shared/events';
import type { AppState, AppStore } from './app-store';
import { applyBatch, applySnapshot } from './batch-apply';

/** Resyncs caused by dropped events happen at most this often, so a flood cannot turn into a snapshot storm. */
export const RESYNC_MIN_INTERVAL_MS = 1_000;
/** Batches held while a snapshot is on its way; past this the buffer is discarded and a new snapshot asked for. */
const MAX_BUFFERED_EVENTS = 100_000;

/**
 * Keeps `store` in step with the host: subscribe first, then snapshot, then stream. Batches that arrive
 * while a snapshot is in flight are held and folded on top of it (events at or below its `lastSeq` are
 * skipped). A batch with dropped events, and a link that comes back, trigger a resync.
 * Returns the function that stops syncing.
 */
export function syncStore(api: EchoscopeApi, store: AppStore, now: () => number = Date.now): () => void {
  let held: EventBatch[] | null = null;
  let heldEvents = 0;
  let again = false;
  let lastResyncAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let linkWasClosed = false;
  let linkWasOpen = false;
  let disposed = false;

  async function resync(): Promise<void> {
    if (held) {
      again = true;
      return;
    }
    held = [];
    heldEvents = 0;
    lastResyncAt = now();
    const result = await api.invoke('snapshot', {}).catch((err: unknown) => ({
      ok: false as const,
      error: { code: 'transport', message: err instanceof Error ? err.message : String(err) },
    }));
    const batches = held;
    held = null;
    if (disposed) return;
    let next: AppState = store.getState();
    if (result.ok) {
      next = { ...next, ...applySnapshot(next, result.value), link: 'open' };
    } else if (store.getState().link === 'closed') {
      // Nothing to rebuild from: keep what we have and ask again when the link comes back.
      linkWasClosed = true;
    } else {
      again = true;
    }
    let droppedAfter = false;
    for (const batch of batches) {
      next = { ...next, ...applyBatch(next, batch) };
      if (batch.dropped > 0 && result.ok && batch.lastSeq > result.value.lastSeq) droppedAfter = true;
    }
    store.setState(next, true);
    if (again || droppedAfter) {
      again = false;
      scheduleResync();
    }
  }

  function scheduleResync(): void {
    if (timer || disposed) return;
    const wait = Math.max(0, lastResyncAt + RESYNC_MIN_INTERVAL_MS - now());
    timer = setTimeout(() => {
      timer = null;
      void resync();
    }, wait);
  }

  const offBatch = api.onBatch((batch) => {
    if (held) {
      held.push(batch);
      heldEvents += batch.events.length;
      if (heldEvents > MAX_BUFFERED_EVENTS) {
        held.length = 0;
        heldEvents = 0;
        again = true;
      }
      return;
    }
    store.setState(applyBatch(store.getState(), batch));
    if (batch.dropped > 0) scheduleResync();
  });

  const offLink = api.onLink((link) => {
    store.getState().setLink(link);
    // Only a link that was up and dropped can have lost batches. The page's first connection is not
    // one: the first snapshot request waits for it (resyncing then too asked for a second snapshot a
    // second later, and events in its flight reached the views but not the log).
    if (link === 'closed') {
      if (linkWasOpen) linkWasClosed = true;
      return;
    }
    linkWasOpen = true;
    if (linkWasClosed) {
      linkWasClosed = false;
      void resync();
    }
  });

  void resync();

  return () => {
    disposed = true;
    if (timer) clearTimeout(timer);
    offBatch();
    offLink();
  };
}
