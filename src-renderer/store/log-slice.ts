import type { StateCreator } from 'zustand';
import type { EngineEvent } from '../../src-shared/events';
import type { AppState } from './app-store';

/** Events the log keeps; older ones fall off the front. */
export const LOG_CAPACITY = 5_000;

export interface LogSlice {
  /** The most recent events, oldest first, at most LOG_CAPACITY. */
  log: readonly EngineEvent[];
  /** While paused, the log view shows this frozen copy; recording goes on underneath. */
  logFrozen: readonly EngineEvent[] | null;
  setLogPaused: (paused: boolean) => void;
  clearLog: () => void;
}

export const createLogSlice: StateCreator<AppState, [], [], LogSlice> = (set) => ({
  log: [],
  logFrozen: null,
  setLogPaused: (paused) => set((s) => ({ logFrozen: paused ? s.log : null })),
  clearLog: () => set((s) => ({ log: [], logFrozen: s.logFrozen ? [] : null })),
});

export const selectLog = (s: LogSlice): readonly EngineEvent[] => s.log;

/** Appends a batch's events, keeping only the newest `capacity`. */
export function foldLog(
  prev: readonly EngineEvent[],
  events: readonly EngineEvent[],
  capacity = LOG_CAPACITY,
) {
  if (events.length === 0) return prev;
  if (events.length >= capacity) return events.slice(events.length - capacity);
  const overflow = prev.length + events.length - capacity;
  return (overflow > 0 ? prev.slice(overflow) : prev).concat(events);
}
