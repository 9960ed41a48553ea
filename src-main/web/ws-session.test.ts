import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { CommandHandlers } from '../../src-shared/commands';
import type { WsBatchMessage, WsServerMessage } from '../../src-shared/ws-protocol';
import { EventBus } from '../core/event-bus';
import { BATCH_BACKLOG_LIMIT, HARD_BACKLOG_LIMIT, runSession } from './ws-session';

/** Just enough of a `ws` socket to drive a session: a settable backlog and a record of what was sent. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: WsServerMessage[] = [];
  terminated = false;

  send(text: string): void {
    this.sent.push(JSON.parse(text) as WsServerMessage);
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = WebSocket.CLOSED;
  }

  batches(): WsBatchMessage['batch'][] {
    return this.sent.filter((m): m is WsBatchMessage => m.type === 'batch').map((m) => m.batch);
  }
}

function setup(): { bus: EventBus; socket: FakeSocket } {
  const bus = new EventBus();
  const socket = new FakeSocket();
  runSession(socket as unknown as WebSocket, bus, {} as CommandHandlers);
  return { bus, socket };
}

function emitGcRuns(bus: EventBus, count: number): void {
  for (let i = 0; i < count; i++) bus.emit({ kind: 'gc-run', available: true, finalized: 0 });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ws session backpressure', () => {
  it('holds batches back while the socket is backed up and reports them as dropped, with exact counters', async () => {
    vi.useFakeTimers();
    const { bus, socket } = setup();
    emitGcRuns(bus, 3);
    await vi.advanceTimersByTimeAsync(20);
    expect(socket.batches()).toHaveLength(1);
    expect(socket.batches()[0]?.events).toHaveLength(3);

    socket.bufferedAmount = BATCH_BACKLOG_LIMIT + 1;
    emitGcRuns(bus, 5);
    await vi.advanceTimersByTimeAsync(20);
    emitGcRuns(bus, 4);
    await vi.advanceTimersByTimeAsync(20);
    expect(socket.batches()).toHaveLength(1);

    socket.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(60);
    const caughtUp = socket.batches()[1];
    expect(caughtUp?.events).toEqual([]);
    expect(caughtUp?.dropped).toBe(9);
    expect(caughtUp?.counters.events).toBe(12);
    expect(caughtUp?.lastSeq).toBe(12);

    emitGcRuns(bus, 1);
    await vi.advanceTimersByTimeAsync(20);
    expect(socket.batches()[2]).toMatchObject({ dropped: 0, lastSeq: 13 });
  });

  it('adds held-back events to the next batch that can be sent', async () => {
    vi.useFakeTimers();
    const { bus, socket } = setup();
    socket.bufferedAmount = BATCH_BACKLOG_LIMIT + 1;
    emitGcRuns(bus, 2);
    await vi.advanceTimersByTimeAsync(20);
    socket.bufferedAmount = 0;
    emitGcRuns(bus, 1);
    await vi.advanceTimersByTimeAsync(20);
    expect(socket.batches()).toEqual([
      expect.objectContaining({ dropped: 2, lastSeq: 3, events: [expect.anything()] }),
    ]);
  });

  it('disconnects a socket whose backlog passes the hard limit', async () => {
    const { socket } = setup();
    socket.bufferedAmount = HARD_BACKLOG_LIMIT + 1;
    socket.emit('message', Buffer.from('nonsense'), false);
    expect(socket.terminated).toBe(true);
    expect(socket.sent).toEqual([]);
  });

  it('unsubscribes when the socket closes', async () => {
    vi.useFakeTimers();
    const { bus, socket } = setup();
    socket.emit('close');
    emitGcRuns(bus, 3);
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.sent).toEqual([]);
  });
});
