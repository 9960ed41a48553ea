import { describe, expect, it } from 'vitest';
import type { ClientView } from '../../src-shared/commands';
import { createAppStore } from './app-store';

function client(id: number): ClientView {
  return {
    id,
    localPort: 50_000 + id,
    open: true,
    closeReason: null,
    bytesSent: 0,
    bytesReceived: 0,
    lastReceived: '',
  };
}

describe('client input slice', () => {
  it('remembers what a client sent as typed, clears its draft, and forgets clients the store let go', () => {
    const store = createAppStore();
    store.setState({ clients: new Map([1, 2].map((id) => [id, client(id)])) });
    const s = () => store.getState();
    s().setClientNotation('hex');
    s().setClientDraft(1, 'de ad');
    s().setClientDraft(2, 'be ef');
    s().noteClientSent(1, { kind: 'typed', notation: 'hex', typed: 'de ad', newline: false });
    expect(s().clientNotation).toBe('hex');
    expect(s().clientDrafts.get(1)).toBe('');
    expect(s().clientDrafts.get(2)).toBe('be ef');
    expect(s().clientLastSent.get(1)).toEqual({
      kind: 'typed',
      notation: 'hex',
      typed: 'de ad',
      newline: false,
    });

    // Client 1 evicted (a new run, or retention): its entries go with the next change.
    store.setState({ clients: new Map([[2, client(2)]]) });
    s().noteClientSent(2, { kind: 'crash-word', word: 'boom' });
    expect([...s().clientDrafts.keys()]).toEqual([2]);
    expect([...s().clientLastSent.keys()]).toEqual([2]);
  });
});
