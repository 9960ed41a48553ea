import { useEffect, useState } from 'react';
import { useReplay } from '../replay/replay-mode';

/**
 * The current time, refreshed every `intervalMs` while `active` (durations of running tasks grow). In a
 * replay it is the replayed moment, so durations and "ago" read as they did then.
 */
export function useNow(intervalMs: number, active = true): number {
  const replayNow = useReplay((s) => (s.recording ? s.recording.header.startedAt + s.time : null));
  const replaying = replayNow !== null;
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active || replaying) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active, replaying]);
  return replayNow ?? now;
}
