import { useEffect } from 'react';
import type { RecordingStatus } from '../../src-shared/recording/recording-control';
import { RECORDINGS_DOWNLOAD_PATH } from '../../src-shared/recording/recording-control';
import { TOKEN_PARAM } from '../../src-shared/ws-protocol';
import { useApi } from '../api-context';
import { formatBytes, formatCount } from '../format/quantity';
import { formatDuration } from '../format/time';
import { replayHostRecording } from '../recording/recording-actions';
import { followRecording, toggleRecording } from '../recording/recording-follow';
import { useRecording } from '../recording/recording-store';
import { useAppStore } from '../store/app-store';

/** The browser host's download URL of a recording it made (the page's token is required). */
function downloadUrl(file: string): string {
  const token = new URLSearchParams(window.location.search).get(TOKEN_PARAM) ?? '';
  return `${RECORDINGS_DOWNLOAD_PATH}${file}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/** One line on the recording: running (elapsed, events, bytes of the limit) or how the last one ended. */
function describe(status: RecordingStatus): string {
  const size = `${formatBytes(status.bytes)} of ${formatBytes(status.limitBytes)}`;
  const counts = `${formatCount(status.events)} events, ${size}`;
  if (status.active) return `Recording ${formatDuration(status.elapsedMs)} · ${counts}`;
  const missed =
    status.eventsNotRecorded > 0 ? `; ${formatCount(status.eventsNotRecorded)} more came after` : '';
  if (status.stoppedBy === 'size-limit')
    return `${status.message ?? 'Stopped at its size limit'} (${counts}${missed})`;
  if (status.stoppedBy === 'error') return `${status.message ?? 'Recording failed'} (${counts})`;
  return `Recorded ${formatDuration(status.elapsedMs)} · ${counts}`;
}

/**
 * The Record toggle: the host writes every event into a new file of its recordings folder (never the
 * page, which may drop events under load). Shows how it goes, and afterwards where the file is, a way
 * to get it, and Replay it.
 */
export function RecordControl() {
  const api = useApi();
  const status = useRecording((s) => s.status);
  const unavailable = useRecording((s) => s.unavailable);
  const busy = useRecording((s) => s.busy);
  const link = useAppStore((s) => s.link);
  useEffect(() => followRecording(api), [api]);
  const active = status?.active ?? false;
  const ended = status !== null && !active && status.file !== null;
  return (
    <div className="record-control">
      <button
        type="button"
        className={`button record-toggle${active ? ' record-toggle-on' : ''}`}
        data-testid="record-toggle"
        aria-pressed={active}
        disabled={busy || unavailable !== null || link !== 'open'}
        title={
          unavailable ??
          (active
            ? 'Stop recording: the file gets its end notice'
            : 'Record every event the host sees from now on into a new file')
        }
        onClick={() => void toggleRecording(api)}
      >
        <span className="record-dot" aria-hidden="true" />
        {active ? 'Stop recording' : 'Record'}
      </button>
      {status?.file ? (
        <output
          className={`record-status${status.stoppedBy === 'size-limit' || status.stoppedBy === 'error' ? ' record-status-alert' : ''}`}
          data-testid="record-status"
          data-active={active}
          data-stopped-by={status.stoppedBy ?? ''}
          title={status.path ?? undefined}
        >
          {describe(status)}
          {active && status.startedMidRun ? (
            <span className="record-note"> — began mid-run: tasks accepted before it are not in it</span>
          ) : null}
        </output>
      ) : null}
      {ended ? <RecordingActions status={status} /> : null}
    </div>
  );
}

/** After a recording: the file (a download in a browser, its path in the desktop app) and Replay it. */
function RecordingActions({ status }: { status: RecordingStatus }) {
  const api = useApi();
  const working = useRecording((s) => s.working);
  const file = status.file!;
  return (
    <span className="record-actions">
      {api.host === 'web' ? (
        <a
          className="record-file"
          data-testid="record-download"
          href={downloadUrl(file)}
          download={file}
          title={`Saved on the host as ${status.path}`}
        >
          {file}
        </a>
      ) : (
        <span className="record-file" data-testid="record-path">
          Saved to <code>{status.path}</code>
        </span>
      )}
      <button
        type="button"
        className="button button-secondary"
        data-testid="record-replay"
        disabled={working !== null}
        onClick={() => void replayHostRecording(api, file)}
      >
        Replay it
      </button>
    </span>
  );
}
