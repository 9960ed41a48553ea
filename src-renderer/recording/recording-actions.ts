/**
 * What the page does with recordings: replay one the host made, and export the live session's recording
 * or the current replay as Chrome Trace Event JSON (built in the page with the shared converter).
 */
import type { EchoscopeApi } from '../../src-shared/api';
import { chromeTraceJson, recordingToTrace } from '../../src-shared/recording/chrome-trace';
import type { Recording } from '../../src-shared/recording/recording-format';
import { readRecordingText } from '../../src-shared/recording/recording-reader';
import { downloadBlob } from '../components/log-download';
import { openRecordingText } from '../replay/replay-mode';
import { replayStore } from '../replay/replay-store';
import { readHostRecording } from './host-recording';
import { recordingStore } from './recording-store';

/** Why the live session has nothing to export yet, and how to get something. */
export const NO_RECORDING_TO_EXPORT =
  'The live session has no recording yet: a trace needs every event, which only a recording keeps. Turn Record on, run the session, then export (or open a recording).';

/** Runs an action with its progress shown beside the controls, and its failure as the error. */
async function working(what: string, action: () => Promise<string | null>): Promise<void> {
  recordingStore.setState({ working: what, error: null });
  let error: string | null;
  try {
    error = await action();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  recordingStore.setState({ working: null, error });
}

/** Shows a recording the host made as a replay in the same views (Replay it). */
export function replayHostRecording(api: EchoscopeApi, file: string): Promise<void> {
  return working(`Reading ${file}…`, async () => {
    const read = await readHostRecording(api, file);
    if (!read.ok) return read.message;
    // A file the page cannot read shows its error beside Open recording, as any other.
    openRecordingText(file, read.text);
    return null;
  });
}

/** The file name a trace of `source` is saved under: `run.ndjson` → `run.trace.json`. */
export function traceFileName(source: string): string {
  const base = source.split(/[\\/]/).pop() || 'echoscope-recording';
  return `${base.replace(/\.ndjson$/i, '')}.trace.json`;
}

/** Saves a recording as Chrome Trace Event JSON (Perfetto, chrome://tracing). */
export function downloadTrace(recording: Recording, source: string): void {
  const trace = recordingToTrace(recording);
  downloadBlob(new Blob([...chromeTraceJson(trace)], { type: 'application/json' }), traceFileName(source));
}

/**
 * Export trace: the replay being shown, else the host's recording of the live session (the current one
 * as far as it is written, or the last one). Without either it says how to get one.
 */
export function exportTrace(api: EchoscopeApi): Promise<void> {
  const replay = replayStore.getState();
  if (replay.mode === 'replay' && replay.recording) {
    const { recording, file } = replay;
    return working('Building the trace…', async () => {
      downloadTrace(recording, file);
      return null;
    });
  }
  const file = recordingStore.getState().status?.file ?? null;
  if (file === null) {
    recordingStore.setState({ error: NO_RECORDING_TO_EXPORT });
    return Promise.resolve();
  }
  return working(`Reading ${file}…`, async () => {
    const text = await readHostRecording(api, file);
    if (!text.ok) return text.message;
    const read = readRecordingText(text.text);
    if (!read.ok) return `${file}: ${read.error.message}`;
    downloadTrace(read.recording, file);
    return null;
  });
}
