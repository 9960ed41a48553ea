import type { StateCreator } from 'zustand';
import { reduceClient } from '../../src-shared/client-view';
import type { ClientView, Snapshot } from '../../src-shared/commands';
import { type EngineEvent, isClientEvent } from '../../src-shared/events';
import type { AppState } from './app-store';

/** Built-in clients kept; the oldest closed ones are forgotten first. */
const CLIENT_CAP = 2_000;

export interface ClientsSlice {
  /** Built-in clients by id, in the order they opened. */
  clients: ReadonlyMap<number, ClientView>;
}

export const createClientsSlice: StateCreator<AppState, [], [], ClientsSlice> = () => ({
  clients: new Map(),
});

function forgetOldestClosed(clients: Map<number, ClientView>): void {
  for (const [id, view] of clients) {
    if (!view.open) {
      clients.delete(id);
      return;
    }
  }
}

/** Folds one batch's client events with the shared reducer; a 'listening' event starts a fresh run. */
export function foldClients(
  prev: ReadonlyMap<number, ClientView>,
  events: readonly EngineEvent[],
  cap = CLIENT_CAP,
): ReadonlyMap<number, ClientView> {
  let clients: Map<number, ClientView> | null = null;
  for (const e of events) {
    if (e.kind === 'listening') {
      clients = new Map();
      continue;
    }
    if (!isClientEvent(e)) continue;
    clients ??= new Map(prev);
    const next = reduceClient(clients.get(e.clientId), e);
    if (next) clients.set(e.clientId, next);
    if (clients.size > cap) forgetOldestClosed(clients);
  }
  return clients ?? prev;
}

export function clientsFromSnapshot(snapshot: Snapshot): ReadonlyMap<number, ClientView> {
  return new Map(snapshot.clients.map((c) => [c.id, c]));
}
