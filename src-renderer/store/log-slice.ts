import type { StateCreator } from 'zustand';
import type { EngineEvent } from '../../src-shared/events';
import { RETENTION } from '../../src-shared/retention';
import type { AppState } from './app-store';

export interface LogSlice {
  /** The most recent events, oldest first, at most RETENTION.log. */
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

/** Appends a batch's events, keeping only the newest `limit` (a new array; `prev` is never changed). */
export function foldLog(prev: readonly EngineEvent[], events: readonly EngineEvent[], limit = RETENTION.log) {
  if (events.length === 0) return prev;
  if (events.length >= limit) return events.slice(events.length - limit);
  const overflow = prev.length + events.length - limit;
  return (overflow > 0 ? prev.slice(overflow) : prev).concat(events);
}
