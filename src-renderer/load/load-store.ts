import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { LOAD_DEFAULTS, type LoadStatus } from '../../src-shared/load/load-contract';
import { LOAD_REQUEST_KEYS, type LoadDraft } from '../../src-shared/load/load-request';

/** The Load tab's state: the form as typed (kept while other tabs show) and the host's newest status. */
export interface LoadState {
  draft: LoadDraft;
  status: LoadStatus;
}

/** The form starts at the CLI's defaults. */
function defaultDraft(): LoadDraft {
  const draft = {} as LoadDraft;
  for (const key of LOAD_REQUEST_KEYS) draft[key] = String(LOAD_DEFAULTS[key]);
  return draft;
}

export const loadStore = createStore<LoadState>()(() => ({
  draft: defaultDraft(),
  status: { state: 'idle' },
}));

/** Changes one field of the form. */
export function editLoadDraft(patch: Partial<LoadDraft>): void {
  loadStore.setState((s) => ({ draft: { ...s.draft, ...patch } }));
}

/** The Load tab's state as a hook; pass an atomic selector. */
export function useLoad<T>(selector: (state: LoadState) => T): T {
  return useStore(loadStore, selector);
}
