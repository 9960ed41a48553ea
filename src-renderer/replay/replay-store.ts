import { createStore } from 'zustand/vanilla';
import type { Recording } from '../../src-shared/recording/recording-format';
import type { RecordingError } from '../../src-shared/recording/recording-reader';

/** Playback speeds the replay bar offers (× the recorded pace). */
export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 50] as const;

export interface ReplayState {
  /** 'detecting' until the host said whether it serves a recording; then 'live' or 'replay'. */
  mode: 'detecting' | 'live' | 'replay';
  /** The replayed file as the host named it. */
  file: string;
  recording: Recording | null;
  /** Why the served recording could not be read at all (replay mode, nothing to show). */
  error: RecordingError | null;
  /** Where the views are, in ms since the recording started. */
  time: number;
  /** The recording's length in ms (its last event or its ending notice). */
  duration: number;
  playing: boolean;
  speed: number;
}

export function initialReplayState(): ReplayState {
  return {
    mode: 'detecting',
    file: '',
    recording: null,
    error: null,
    time: 0,
    duration: 0,
    playing: false,
    speed: 1,
  };
}

export const replayStore = createStore<ReplayState>()(() => initialReplayState());
