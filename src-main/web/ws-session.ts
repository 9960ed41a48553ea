import { type RawData, WebSocket } from 'ws';
import type { CommandHandlers } from '../../src-shared/commands';
import type { EventBus } from '../core/event-bus';
import { openSession } from '../core/session-host';

/**
 * A browser this far behind is disconnected; it reconnects and re-reads a snapshot. Acknowledgement
 * already bounds what is in flight; this guards against a peer that acks without reading.
 */
export const HARD_BACKLOG_LIMIT = 64 * 1024 * 1024;

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}

/** Carries one session over a browser's WebSocket (the browser host's carrier). */
export function runSession(ws: WebSocket, bus: EventBus, handlers: CommandHandlers): void {
  const session = openSession(
    {
      send(text) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > HARD_BACKLOG_LIMIT) ws.terminate();
        else ws.send(text);
      },
    },
    bus,
    handlers,
  );
  ws.on('message', (data: RawData, isBinary: boolean) => session.receive(isBinary ? data : toText(data)));
  // Protocol errors (oversized frame, invalid UTF-8) end this socket with a close code; they must not throw.
  ws.on('error', () => {});
  ws.on('close', () => session.end());
}
