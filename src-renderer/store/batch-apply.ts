import type { Snapshot } from '../../src-shared/commands';
import { type EventBatch, startsRun } from '../../src-shared/events';
import type { AppState } from './app-store';
import { clientsFromSnapshot, foldClients } from './clients-slice';
import { foldLog } from './log-slice';
import { foldServer, serverFromSnapshot } from './server-slice';
import { foldNewestCrash, KeptTasks, newestCrashOf } from './tasks-slice';
import { foldWarnings } from './warnings-slice';

/**
 * Everything one batch changes, across every slice, for ONE `setState`. Events at or below the
 * store's `lastSeq` are already in it (from a snapshot or an earlier batch) and are skipped.
 */
export function applyBatch(state: AppState, batch: EventBatch): Partial<AppState> {
  const first = batch.events[0];
  const events =
    first && first.seq > state.lastSeq ? batch.events : batch.events.filter((e) => e.seq > state.lastSeq);
  const restarted = events.some(startsRun);
  return {
    ...foldServer(state, events, batch),
    tasks: KeptTasks.fold(state.tasks, events),
    newestCrashId: foldNewestCrash(state.newestCrashId, events),
    log: foldLog(state.log, events),
    clients: foldClients(state.clients, events),
    warnings: foldWarnings(state.warnings, events),
    selectedTaskId: restarted ? null : state.selectedTaskId,
  };
}

/** The whole synced state rebuilt from a snapshot (the log and the drop count are this page's own history). */
export function applySnapshot(state: AppState, snapshot: Snapshot): Partial<AppState> {
  const tasks = KeptTasks.fromSnapshot(snapshot);
  const selected = state.selectedTaskId;
  return {
    ...serverFromSnapshot(snapshot),
    tasks,
    newestCrashId: newestCrashOf(tasks.values()),
    clients: clientsFromSnapshot(snapshot),
    warnings: snapshot.warnings,
    selectedTaskId: selected !== null && tasks.has(selected) ? selected : null,
    synced: true,
  };
}
