import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CommandHandlers } from '../../src-shared/commands';
import { EventBus } from '../core/event-bus';
import { HARD_BACKLOG_LIMIT, runSession } from './ws-session';

/** Just enough of a `ws` socket to drive a session: a settable backlog and a record of what was sent. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  terminated = false;

  send(text: string): void {
    this.sent.push(text);
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = WebSocket.CLOSED;
  }
}

describe('WebSocket carrier', () => {
  it('passes text frames to the session and refuses binary ones', () => {
    const socket = new FakeSocket();
    runSession(socket as unknown as WebSocket, new EventBus(), {} as CommandHandlers);
    socket.emit('message', Buffer.from('not json'), false);
    socket.emit('message', Buffer.from([1, 2, 3]), true);
    expect(socket.sent.map((t) => JSON.parse(t).error.code)).toEqual(['invalid-json', 'binary-message']);
  });

  it('disconnects a socket whose backlog passes the hard limit', () => {
    const socket = new FakeSocket();
    runSession(socket as unknown as WebSocket, new EventBus(), {} as CommandHandlers);
    socket.bufferedAmount = HARD_BACKLOG_LIMIT + 1;
    socket.emit('message', Buffer.from('nonsense'), false);
    expect(socket.terminated).toBe(true);
    expect(socket.sent).toEqual([]);
  });
});
