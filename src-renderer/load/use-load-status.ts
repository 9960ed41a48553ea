import { useEffect } from 'react';
import { useApi } from '../api-context';
import { useReplaying } from '../replay/replay-mode';
import { useAppStore } from '../store/app-store';
import { loadStore, useLoad } from './load-store';

/** How often the page asks for a running load's figures (the host has new ones every 500 ms). */
export const LOAD_POLL_MS = 500;

/**
 * Keeps the Load tab's status current while it is shown: asked once when the link is up (so a reload,
 * or a page opened mid-run, finds the run and its figures), then every LOAD_POLL_MS while a run lasts.
 * Nothing is asked in a replay: there is no live host behind it.
 */
export function useLoadStatus(): void {
  const api = useApi();
  const replaying = useReplaying();
  const linkOpen = useAppStore((s) => s.link === 'open');
  const running = useLoad((s) => s.status.state === 'running');
  useEffect(() => {
    if (replaying || !linkOpen) return;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async (): Promise<void> => {
      const result = await api.invoke('loadStatus', {});
      if (disposed) return;
      if (result.ok) loadStore.setState({ status: result.value });
      // A failed answer is asked again while a run was known to last (the link's own drop ends it all).
      const again = result.ok ? result.value.state === 'running' : running;
      if (again) timer = setTimeout(() => void ask(), LOAD_POLL_MS);
    };
    void ask();
    return () => {
      disposed = true;
      clearTimeout(timer);
    };
  }, [api, replaying, linkOpen, running]);
}
