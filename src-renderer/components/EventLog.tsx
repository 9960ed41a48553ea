import { useMemo, useRef } from 'react';
import { EVENT_KINDS } from '../../src-shared/event-kinds';
import type { EngineEvent, EngineEventKind } from '../../src-shared/events';
import { RETENTION } from '../../src-shared/retention';
import { eventSubject, summarizeEvent } from '../format/event-summary';
import { formatCount } from '../format/quantity';
import { formatClock } from '../format/time';
import { useFixedRowWindow } from '../hooks/use-fixed-row-window';
import { useThrottledStoreValue } from '../hooks/use-throttled-store-value';
import { appStore, useAppStore } from '../store/app-store';
import { selectLog } from '../store/log-slice';
import { downloadEvents } from './log-download';

const ROW_HEIGHT = 24;
const OVERSCAN = 20;
/** Nobody reads faster than this; a flood of batches must not re-render the log 60 times a second. */
const LOG_REFRESH_MS = 100;

function matches(e: EngineEvent, kind: EngineEventKind | 'all', taskId: number | null): boolean {
  if (kind !== 'all' && e.kind !== kind) return false;
  return taskId === null || ('taskId' in e && e.taskId === taskId);
}

/** The newest events first, from a bounded buffer; pausing freezes the view while recording goes on. */
export function EventLog() {
  // Heard through a throttled subscription: the log does not render per batch at all.
  const live = useThrottledStoreValue(selectLog, LOG_REFRESH_MS);
  const frozen = useAppStore((s) => s.logFrozen);
  const kind = useAppStore((s) => s.logKind);
  const taskText = useAppStore((s) => s.logTaskId);
  const { setLogPaused, setLogKind, setLogTaskId, clearLog, selectTask } = appStore.getState();
  const shown = frozen ?? live;
  const taskId = /^\d+$/.test(taskText.trim()) ? Number(taskText.trim()) : null;
  const rows = useMemo(() => {
    const out: EngineEvent[] = [];
    for (let i = shown.length - 1; i >= 0; i--) if (matches(shown[i]!, kind, taskId)) out.push(shown[i]!);
    return out;
  }, [shown, kind, taskId]);
  const newSincePause = frozen
    ? (live[live.length - 1]?.seq ?? 0) - (frozen[frozen.length - 1]?.seq ?? 0)
    : 0;
  const scroller = useRef<HTMLDivElement>(null);
  const { start, end, totalHeight } = useFixedRowWindow(scroller, rows.length, ROW_HEIGHT, OVERSCAN);

  return (
    <div className="event-log" data-testid="event-log">
      <div className="panel-toolbar">
        <button
          type="button"
          className={`button button-small${frozen ? ' button-active' : ''}`}
          data-testid="log-pause"
          aria-pressed={frozen !== null}
          onClick={() => setLogPaused(frozen === null)}
        >
          {frozen ? 'Resume' : 'Pause'}
        </button>
        <select
          aria-label="Filter by event kind"
          data-testid="log-kind"
          value={kind}
          onChange={(e) => setLogKind(e.target.value as EngineEventKind | 'all')}
        >
          <option value="all">all kinds</option>
          {EVENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <input
          className="count-input log-task-input"
          placeholder="task id"
          aria-label="Filter by task id"
          data-testid="log-task-id"
          value={taskText}
          onChange={(e) => setLogTaskId(e.target.value)}
        />
        <button
          type="button"
          className="button button-small button-secondary"
          data-testid="log-clear"
          onClick={clearLog}
        >
          Clear
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          data-testid="log-export"
          disabled={shown.length === 0}
          title="Saves the events kept in this log (oldest first) as NDJSON"
          onClick={() => downloadEvents(shown)}
        >
          Export NDJSON
        </button>
        <span className="muted" data-testid="log-status">
          {frozen
            ? `Paused — ${formatCount(newSincePause)} newer events not shown`
            : `${formatCount(rows.length)} of the last ${formatCount(RETENTION.log)} events`}
        </span>
      </div>
      <div className="log-body" ref={scroller}>
        <div className="table-canvas" style={{ height: totalHeight }}>
          {rows.slice(start, end).map((e, i) => (
            <div
              key={e.seq}
              className={`log-row log-${e.kind}`}
              data-testid="log-row"
              data-kind={e.kind}
              style={{ transform: `translateY(${(start + i) * ROW_HEIGHT}px)` }}
            >
              <span className="mono muted">{formatClock(e.at)}</span>
              <span className="mono muted">{e.seq}</span>
              <span className={`log-kind kind-${e.kind}`}>{e.kind}</span>
              {'taskId' in e ? (
                <button type="button" className="link-button mono" onClick={() => selectTask(e.taskId)}>
                  {eventSubject(e)}
                </button>
              ) : (
                <span className="mono">{eventSubject(e)}</span>
              )}
              <span className="mono log-summary">{summarizeEvent(e)}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
