import { useEffect, useRef } from 'react';
import type { Counters } from '../../src-shared/events';
import { formatBytes, formatCount } from '../format/quantity';
import { LIVE_REFRESH_MS, onStoreRefresh } from '../hooks/store-refresh-clock';
import { useReplaying } from '../replay/replay-mode';
import { type AppState, appStore } from '../store/app-store';

interface CounterSpec {
  id: keyof Counters | 'dropped';
  label: string;
  tone: string;
  format: (n: number) => string;
}

const COUNTERS: readonly CounterSpec[] = [
  { id: 'live', label: 'Live', tone: 'running', format: formatCount },
  { id: 'accepted', label: 'Accepted', tone: 'neutral', format: formatCount },
  { id: 'completed', label: 'Completed', tone: 'completed', format: formatCount },
  { id: 'failed', label: 'Failed', tone: 'failed', format: formatCount },
  { id: 'cancelled', label: 'Cancelled', tone: 'cancelled', format: formatCount },
  { id: 'dangling', label: 'Dangling', tone: 'dangling', format: formatCount },
  { id: 'unretrieved', label: 'Never retrieved', tone: 'failed', format: formatCount },
  { id: 'bytesIn', label: 'Bytes in', tone: 'neutral', format: formatBytes },
  { id: 'bytesOut', label: 'Bytes out', tone: 'neutral', format: formatBytes },
  { id: 'events', label: 'Events', tone: 'neutral', format: formatCount },
  { id: 'dropped', label: 'Dropped', tone: 'neutral', format: formatCount },
];

function counterValue(s: AppState, id: CounterSpec['id']): number {
  return id === 'dropped' ? s.droppedTotal : s.counters[id];
}

/**
 * The exact totals from the host. Values are written straight into the DOM (store subscription + refs),
 * so a busy server never re-renders React per batch here; live, on the task table's clock (a few times
 * a second, in the same frame as the table: measured, a counter repaint per batch cost a layout, paint
 * and commit each, 30-60 a second); in a replay, in the frame after each change (scrubbing shows each
 * moment).
 */
export function CounterStrip() {
  const cells = useRef(new Map<string, HTMLElement>());
  const replaying = useReplaying();

  useEffect(() => {
    let frame = 0;
    const paint = () => {
      frame = 0;
      const s = appStore.getState();
      for (const spec of COUNTERS) {
        const cell = cells.current.get(spec.id);
        if (!cell) continue;
        const value = counterValue(s, spec.id);
        // An unchanged counter is left alone: rewriting its text would still cost a layout.
        if (cell.dataset.value === String(value)) continue;
        cell.textContent = spec.format(value);
        cell.dataset.value = String(value);
        cell.parentElement?.classList.toggle('counter-zero', value === 0);
      }
    };
    paint();
    const unsubscribe = onStoreRefresh(replaying ? 0 : LIVE_REFRESH_MS, () => {
      if (frame === 0) frame = requestAnimationFrame(paint);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [replaying]);

  return (
    <section className="counter-strip" aria-label="Counters">
      {COUNTERS.map((spec) => (
        <div key={spec.id} className={`counter counter-${spec.tone} counter-zero`}>
          <span className="counter-label">{spec.label}</span>
          <span
            className="counter-value"
            data-testid={`counter-${spec.id}`}
            ref={(el) => {
              if (el) cells.current.set(spec.id, el);
              else cells.current.delete(spec.id);
            }}
          >
            0
          </span>
        </div>
      ))}
    </section>
  );
}
