import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandHandlers } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import { ACK_MESSAGE_TEXT, type WsServerMessage } from '../../src-shared/ws-protocol';
import { EventBus } from './event-bus';
import { ACK_WINDOW, openSession, type Session } from './session-host';

/** A carrier that records what the session sent, as the page would parse it. */
function setup(handlers = {} as CommandHandlers): {
  bus: EventBus;
  sent: WsServerMessage[];
  session: Session;
} {
  const bus = new EventBus();
  const sent: WsServerMessage[] = [];
  const session = openSession(
    { send: (text) => sent.push(JSON.parse(text) as WsServerMessage) },
    bus,
    handlers,
  );
  return { bus, sent, session };
}

const batches = (sent: WsServerMessage[]): EventBatch[] =>
  sent.flatMap((m) => (m.type === 'batch' ? [m.batch] : []));

function emitGcRuns(bus: EventBus, count: number): void {
  for (let i = 0; i < count; i++) bus.emit({ kind: 'gc-run', available: true, finalized: 0 });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('session host flow control', () => {
  it('stops sending at the ack window, then sends the held events once the page acknowledges', async () => {
    vi.useFakeTimers();
    const { bus, sent, session } = setup();
    for (let i = 0; i < ACK_WINDOW + 3; i++) {
      emitGcRuns(bus, 2);
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(batches(sent)).toHaveLength(ACK_WINDOW);
    session.receive(ACK_MESSAGE_TEXT);
    const caughtUp = batches(sent)[ACK_WINDOW];
    expect(caughtUp?.events).toHaveLength(6);
    expect(caughtUp).toMatchObject({ dropped: 0, lastSeq: (ACK_WINDOW + 3) * 2 });
  });

  it('counts events past the held bound as dropped, with exact counters, for a page that never acks', async () => {
    vi.useFakeTimers();
    const { bus, sent, session } = setup();
    for (let i = 0; i < ACK_WINDOW + 20; i++) {
      // Data events: a held batch keeps BATCH_BOUNDS.detailLimit (5,000) of them.
      for (let t = 0; t < 1000; t++)
        bus.emit({ kind: 'received', taskId: i * 1000 + t + 1, bytes: 1, reads: 1, preview: '' });
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(batches(sent)).toHaveLength(ACK_WINDOW);
    session.receive(ACK_MESSAGE_TEXT);
    const caughtUp = batches(sent).at(-1);
    expect(caughtUp?.events.length).toBe(5000);
    expect(caughtUp?.dropped).toBe(15_000);
    expect(caughtUp?.counters.events).toBe((ACK_WINDOW + 20) * 1000);
  });

  it('unsubscribes when the carrier closes', async () => {
    vi.useFakeTimers();
    const { bus, sent, session } = setup();
    session.end();
    emitGcRuns(bus, 3);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([]);
  });
});

describe('session host commands', () => {
  it('answers each command by id and refuses non-text', async () => {
    const handlers = {
      snapshot: async () => ({ ok: true, value: 'snap' }),
    } as unknown as CommandHandlers;
    const { sent, session } = setup(handlers);
    session.receive(JSON.stringify({ type: 'command', id: 7, name: 'snapshot', args: {} }));
    session.receive(new Uint8Array([1, 2]));
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'result')).toBe(true));
    expect(sent).toContainEqual({ type: 'result', id: 7, result: { ok: true, value: 'snap' } });
    expect(sent).toContainEqual({
      type: 'error',
      error: expect.objectContaining({ code: 'binary-message' }),
    });
  });

  it('replies busy beyond the in-flight limit', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handlers = {
      snapshot: async () => {
        await gate;
        return { ok: true, value: null };
      },
    } as unknown as CommandHandlers;
    const { sent, session } = setup(handlers);
    for (let id = 1; id <= 33; id++)
      session.receive(JSON.stringify({ type: 'command', id, name: 'snapshot' }));
    expect(sent).toContainEqual(
      expect.objectContaining({ type: 'error', id: 33, error: expect.objectContaining({ code: 'busy' }) }),
    );
    release();
    await vi.waitFor(() => expect(sent.filter((m) => m.type === 'result')).toHaveLength(32));
  });
});
