import { useCommand } from '../hooks/use-command';
import { useAppStore } from '../store/app-store';
import type { GcReport } from '../store/server-slice';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a gc-run did, in one sentence: "1 task finalized: warning reported, connection closed". */
export function describeGc(report: GcReport): string {
  if (!report.available) return 'gc() is not available in this runtime; nothing was collected.';
  if (report.finalized === 0) return 'Nothing finalized: no failed task was waiting to be collected.';
  const one = report.finalized === 1;
  const warnings =
    one && report.warnings === 1 ? 'warning reported' : `${plural(report.warnings, 'warning')} reported`;
  const closed =
    report.closed === 0
      ? 'no connection was still open'
      : one && report.closed === 1
        ? 'connection closed'
        : `${plural(report.closed, 'connection')} closed`;
  return `${plural(report.finalized, 'task')} finalized: ${warnings}, ${closed}`;
}

/** "Collect garbage now", the CPython/V8 note, and what the last collection did. */
export function GcControl() {
  const gcAvailable = useAppStore((s) => s.status.gcAvailable);
  const report = useAppStore((s) => s.gcReport);
  const { outcome, run } = useCommand();
  return (
    <div className="gc-control">
      <div className="gc-row">
        <button
          type="button"
          className="button button-secondary"
          data-testid="gc-button"
          disabled={!gcAvailable || outcome.busy}
          aria-describedby={gcAvailable ? 'gc-note' : 'gc-unavailable'}
          onClick={() => void run('collectGarbage', {}, () => null)}
        >
          {outcome.busy ? 'Collecting…' : 'Collect garbage now'}
        </button>
        {gcAvailable ? null : (
          <span className="gc-unavailable" id="gc-unavailable" data-testid="gc-unavailable">
            Unavailable: this host was started without <code>--expose-gc</code>, so garbage collection cannot
            be forced.
          </span>
        )}
        {report ? (
          <span
            className={`gc-result${report.finalized > 0 ? ' gc-result-hit' : ''}`}
            data-testid="gc-result"
          >
            {describeGc(report)}
          </span>
        ) : null}
        {outcome.failed ? (
          <span className="inline-error" role="alert" data-testid="gc-error">
            {outcome.message}
          </span>
        ) : null}
      </div>
      <p className="gc-note" id="gc-note" data-testid="gc-note">
        CPython frees the task at once by reference counting, so there the warning and the EOF come
        immediately; V8 collects later.
      </p>
    </div>
  );
}
