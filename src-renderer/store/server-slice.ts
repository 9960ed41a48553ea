import type { StateCreator } from 'zustand';
import type { LinkState } from '../../src-shared/api';
import { foldAttachState } from '../../src-shared/attached-process';
import type { ServerStatus, Snapshot, StopReport } from '../../src-shared/commands';
import { zeroCounters } from '../../src-shared/counters';
import type { Counters, EngineEvent, EventBatch } from '../../src-shared/events';
import type { AppState } from './app-store';

/** What the last "Collect garbage now" did, as the lesson bar reports it. */
export interface GcReport {
  at: number;
  available: boolean;
  finalized: number;
  /** Never-retrieved warnings reported by the tasks this collection finalized. */
  warnings: number;
  /** Dangling connections closed by the tasks this collection finalized. */
  closed: number;
  /** Failed tasks V8 had already collected on its own since the previous gc-run. */
  earlier: number;
}

export interface ServerSlice {
  /** The transport to the host; 'connecting' until the first snapshot or link report. */
  link: LinkState | 'connecting';
  status: ServerStatus;
  /** Exact totals from the newest batch or snapshot; shown as they come, never recounted. */
  counters: Counters;
  /** Sequence number the counters are exact as of (stale batches must not overwrite newer counters). */
  countersSeq: number;
  /** Newest event folded into the store; events at or below it are duplicates. */
  lastSeq: number;
  /** Events the host left out of batches since this page loaded (detail only). */
  droppedTotal: number;
  /** A start/stop command is in flight. */
  pending: 'start' | 'stop' | null;
  /** The last server command's error, in words a user can act on. */
  serverError: string | null;
  stopReport: StopReport | null;
  gcReport: GcReport | null;
  /** Finalizer effects seen since the last gc-run, folded into the next GcReport. */
  finalizerTally: { warnings: number; closed: number };
  /** Whether the store has been built from a snapshot at least once. */
  synced: boolean;
  setLink: (link: ServerSlice['link']) => void;
  setPending: (pending: ServerSlice['pending']) => void;
  /** A command's own report of the server status (start), which can precede the 'listening' event. */
  setStatus: (status: ServerStatus) => void;
  setServerError: (message: string | null) => void;
  setStopReport: (report: StopReport) => void;
}

/** The counters of a run that has seen nothing yet (shared, never mutated). */
export const ZERO_COUNTERS: Counters = Object.freeze(zeroCounters());

const IDLE_STATUS: ServerStatus = {
  phase: 'idle',
  settings: null,
  boundPort: null,
  gcAvailable: false,
};

export const createServerSlice: StateCreator<AppState, [], [], ServerSlice> = (set) => ({
  link: 'connecting',
  status: IDLE_STATUS,
  counters: ZERO_COUNTERS,
  countersSeq: 0,
  lastSeq: 0,
  droppedTotal: 0,
  pending: null,
  serverError: null,
  stopReport: null,
  gcReport: null,
  finalizerTally: { warnings: 0, closed: 0 },
  synced: false,
  setLink: (link) => set({ link }),
  setPending: (pending) => set({ pending }),
  setStatus: (status) => set({ status }),
  setServerError: (serverError) => set({ serverError }),
  setStopReport: (stopReport) => set({ stopReport }),
});

type ServerData = Pick<
  ServerSlice,
  | 'status'
  | 'counters'
  | 'countersSeq'
  | 'lastSeq'
  | 'droppedTotal'
  | 'gcReport'
  | 'finalizerTally'
  | 'stopReport'
>;

/** Folds one batch's (already deduplicated) events into the server slice's data. */
export function foldServer(prev: ServerData, events: readonly EngineEvent[], batch: EventBatch): ServerData {
  let { status, gcReport, stopReport } = prev;
  let tally = prev.finalizerTally;
  for (const e of events) {
    switch (e.kind) {
      case 'listening':
        status = {
          ...status,
          phase: 'listening',
          settings: e.settings,
          boundPort: e.port,
          attached: foldAttachState(status.attached, e),
        };
        gcReport = null;
        stopReport = null;
        tally = { warnings: 0, closed: 0 };
        break;
      case 'stopping':
        status = { ...status, phase: 'stopping' };
        break;
      case 'stopped':
        status = { ...status, phase: 'idle', boundPort: null };
        stopReport = { cancelled: e.cancelled, forced: e.forced, durationMs: e.durationMs };
        break;
      case 'attached':
      case 'detached':
        status = { ...status, attached: foldAttachState(status.attached, e) };
        break;
      case 'gc-run': {
        // The finalizer reports arrive before gc-run; any beyond `finalized` came from V8's own collections.
        const warnings = Math.min(tally.warnings, e.finalized);
        gcReport = {
          at: e.at,
          available: e.available,
          finalized: e.finalized,
          warnings,
          closed: Math.min(tally.closed, e.finalized),
          earlier: tally.warnings - warnings,
        };
        tally = { warnings: 0, closed: 0 };
        break;
      }
      case 'unretrieved':
        if (e.via === 'gc') tally = { ...tally, warnings: tally.warnings + 1 };
        break;
      case 'closed':
        if (e.reason === 'finalized') tally = { ...tally, closed: tally.closed + 1 };
        break;
    }
  }
  const newest = events.length > 0 ? events[events.length - 1]!.seq : 0;
  const fresh = batch.lastSeq >= prev.countersSeq;
  return {
    status,
    gcReport,
    stopReport,
    finalizerTally: tally,
    counters: fresh ? batch.counters : prev.counters,
    countersSeq: fresh ? batch.lastSeq : prev.countersSeq,
    lastSeq: Math.max(prev.lastSeq, newest),
    droppedTotal: prev.droppedTotal + batch.dropped,
  };
}

/** The server slice's data as of a snapshot (dropped counts survive: they describe this page's history). */
export function serverFromSnapshot(
  snapshot: Snapshot,
): Omit<ServerData, 'droppedTotal' | 'gcReport' | 'stopReport'> {
  return {
    status: snapshot.status,
    counters: snapshot.counters,
    countersSeq: snapshot.lastSeq,
    lastSeq: snapshot.lastSeq,
    finalizerTally: { warnings: 0, closed: 0 },
  };
}
