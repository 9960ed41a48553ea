import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type ClientInputSlice, createClientInputSlice } from './client-input-slice';
import { type ClientsSlice, createClientsSlice } from './clients-slice';
import { createLogSlice, type LogSlice } from './log-slice';
import { createServerSlice, type ServerSlice } from './server-slice';
import { createTasksSlice, type TasksSlice } from './tasks-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createWarningsSlice, type WarningsSlice } from './warnings-slice';

export type AppState = ServerSlice &
  TasksSlice &
  LogSlice &
  ClientsSlice &
  ClientInputSlice &
  WarningsSlice &
  UiSlice;
export type AppStore = StoreApi<AppState>;

/** A fresh store made of every slice (tests make their own; the app uses `appStore`). */
export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createServerSlice(...a),
    ...createTasksSlice(...a),
    ...createLogSlice(...a),
    ...createClientsSlice(...a),
    ...createClientInputSlice(...a),
    ...createWarningsSlice(...a),
    ...createUiSlice(...a),
  }));
}

export const appStore = createAppStore();

/** The app's store as a hook; pass an atomic selector. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
