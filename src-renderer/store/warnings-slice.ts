import type { StateCreator } from 'zustand';
import type { WarningView } from '../../src-shared/commands';
import { warningFromEvent } from '../../src-shared/counters';
import { type EngineEvent, startsRun } from '../../src-shared/events';
import { keepNewest, RETENTION } from '../../src-shared/retention';
import type { AppState } from './app-store';

export interface WarningsSlice {
  warnings: readonly WarningView[];
}

export const createWarningsSlice: StateCreator<AppState, [], [], WarningsSlice> = () => ({
  warnings: [],
});

/** Adds a warning per 'unretrieved' event; a new run (startsRun) starts afresh. */
export function foldWarnings(
  prev: readonly WarningView[],
  events: readonly EngineEvent[],
  limit = RETENTION.warnings,
): readonly WarningView[] {
  let warnings: WarningView[] | null = null;
  for (const e of events) {
    if (startsRun(e)) warnings = [];
    if (e.kind !== 'unretrieved') continue;
    warnings ??= prev.slice();
    warnings.push(warningFromEvent(e));
  }
  if (warnings) keepNewest(warnings, limit);
  return warnings ?? prev;
}
