import { useEffect, useRef, useState } from 'react';

/**
 * `value`, but changing at most once per `intervalMs` (the newest value always lands, at the end of
 * the interval). Lets a busy store drive expensive views — re-sorting 10,000 rows — a few times a
 * second instead of once per batch.
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastShownAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const show = () => {
      lastShownAt.current = performance.now();
      setShown(value);
    };
    const wait = lastShownAt.current + intervalMs - performance.now();
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);
  return shown;
}
