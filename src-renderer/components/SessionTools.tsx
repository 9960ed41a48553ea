import { useApi } from '../api-context';
import { exportTrace } from '../recording/recording-actions';
import { useRecording } from '../recording/recording-store';
import { OpenRecording, OpenRecordingError } from './OpenRecording';
import { RecordControl } from './RecordControl';

/** The session as data: Record, Open recording…, Export trace, and what they are doing or why they failed. */
export function SessionTools() {
  const api = useApi();
  const working = useRecording((s) => s.working);
  const error = useRecording((s) => s.error);
  return (
    <section className="session-tools" aria-label="Recording, replay and trace export">
      <RecordControl />
      <div className="session-tools-files">
        <OpenRecording />
        <button
          type="button"
          className="button button-secondary"
          data-testid="export-trace"
          disabled={working !== null}
          title="Chrome Trace Event JSON (Perfetto, chrome://tracing) of the replay shown, else of the host's recording"
          onClick={() => void exportTrace(api)}
        >
          Export trace
        </button>
      </div>
      {working ? (
        <p className="session-working" data-testid="session-working">
          {working}
        </p>
      ) : null}
      {error ? (
        <p className="server-error" role="alert" data-testid="session-error">
          {error}
        </p>
      ) : null}
      <OpenRecordingError />
    </section>
  );
}
