import type { StateCreator } from 'zustand';
import type { EngineEventKind } from '../../src-shared/events';
import type { AppState } from './app-store';
import { loadDraft, type SettingsDraft, saveDraft } from './settings-draft';

export type TaskStateFilter = 'all' | 'running' | 'failed' | 'cancelled' | 'completed' | 'dangling';
export type SortDirection = 'asc' | 'desc';
export type BottomTab = 'clients' | 'load' | 'log' | 'warnings' | 'timeline';

export interface UiSlice {
  draft: SettingsDraft;
  /** The task the user picked; while null, the detail pane follows the newest crash. */
  selectedTaskId: number | null;
  /** The crash whose notice the user closed (a newer crash is announced again). */
  dismissedCrashId: number | null;
  taskStateFilter: TaskStateFilter;
  taskText: string;
  /** The table's order: a sortable column's sort key (see task-columns.tsx) and direction. */
  taskSort: { key: string; dir: SortDirection };
  bottomTab: BottomTab;
  logKind: EngineEventKind | 'all';
  logTaskId: string;
  editDraft: (patch: Partial<SettingsDraft>) => void;
  selectTask: (id: number | null) => void;
  dismissCrash: (id: number) => void;
  setTaskStateFilter: (filter: TaskStateFilter) => void;
  setTaskText: (text: string) => void;
  /** Sorts by `key`, first in `firstDir`; choosing the current key again flips the direction. */
  sortTasksBy: (key: string, firstDir: SortDirection) => void;
  setBottomTab: (tab: BottomTab) => void;
  setLogKind: (kind: EngineEventKind | 'all') => void;
  setLogTaskId: (text: string) => void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  draft: loadDraft(),
  selectedTaskId: null,
  dismissedCrashId: null,
  taskStateFilter: 'all',
  taskText: '',
  taskSort: { key: 'id', dir: 'desc' },
  bottomTab: 'clients',
  logKind: 'all',
  logTaskId: '',
  editDraft: (patch) =>
    set((s) => {
      const draft = { ...s.draft, ...patch };
      saveDraft(draft);
      // The last start error was about the old values.
      return { draft, serverError: null };
    }),
  selectTask: (selectedTaskId) => set({ selectedTaskId }),
  dismissCrash: (dismissedCrashId) => set({ dismissedCrashId }),
  setTaskStateFilter: (taskStateFilter) => set({ taskStateFilter }),
  setTaskText: (taskText) => set({ taskText }),
  sortTasksBy: (key, firstDir) =>
    set((s) => ({
      taskSort:
        s.taskSort.key === key
          ? { key, dir: s.taskSort.dir === 'asc' ? 'desc' : 'asc' }
          : { key, dir: firstDir },
    })),
  setBottomTab: (bottomTab) => set({ bottomTab }),
  setLogKind: (logKind) => set({ logKind }),
  setLogTaskId: (logTaskId) => set({ logTaskId }),
});
