import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { LoadStatus } from '../../src-shared/load/load-contract';
import type { LoadDraft } from '../../src-shared/load/load-request';
import { loadLoadDraft, saveLoadDraft } from './load-draft-storage';

/** The Load tab's state: the form as typed (kept while other tabs show) and the host's newest status. */
export interface LoadState {
  draft: LoadDraft;
  status: LoadStatus;
}

export const loadStore = createStore<LoadState>()(() => ({
  draft: loadLoadDraft(),
  status: { state: 'idle' },
}));

/** Changes fields of the form (and remembers them for the next visit). */
export function editLoadDraft(patch: Partial<LoadDraft>): void {
  const draft = { ...loadStore.getState().draft, ...patch };
  saveLoadDraft(draft);
  loadStore.setState({ draft });
}

/** The Load tab's state as a hook; pass an atomic selector. */
export function useLoad<T>(selector: (state: LoadState) => T): T {
  return useStore(loadStore, selector);
}
