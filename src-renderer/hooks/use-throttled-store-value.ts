import { useEffect, useState } from 'react';
import { type AppState, appStore } from '../store/app-store';

/**
 * `select(state)`, re-read at most once per `intervalMs` (the newest value always lands, at the end of
 * the interval). Unlike a selector hook plus a throttle, the component does not render per batch at
 * all: the store is heard through `subscribe`. `select` must be stable (defined outside the component).
 */
export function useThrottledStoreValue<T>(select: (state: AppState) => T, intervalMs: number): T {
  const [value, setValue] = useState(() => select(appStore.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastAt = Number.NEGATIVE_INFINITY;
    const read = () => {
      timer = null;
      lastAt = performance.now();
      setValue(select(appStore.getState()));
    };
    read();
    const unsubscribe = appStore.subscribe(() => {
      if (timer) return;
      const wait = lastAt + intervalMs - performance.now();
      if (wait <= 0) read();
      else timer = setTimeout(read, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [select, intervalMs]);
  return value;
}
