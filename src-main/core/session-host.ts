import type { CommandHandlers } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import { parseClientMessage, type WsServerMessage } from '../../src-shared/ws-protocol';
import { BatchFlowGate } from './batch-flow-gate';
import { dispatchCommand } from './command-handlers';
import type { EventBus } from './event-bus';

/** Commands one session may have running at once; more get a `busy` error reply. */
export const MAX_IN_FLIGHT = 32;
/** Batches a page may have unacknowledged before further ones are merged (and, past a bound, dropped). */
export const ACK_WINDOW = 4;

/**
 * What carries one session's messages: a browser host's WebSocket or the desktop app's MessagePort.
 * Messages are JSON text on every carrier, so one parser checks them all.
 */
export interface SessionCarrier {
  /** Sends one message; a carrier that is already closed ignores it. */
  send(text: string): void;
}

/** The carrier's side of a running session: it hands over what arrives and says when it closed. */
export interface Session {
  /** One message from the page, still untrusted (a carrier may deliver non-text: it is refused). */
  receive(data: unknown): void;
  /** The carrier closed: unsubscribe, forget pending work. Idempotent. */
  end(): void;
}

/**
 * One page's session, the same whatever carries it: event batches flow out under acknowledgement
 * (the page acks each batch it applied; a slow page gets counted drops and resyncs), commands flow in
 * and get one reply each. Nothing a page sends can throw out of here.
 */
export function openSession(carrier: SessionCarrier, bus: EventBus, handlers: CommandHandlers): Session {
  let inFlight = 0;
  let ended = false;
  const send = (message: WsServerMessage): void => {
    if (!ended) carrier.send(JSON.stringify(message));
  };
  const gate = new BatchFlowGate((batch: EventBatch) => send({ type: 'batch', batch }), ACK_WINDOW);
  const unsubscribe = bus.subscribe((batch) => gate.offer(batch), { intervalMs: 17 });

  const runCommand = (id: number, name: unknown, args: unknown): void => {
    if (inFlight >= MAX_IN_FLIGHT) {
      send({
        type: 'error',
        id,
        error: { code: 'busy', message: `At most ${MAX_IN_FLIGHT} commands may run at once` },
      });
      return;
    }
    inFlight++;
    // dispatchCommand never rejects (property-tested in command-handlers.test.ts).
    void dispatchCommand(handlers, name, args).then((result) => {
      inFlight--;
      send({ type: 'result', id, result });
    });
  };

  return {
    receive(data) {
      if (ended) return;
      if (typeof data !== 'string') {
        send({ type: 'error', error: { code: 'binary-message', message: 'Messages must be JSON text' } });
        return;
      }
      const parsed = parseClientMessage(data, Buffer.byteLength(data, 'utf8'));
      if (!parsed.ok) send(parsed.reply);
      else if (parsed.message.type === 'ack') gate.ack();
      else runCommand(parsed.message.id, parsed.message.name, parsed.message.args);
    },
    end() {
      if (ended) return;
      ended = true;
      unsubscribe();
    },
  };
}
