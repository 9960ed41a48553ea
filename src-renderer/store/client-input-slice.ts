import type { StateCreator } from 'zustand';
import type { PayloadNotation } from '../../src-shared/payload-notation';
import type { AppState } from './app-store';

/** What a built-in client sent last, as the user typed it (or the crash word button). */
export type LastSent =
  | { kind: 'typed'; notation: PayloadNotation; typed: string; newline: boolean }
  | { kind: 'crash-word'; word: string };

/**
 * The built-in client's input: the notation payloads are typed and echoes shown in, each row's unsent
 * text and what it sent last. In the store rather than the panel, so that it outlives a tab switch.
 */
export interface ClientInputSlice {
  clientNotation: PayloadNotation;
  clientDrafts: ReadonlyMap<number, string>;
  clientLastSent: ReadonlyMap<number, LastSent>;
  setClientNotation: (notation: PayloadNotation) => void;
  setClientDraft: (clientId: number, text: string) => void;
  /** Remembers what a client sent and clears its draft. */
  noteClientSent: (clientId: number, sent: LastSent) => void;
}

/** `map` without the entries of clients the store no longer keeps (bounded by the clients' retention). */
function keptOnly<V>(map: ReadonlyMap<number, V>, state: AppState): Map<number, V> {
  const next = new Map<number, V>();
  for (const [id, value] of map) if (state.clients.has(id)) next.set(id, value);
  return next;
}

export const createClientInputSlice: StateCreator<AppState, [], [], ClientInputSlice> = (set) => ({
  clientNotation: 'text',
  clientDrafts: new Map(),
  clientLastSent: new Map(),
  setClientNotation: (clientNotation) => set({ clientNotation }),
  setClientDraft: (clientId, text) =>
    set((s) => ({ clientDrafts: keptOnly(s.clientDrafts, s).set(clientId, text) })),
  noteClientSent: (clientId, sent) =>
    set((s) => ({
      clientDrafts: keptOnly(s.clientDrafts, s).set(clientId, ''),
      clientLastSent: keptOnly(s.clientLastSent, s).set(clientId, sent),
    })),
});
