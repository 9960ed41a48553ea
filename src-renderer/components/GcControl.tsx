import { describeGc } from '../format/gc-report';
import { useCommand } from '../hooks/use-command';
import { useAppStore } from '../store/app-store';

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
