/**
 * Replay mode: when the host serves a recording (`echoscope web --replay FILE`), the page's views are
 * driven from it instead of the live session. The shared ReplayCursor folds the recording to a moment
 * and yields a Snapshot; the store takes it with the same `applySnapshot` a live resync uses, so every
 * view shows the recording's state at that instant. No reducer of its own.
 */
import type { StoreApi } from 'zustand/vanilla';
import {
  REPLAY_FILE_HEADER,
  REPLAY_PATH,
  REPLAY_PROBLEMS_HEADER,
  type Recording,
  type RecordingProblem,
} from '../../src-shared/recording/recording-format';
import { readRecordingText } from '../../src-shared/recording/recording-reader';
import { ReplayCursor } from '../../src-shared/recording/replay-state';
import { RETENTION } from '../../src-shared/retention';
import { TOKEN_PARAM } from '../../src-shared/ws-protocol';
import type { AppStore } from '../store/app-store';
import { applySnapshot } from '../store/batch-apply';
import type { ReplayState } from './replay-store';

/** What the host answered at REPLAY_PATH: no recording (live), or its text and file name. */
export type ReplayAnswer =
  | { kind: 'live' }
  | { kind: 'replay'; file: string; text: string; leftOut: LeftOut };

/** Lines the host left out of the file before serving it (the served text holds only checked lines). */
export interface LeftOut {
  count: number;
  problems: RecordingProblem[];
}

/** Reads REPLAY_PROBLEMS_HEADER; anything unexpected there reads as nothing left out. */
export function parseLeftOut(value: string | null): LeftOut {
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(value ?? ''));
    if (typeof parsed !== 'object' || parsed === null) return { count: 0, problems: [] };
    const { count, problems } = parsed as { count?: unknown; problems?: unknown };
    const list = Array.isArray(problems)
      ? problems.filter(
          (p): p is RecordingProblem =>
            typeof p === 'object' &&
            p !== null &&
            typeof p.line === 'number' &&
            typeof p.message === 'string',
        )
      : [];
    return { count: typeof count === 'number' && count >= list.length ? count : list.length, problems: list };
  } catch {
    return { count: 0, problems: [] };
  }
}

/** Asks the page's host whether it serves a recording (200) or not (204; 404 from an older host). */
export async function fetchReplay(location: Location, fetchFn: typeof fetch = fetch): Promise<ReplayAnswer> {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  try {
    const res = await fetchFn(`${REPLAY_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, {
      cache: 'no-store',
    });
    if (res.status !== 200) return { kind: 'live' };
    const file = decodeURIComponent(res.headers.get(REPLAY_FILE_HEADER) ?? 'the recording');
    const leftOut = parseLeftOut(res.headers.get(REPLAY_PROBLEMS_HEADER));
    return { kind: 'replay', file, text: await res.text(), leftOut };
  } catch {
    return { kind: 'live' };
  }
}

/**
 * The recording's length in ms from its start: its last event, or its ending notice if later. Rounded up
 * to a whole ms: the scrubber moves in whole ms, and its last position must still include the last event
 * (events are stamped in fractions of a ms; a recording cut off by a crash ends on one).
 */
export function recordingDuration(recording: Recording): number {
  const last = recording.events.at(-1)?.at ?? recording.header.startedAt;
  const end = Math.max(last, recording.ending?.at ?? last);
  return Math.max(0, Math.ceil(end - recording.header.startedAt));
}

const TICK_MS = 100;

/** Drives the app store from a recording: seek, play, pause, speed. */
export class ReplayController {
  private cursor: ReplayCursor | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly app: AppStore,
    private readonly replay: StoreApi<ReplayState>,
  ) {}

  /** Reads the served text; shows the recording at its end, or why it could not be read. */
  load(file: string, text: string, leftOut: LeftOut = { count: 0, problems: [] }): void {
    const read = readRecordingText(text);
    if (!read.ok) {
      this.replay.setState({ mode: 'replay', source: 'host', file, error: read.error, recording: null });
      return;
    }
    // The host's problems name the file's lines; the served text's own (none, normally) come after.
    this.show(file, {
      ...read.recording,
      problems: [...leftOut.problems, ...read.recording.problems],
      problemCount: leftOut.count + read.recording.problemCount,
    });
  }

  /** Drives the views from a recording already read, shown at its end. */
  show(file: string, recording: Recording, source: ReplayState['source'] = 'host'): void {
    this.pause();
    this.cursor = new ReplayCursor(recording.events, recording.header);
    const duration = recordingDuration(recording);
    this.replay.setState({
      mode: 'replay',
      source,
      file,
      recording,
      error: null,
      openError: null,
      duration,
      time: 0,
    });
    this.seek(duration);
  }

  /** Lets the recording go (back to live): playback stops and the cursor is dropped. */
  close(): void {
    this.pause();
    this.cursor = null;
  }

  /** Every view to the state at `time` ms after the recording started. */
  seek(time: number): void {
    const { recording, duration } = this.replay.getState();
    if (!recording || !this.cursor) return;
    const at = Math.max(0, Math.min(duration, time));
    this.cursor.seekTime(recording.header.startedAt + at);
    const position = this.cursor.position;
    const state = this.app.getState();
    this.app.setState({
      ...applySnapshot(state, this.cursor.snapshot()),
      log: recording.events.slice(Math.max(0, position - RETENTION.log), position),
    });
    this.replay.setState({ time: at });
  }

  play(): void {
    const { duration, time } = this.replay.getState();
    if (this.timer) return;
    if (time >= duration) this.seek(0);
    this.replay.setState({ playing: true });
    this.timer = setInterval(() => {
      const s = this.replay.getState();
      const next = s.time + TICK_MS * s.speed;
      this.seek(next);
      if (next >= s.duration) this.pause();
    }, TICK_MS);
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.replay.setState({ playing: false });
  }

  setSpeed(speed: number): void {
    this.replay.setState({ speed });
  }
}
