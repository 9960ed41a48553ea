import { useMemo } from 'react';
import { LOAD_NUMBER_BOUNDS } from '../../src-shared/load/load-contract';
import { checkLoadDraft, type LoadRequestKey } from '../../src-shared/load/load-request';
import { useCommand } from '../hooks/use-command';
import { editLoadDraft, loadStore, useLoad } from '../load/load-store';
import { useLoadStatus } from '../load/use-load-status';
import { REPLAY_REASON, useReplaying } from '../replay/replay-mode';
import { useAppStore } from '../store/app-store';
import { LoadProgress } from './LoadProgress';
import { LoadSummary } from './LoadSummary';

/** The form's fields in order: label, unit, and the stable test id of each input. */
const FIELDS: readonly { key: LoadRequestKey; label: string; unit: string; testId: string }[] = [
  { key: 'connections', label: 'Connections', unit: '', testId: 'load-connections' },
  { key: 'rate', label: 'Rate', unit: 'msg/s each', testId: 'load-rate' },
  { key: 'size', label: 'Size', unit: 'B', testId: 'load-size' },
  { key: 'durationS', label: 'Duration', unit: 's', testId: 'load-duration' },
  { key: 'crashFraction', label: 'Crash fraction', unit: '', testId: 'load-crash-fraction' },
];

function LoadField({ field, error }: { field: (typeof FIELDS)[number]; error: string | undefined }) {
  const value = useLoad((s) => s.draft[field.key]);
  const bounds = LOAD_NUMBER_BOUNDS[field.key];
  return (
    <label className="inline-field load-field" title={`${bounds.min} to ${bounds.max}`}>
      {field.label}
      <input
        className={`load-input load-input-${field.key}`}
        data-testid={field.testId}
        inputMode={bounds.whole ? 'numeric' : 'decimal'}
        value={value}
        aria-invalid={error !== undefined}
        onChange={(e) => editLoadDraft({ [field.key]: e.target.value })}
      />
      {field.unit ? <span className="muted">{field.unit}</span> : null}
    </label>
  );
}

/**
 * The load generator beside the built-in client: N connections to the running server at R messages a
 * second of B bytes for S seconds, a fraction F of them sending the crash word. The run happens in the
 * host's worker thread; this tab shows its figures live and its summary at the end.
 */
export function LoadPanel() {
  useLoadStatus();
  const draft = useLoad((s) => s.draft);
  const status = useLoad((s) => s.status);
  const replaying = useReplaying();
  const listening = useAppStore((s) => s.status.phase === 'listening');
  const crashWord = useAppStore((s) => s.status.settings?.crashWord ?? s.draft.crashWord);
  const checked = useMemo(() => checkLoadDraft(draft), [draft]);
  const starter = useCommand();
  const stopper = useCommand();
  const running = status.state === 'running';
  const errors = Object.values(checked.errors);
  const reason = replaying
    ? REPLAY_REASON
    : !listening
      ? 'Start the server to run a load against it.'
      : `Runs in a worker thread, outside the server's event loop; crashing connections send "${crashWord}".`;

  const start = async (): Promise<void> => {
    if (!checked.request) return;
    const result = await starter.run('startLoad', checked.request, () => null);
    if (result.ok) loadStore.setState({ status: result.value });
  };
  const stop = async (): Promise<void> => {
    const result = await stopper.run('stopLoad', {}, () => null);
    if (result.ok) loadStore.setState({ status: result.value });
  };

  return (
    <div className="load-panel" data-testid="load-panel">
      <form
        className="panel-toolbar load-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        {FIELDS.map((field) => (
          <LoadField key={field.key} field={field} error={checked.errors[field.key]} />
        ))}
        <button
          type="submit"
          className="button button-start"
          data-testid="load-start"
          disabled={replaying || !listening || running || !checked.request || starter.outcome.busy}
          title={replaying ? REPLAY_REASON : !listening ? 'Start the server first' : undefined}
        >
          Start load
        </button>
        <button
          type="button"
          className="button button-stop"
          data-testid="load-stop"
          disabled={status.state !== 'running' || status.stopping || stopper.outcome.busy}
          onClick={() => void stop()}
        >
          Stop
        </button>
        <span className="muted load-reason" data-testid="load-reason">
          {reason}
        </span>
      </form>
      <div className="load-body">
        {errors.length > 0 ? (
          <p className="inline-error load-form-error" role="alert" data-testid="load-form-error">
            {errors.join('; ')}
          </p>
        ) : null}
        {starter.outcome.failed || stopper.outcome.failed ? (
          <p className="inline-error load-form-error" role="alert" data-testid="load-command-error">
            {starter.outcome.failed ? starter.outcome.message : stopper.outcome.message}
          </p>
        ) : null}
        {status.state === 'idle' ? (
          <p className="empty">No load run yet.</p>
        ) : (
          <>
            <LoadProgress status={status} />
            {status.state === 'ended' ? <LoadSummary summary={status.summary} /> : null}
            {status.state === 'failed' ? (
              <p className="inline-error load-form-error" role="alert" data-testid="load-summary">
                Run {status.run} ended without a summary: {status.message}
              </p>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
