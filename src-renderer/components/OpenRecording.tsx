import { MAX_RECORDING_FILE_BYTES } from '../../src-shared/recording/recording-format';
import { formatBytes } from '../format/quantity';
import { dismissOpenError, openRecordingText, useReplay } from '../replay/replay-mode';
import { replayStore } from '../replay/replay-store';

/** Reads a chosen file in the page and shows it as a replay; a file that cannot be read is named with its line. */
async function openFile(file: File): Promise<void> {
  if (file.size > MAX_RECORDING_FILE_BYTES) {
    replayStore.setState({
      openError: {
        file: file.name,
        message: `It is ${formatBytes(file.size)}, more than the ${formatBytes(MAX_RECORDING_FILE_BYTES)} a recording may have`,
      },
    });
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    replayStore.setState({
      openError: { file: file.name, message: e instanceof Error ? e.message : 'It could not be read' },
    });
    return;
  }
  openRecordingText(file.name, text);
}

/** "Open recording…": any recording file, read in the page; the live session stays as it is until one opens. */
export function OpenRecording() {
  return (
    <label className="button button-secondary file-button" title="Replay a recording file in these views">
      Open recording…
      <input
        type="file"
        className="file-input"
        data-testid="open-recording"
        accept=".ndjson,application/x-ndjson,.json,.txt"
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          // Cleared, so choosing the same file again opens it again.
          input.value = '';
          if (file) void openFile(file);
        }}
      />
    </label>
  );
}

/** Why the last recording could not be opened; nothing else changed. */
export function OpenRecordingError() {
  const error = useReplay((s) => s.openError);
  if (!error) return null;
  return (
    <p className="server-error open-error" role="alert" data-testid="open-recording-error">
      Cannot open {error.file}: {error.message}. Nothing else changed.
      <button type="button" className="link-button" onClick={dismissOpenError}>
        Dismiss
      </button>
    </p>
  );
}
