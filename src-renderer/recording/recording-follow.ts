import type { EchoscopeApi } from '../../src-shared/api';
import { recordingStore } from './recording-store';

/** How often the page asks for the recording's state: often while it runs (elapsed, events, bytes). */
const ACTIVE_POLL_MS = 500;
const IDLE_POLL_MS = 2_000;
/** Refusals that mean this host cannot record at all (its answer will not change). */
const UNAVAILABLE_CODES = new Set(['no-recordings-folder', 'replay']);

/** Asks the host once and stores its answer. */
export async function refreshRecording(api: EchoscopeApi): Promise<void> {
  const result = await api.invoke('recordingStatus', {});
  if (result.ok) recordingStore.setState({ status: result.value, unavailable: null });
  else if (UNAVAILABLE_CODES.has(result.error.code))
    recordingStore.setState({ status: null, unavailable: result.error.message });
}

/**
 * Keeps the page's view of the host's recording current (another tab may toggle it; the size limit may
 * end it). Returns the function that stops following.
 */
export function followRecording(api: EchoscopeApi): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const tick = async (): Promise<void> => {
    await refreshRecording(api);
    if (stopped || recordingStore.getState().unavailable) return;
    const wait = recordingStore.getState().status?.active ? ACTIVE_POLL_MS : IDLE_POLL_MS;
    timer = setTimeout(() => void tick(), wait);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** Turns recording on or off; the answer is the new state, or an error shown beside the toggle. */
export async function toggleRecording(api: EchoscopeApi): Promise<void> {
  const active = recordingStore.getState().status?.active ?? false;
  recordingStore.setState({ busy: true, error: null });
  const result = await api.invoke(active ? 'stopRecording' : 'startRecording', {});
  if (result.ok) recordingStore.setState({ status: result.value, busy: false });
  else recordingStore.setState({ busy: false, error: result.error.message });
}
