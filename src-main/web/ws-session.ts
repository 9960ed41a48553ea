import { type RawData, WebSocket } from 'ws';
import type { CommandHandlers } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import { parseClientMessage, type WsServerMessage } from '../../src-shared/ws-protocol';
import { dispatchCommand } from '../core/command-handlers';
import type { EventBus } from '../core/event-bus';

/** While more than this waits to go out to the browser, batches are skipped and counted as dropped. */
export const BATCH_BACKLOG_LIMIT = 8 * 1024 * 1024;
/** A browser this far behind is disconnected; it reconnects and re-reads a snapshot. */
export const HARD_BACKLOG_LIMIT = 64 * 1024 * 1024;
/** Commands one socket may have running at once; more get a `busy` error reply. */
export const MAX_IN_FLIGHT = 32;
/** How often a held-back batch checks whether the backlog has drained. */
const DRAIN_CHECK_MS = 50;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * One browser connection: streams event batches (bounded by the socket's backlog) and runs the commands
 * it sends. Malformed messages get an error reply; nothing a client sends can throw out of here.
 */
export function runSession(ws: WebSocket, bus: EventBus, handlers: CommandHandlers): void {
  let inFlight = 0;
  /** The newest batch not sent because of backlog: its events are gone, its counters still owed. */
  let held: EventBatch | null = null;
  let drainTimer: NodeJS.Timeout | null = null;

  const send = (message: WsServerMessage): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > HARD_BACKLOG_LIMIT) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  };

  const stopDrainCheck = (): void => {
    if (drainTimer) clearInterval(drainTimer);
    drainTimer = null;
  };

  const sendHeld = (): void => {
    if (!held || ws.bufferedAmount > BATCH_BACKLOG_LIMIT) return;
    const batch = held;
    held = null;
    stopDrainCheck();
    send({ type: 'batch', batch });
  };

  const onBatch = (batch: EventBatch): void => {
    if (ws.bufferedAmount > BATCH_BACKLOG_LIMIT) {
      const dropped = (held?.dropped ?? 0) + batch.dropped + batch.events.length;
      held = { ...batch, events: [], dropped };
      drainTimer ??= setInterval(sendHeld, DRAIN_CHECK_MS);
      return;
    }
    const owed = held?.dropped ?? 0;
    held = null;
    stopDrainCheck();
    send({ type: 'batch', batch: owed > 0 ? { ...batch, dropped: batch.dropped + owed } : batch });
  };

  const onMessage = (data: RawData, isBinary: boolean): void => {
    if (isBinary) {
      send({ type: 'error', error: { code: 'binary-message', message: 'Messages must be JSON text' } });
      return;
    }
    const bytes = toBuffer(data);
    const parsed = parseClientMessage(bytes.toString('utf8'), bytes.length);
    if (!parsed.ok) {
      send(parsed.reply);
      return;
    }
    const { id, name, args } = parsed.message;
    if (inFlight >= MAX_IN_FLIGHT) {
      send({
        type: 'error',
        id,
        error: { code: 'busy', message: `At most ${MAX_IN_FLIGHT} commands may run at once` },
      });
      return;
    }
    inFlight++;
    void dispatchCommand(handlers, name, args).then((result) => {
      inFlight--;
      send({ type: 'result', id, result });
    });
  };

  const unsubscribe = bus.subscribe(onBatch, { intervalMs: 17 });
  ws.on('message', onMessage);
  // Protocol errors (oversized frame, invalid UTF-8) end this socket with a close code; they must not throw.
  ws.on('error', () => {});
  ws.on('close', () => {
    unsubscribe();
    stopDrainCheck();
    held = null;
  });
}
