import { isDangling, type TaskState, type TaskView } from '../../src-shared/task-view';

/** One task's lifetime on the timeline, in percent of the visible window. */
interface TimelineBar {
  id: number;
  state: TaskState;
  left: number;
  width: number;
  /** The stretch after a failure while the connection stayed open with nobody reading (dangling). */
  tailWidth: number;
  dangling: boolean;
}

interface TimelineLayout {
  from: number;
  to: number;
  bars: TimelineBar[];
}

/** When a connection was closed, from its lifecycle; null while it is open. */
function closedAt(t: TaskView): number | null {
  for (let i = t.lifecycle.length - 1; i >= 0; i--)
    if (t.lifecycle[i]!.kind === 'closed') return t.lifecycle[i]!.at;
  return null;
}

/**
 * Lays out the `limit` most recently accepted tasks between the first one's start and `now` (or the last
 * end, when nothing is open any more). Newest first.
 */
export function layoutTimeline(
  tasks: ReadonlyMap<number, TaskView>,
  now: number,
  limit = 200,
): TimelineLayout {
  const all = [...tasks.values()];
  const recent = all.slice(Math.max(0, all.length - limit)).reverse();
  if (recent.length === 0) return { from: now, to: now, bars: [] };
  let from = Number.POSITIVE_INFINITY;
  let to = 0;
  for (const t of recent) {
    from = Math.min(from, t.startedAt);
    const open = t.state === 'running' || t.socketOpen;
    to = Math.max(to, open ? now : (closedAt(t) ?? t.endedAt ?? t.lastActivityAt));
  }
  const span = Math.max(1, to - from);
  const pct = (at: number) => ((at - from) / span) * 100;
  const bars = recent.map((t): TimelineBar => {
    const end = t.endedAt ?? now;
    const connectionEnd = t.state === 'failed' ? (t.socketOpen ? now : (closedAt(t) ?? end)) : end;
    return {
      id: t.id,
      state: t.state,
      left: pct(t.startedAt),
      width: Math.max(0, pct(end) - pct(t.startedAt)),
      tailWidth: Math.max(0, pct(connectionEnd) - pct(end)),
      dangling: isDangling(t),
    };
  });
  return { from, to, bars };
}
