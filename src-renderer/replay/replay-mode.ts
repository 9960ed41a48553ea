import { useStore } from 'zustand';
import type { EchoscopeApi } from '../../src-shared/api';
import { readRecordingText } from '../../src-shared/recording/recording-reader';
import { appStore } from '../store/app-store';
import { syncStore } from '../store/store-sync';
import { findDesktopBridge } from '../transport/port-transport';
import { fetchReplay, type ReplayAnswer, ReplayController } from './replay-controller';
import { type ReplayState, replayStore } from './replay-store';

/** The page's replay: a recording the host serves, or one the page opened over its live session. */
export const replayController = new ReplayController(appStore, replayStore);

/** The page's session, once known. */
let session: EchoscopeApi | null = null;
/** Stops applying the live session's batches (set while the store follows the live session). */
let stopLive: (() => void) | null = null;
/** The recording the host serves instead of a live session (`web --replay`), if it does. */
let served: Extract<ReplayAnswer, { kind: 'replay' }> | null = null;

/** The store follows the live session: a snapshot first, then every batch (a resync, each time). */
function followLive(api: EchoscopeApi): void {
  stopLive?.();
  stopLive = syncStore(api, appStore);
}

/**
 * Live or replay, decided at load: the desktop app is always live first; the browser host is asked
 * once whether it serves a recording (`web --replay`). Either way, a recording can be opened over the
 * live session later (openRecordingText) and left again (backToLive).
 */
export function startLiveOrReplay(api: EchoscopeApi): void {
  session = api;
  // The link is shown in every mode: the Record toggle acts on the host even while a replay is shown.
  api.onLink((link) => appStore.getState().setLink(link));
  // The desktop app's File → Open reads a file in the main process and hands its text over.
  api.onOpenRecording((opened) => {
    if (opened.text !== null) openRecordingText(opened.file, opened.text);
    else replayStore.setState({ openError: { file: opened.file, message: opened.error } });
  });
  if (findDesktopBridge()) {
    replayStore.setState({ mode: 'live' });
    followLive(api);
    return;
  }
  void fetchReplay(window.location).then((answer) => {
    if (answer.kind === 'live') {
      replayStore.setState({ mode: 'live' });
      followLive(api);
      return;
    }
    served = answer;
    replayStore.setState({ servedFile: answer.file });
    replayController.load(answer.file, answer.text, answer.leftOut);
  });
}

/**
 * Shows a recording the page was given (a chosen file, one the host recorded, File → Open) in the same
 * views: live batches stop being applied while it is shown. A file that cannot be read changes nothing
 * but `openError`, which names the line; the live session goes on as it was. Returns whether it opened.
 */
export function openRecordingText(file: string, text: string): boolean {
  const read = readRecordingText(text);
  if (!read.ok) {
    replayStore.setState({ openError: { file, message: read.error.message } });
    return false;
  }
  stopLive?.();
  stopLive = null;
  replayController.show(file, read.recording, 'page');
  return true;
}

/**
 * Leaves a replay the page opened: the views are rebuilt from a fresh snapshot and follow the session
 * again; on a host that serves a recording instead of a live session, they go back to that recording.
 */
export function backToLive(): void {
  const { mode, source } = replayStore.getState();
  if (mode !== 'replay' || source !== 'page' || !session) return;
  if (served) {
    replayController.load(served.file, served.text, served.leftOut);
    return;
  }
  replayController.close();
  replayStore.setState({
    mode: 'live',
    source: 'host',
    file: '',
    recording: null,
    error: null,
    time: 0,
    duration: 0,
  });
  // The replay's history is not this session's: the log, selection and reports start afresh here.
  appStore.setState({
    log: [],
    selectedTaskId: null,
    stopReport: null,
    gcReport: null,
    lastSeq: 0,
    countersSeq: 0,
  });
  followLive(session);
}

/** Forgets the last open error (the user dismissed it). */
export function dismissOpenError(): void {
  replayStore.setState({ openError: null });
}

/** The replay's state as a hook; pass an atomic selector. */
export function useReplay<T>(selector: (state: ReplayState) => T): T {
  return useStore(replayStore, selector);
}

/** Why a control that acts on the server is disabled in a replay. */
export const REPLAY_REASON = 'This is a replay of a recording: there is no live server to act on';

/** Whether the page replays a recording (its controls of the server are then disabled). */
export function useReplaying(): boolean {
  return useReplay((s) => s.mode === 'replay');
}
