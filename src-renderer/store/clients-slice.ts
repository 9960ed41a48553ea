import type { StateCreator } from 'zustand';
import { reduceClient } from '../../src-shared/client-view';
import type { ClientView, Snapshot } from '../../src-shared/commands';
import { type EngineEvent, isClientEvent, startsRun } from '../../src-shared/events';
import { evictClosedClients, RETENTION } from '../../src-shared/retention';
import type { AppState } from './app-store';

export interface ClientsSlice {
  /** Built-in clients by id, in the order they opened. */
  clients: ReadonlyMap<number, ClientView>;
}

export const createClientsSlice: StateCreator<AppState, [], [], ClientsSlice> = () => ({
  clients: new Map(),
});

/** Folds one batch's client events with the shared reducer; a new run (startsRun) starts afresh. */
export function foldClients(
  prev: ReadonlyMap<number, ClientView>,
  events: readonly EngineEvent[],
  limit = RETENTION.clients,
): ReadonlyMap<number, ClientView> {
  let clients: Map<number, ClientView> | null = null;
  for (const e of events) {
    if (startsRun(e)) {
      clients = new Map();
      continue;
    }
    if (!isClientEvent(e)) continue;
    clients ??= new Map(prev);
    const next = reduceClient(clients.get(e.clientId), e);
    if (next) clients.set(e.clientId, next);
    evictClosedClients(clients, limit);
  }
  return clients ?? prev;
}

export function clientsFromSnapshot(snapshot: Snapshot): ReadonlyMap<number, ClientView> {
  return new Map(snapshot.clients.map((c) => [c.id, c]));
}
