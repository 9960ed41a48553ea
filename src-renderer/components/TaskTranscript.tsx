import { base64ToBytes } from '../../src-shared/base64';
import { PREVIEW_BYTES } from '../../src-shared/events';
import { formatPayload } from '../../src-shared/payload-notation';
import type { TranscriptEntry } from '../../src-shared/task-view';
import { formatBytes } from '../format/quantity';
import { formatClock } from '../format/time';

/** The task's recent data, newest first, each chunk as text (non-printable bytes as \xNN) and as hex. */
export function TaskTranscript({ entries }: { entries: readonly TranscriptEntry[] }) {
  if (entries.length === 0) return <p className="muted">No data received yet.</p>;
  return (
    <ol className="transcript" data-testid="detail-transcript">
      {entries
        .slice()
        .reverse()
        .map((entry, i) => {
          const bytes = base64ToBytes(entry.preview);
          return (
            <li key={`${entry.at}-${i}`} className="transcript-entry" data-testid="transcript-entry">
              <div className="transcript-meta mono">
                <span>{formatClock(entry.at)}</span>
                <span className="transcript-dir">{entry.direction === 'in' ? '← received' : '→ sent'}</span>
                <span>
                  {formatBytes(entry.bytes)}
                  {entry.bytes > PREVIEW_BYTES ? ` (first ${PREVIEW_BYTES} B shown)` : ''}
                </span>
              </div>
              <pre className="transcript-text" data-testid="transcript-text">
                {formatPayload(bytes, 'text')}
              </pre>
              <pre className="transcript-hex" data-testid="transcript-hex">
                {formatPayload(bytes, 'hex')}
              </pre>
            </li>
          );
        })}
    </ol>
  );
}
