function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Wall-clock time of an event, to the millisecond: "14:03:22.123". */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A span of time, as short as it can be read: "0.4 ms", "12 ms", "1.24 s", "2m 05s", "1h 02m". */
export function formatDuration(ms: number): string {
  if (ms < 0) return '0 ms';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
}

/**
 * How long a running task has run, by a clock that ticks about once a second: under a second it cannot
 * tell, so it says so rather than "0 ms".
 */
export function formatRunningFor(ms: number): string {
  return ms < 1000 ? '< 1 s' : formatDuration(ms);
}

/** How long ago, for "last activity": "now", "3 s ago", "2m 05s ago". */
export function formatAgo(epochMs: number, now: number): string {
  const ms = now - epochMs;
  return ms < 1000 ? 'now' : `${formatDuration(ms)} ago`;
}
