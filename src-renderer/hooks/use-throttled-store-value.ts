import { startTransition, useEffect, useState } from 'react';
import { type AppState, appStore } from '../store/app-store';
import { onStoreRefresh } from './store-refresh-clock';

/**
 * `select(state)`, re-read at most once per `intervalMs` (the newest value always lands, at the end of
 * the interval) on the clock shared by every view of that cadence (see onStoreRefresh). Unlike a
 * selector hook plus a throttle, the component does not render per batch at all: the store is heard
 * through `subscribe`. `select` must be stable (defined outside the component). `transition` makes
 * each new value a transition: React renders it once, interruptibly, so scrolling and typing stay
 * ahead of a large view (one render per refresh, where `useDeferredValue` renders twice).
 */
export function useThrottledStoreValue<T>(
  select: (state: AppState) => T,
  intervalMs: number,
  transition = false,
): T {
  const [value, setValue] = useState(() => select(appStore.getState()));
  useEffect(() => {
    const read = () => {
      const next = select(appStore.getState());
      if (transition) startTransition(() => setValue(next));
      else setValue(next);
    };
    read();
    return onStoreRefresh(intervalMs, read);
  }, [select, intervalMs, transition]);
  return value;
}
