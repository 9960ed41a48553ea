import { useStore } from 'zustand';
import type { EchoscopeApi } from '../../src-shared/api';
import { appStore } from '../store/app-store';
import { syncStore } from '../store/store-sync';
import { findDesktopBridge } from '../transport/port-transport';
import { fetchReplay, ReplayController } from './replay-controller';
import { type ReplayState, replayStore } from './replay-store';

/** The page's replay, when the host serves a recording. */
export const replayController = new ReplayController(appStore, replayStore);

/**
 * Live or replay: the desktop app is always live; the browser host is asked once whether it serves a
 * recording. Live: the store follows the session as before. Replay: the store follows the recording.
 */
export function startLiveOrReplay(api: EchoscopeApi): void {
  if (findDesktopBridge()) {
    replayStore.setState({ mode: 'live' });
    syncStore(api, appStore);
    return;
  }
  void fetchReplay(window.location).then((answer) => {
    if (answer.kind === 'live') {
      replayStore.setState({ mode: 'live' });
      syncStore(api, appStore);
      return;
    }
    api.onLink((link) => appStore.getState().setLink(link));
    replayController.load(answer.file, answer.text, answer.leftOut);
  });
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
