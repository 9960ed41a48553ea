import { createStore } from 'zustand/vanilla';
import type { Recording } from '../../src-shared/recording/recording-format';
import type { RecordingError } from '../../src-shared/recording/recording-reader';

/** Playback speeds the replay bar offers (× the recorded pace). */
export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 50] as const;

export interface ReplayState {
  /** 'detecting' until the host said whether it serves a recording; then 'live' or 'replay'. */
  mode: 'detecting' | 'live' | 'replay';
  /**
   * Who chose the replay: the host serves one instead of a live session (`web --replay`: there is no
   * live to go back to), or the page opened one over its live session (Open recording, Replay it,
   * File → Open), which can go back to live.
   */
  source: 'host' | 'page';
  /** The recording the host serves instead of a live session (`web --replay`), to go back to; else null. */
  servedFile: string | null;
  /** The replayed file as it was named. */
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
  /** Why the last recording the page tried to open could not be shown (the views are untouched). */
  openError: { file: string; message: string } | null;
}

export function initialReplayState(): ReplayState {
  return {
    mode: 'detecting',
    source: 'host',
    servedFile: null,
    file: '',
    recording: null,
    error: null,
    time: 0,
    duration: 0,
    playing: false,
    speed: 1,
    openError: null,
  };
}

export const replayStore = createStore<ReplayState>()(() => initialReplayState());
