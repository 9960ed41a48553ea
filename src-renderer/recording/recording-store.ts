import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { RecordingStatus } from '../../src-shared/recording/recording-control';

/** The host's Record toggle as this page knows it (polled: any page may turn it on or off). */
export interface RecordingState {
  /** The host's last answer; null until it gave one. */
  status: RecordingStatus | null;
  /** Why this host cannot record (no recordings folder, a replay host), from its refusal; else null. */
  unavailable: string | null;
  /** A start or stop is on its way. */
  busy: boolean;
  /** The last toggle's or action's error, in words. */
  error: string | null;
  /** What an action (Replay it, Export trace) is doing now, e.g. "Reading the recording…". */
  working: string | null;
}

export const recordingStore = createStore<RecordingState>()(() => ({
  status: null,
  unavailable: null,
  busy: false,
  error: null,
  working: null,
}));

/** The recording state as a hook; pass an atomic selector. */
export function useRecording<T>(selector: (state: RecordingState) => T): T {
  return useStore(recordingStore, selector);
}
