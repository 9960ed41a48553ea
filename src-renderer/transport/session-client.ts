import type { EchoscopeApi, LinkState, OpenedRecording } from '../../src-shared/api';
import type { CommandError, CommandResult } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import { ACK_MESSAGE_TEXT, parseServerMessage, type WsCommandMessage } from '../../src-shared/ws-protocol';

/** Requests that may wait for a carrier; beyond this they fail at once. */
const MAX_QUEUED = 256;

/** Where the session's messages go while a carrier is attached (an open WebSocket or MessagePort). */
export interface ClientCarrier {
  send(text: string): void;
}

interface Pending {
  resolve: (result: CommandResult<unknown>) => void;
  /** Unsent requests wait for the next carrier; sent ones fail when it drops (they may or may not have run). */
  text: string | null;
}

/** The page's end of one session, fed by whichever carrier the host offers. */
export interface SessionClient {
  readonly api: EchoscopeApi;
  /** A carrier is up: queued requests go out and the link reads 'open'. */
  attach(carrier: ClientCarrier): void;
  /** One message from the host, still untrusted. */
  receive(data: unknown): void;
  /** The carrier went down: requests in flight fail, the link reads 'closed'. */
  detach(): void;
}

function failure(error: CommandError): CommandResult<never> {
  return { ok: false, error };
}

/** Calls every listener, so one that throws neither stops the others nor the session. */
function notify<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (err) {
      reportError(err);
    }
  }
}

/**
 * The session protocol's client side, independent of the carrier: commands matched to replies by id,
 * requests queued (bounded) while no carrier is attached, and every batch acknowledged once all
 * listeners applied it — the host's flow control counts on those acknowledgements.
 */
export function createSessionClient(host: EchoscopeApi['host']): SessionClient {
  let carrier: ClientCarrier | null = null;
  let link: LinkState = 'closed';
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const batchListeners = new Set<(batch: EventBatch) => void>();
  const linkListeners = new Set<(state: LinkState) => void>();
  const openListeners = new Set<(opened: OpenedRecording) => void>();

  const setLink = (state: LinkState): void => {
    if (state === link) return;
    link = state;
    notify(linkListeners, state);
  };

  const settle = (id: number, result: CommandResult<unknown>): void => {
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    request.resolve(result);
  };

  const api: EchoscopeApi = {
    host,
    invoke(name, args) {
      const id = nextId++;
      const message: WsCommandMessage<typeof name> = { type: 'command', id, name, args };
      const text = JSON.stringify(message);
      return new Promise((resolve) => {
        const queued = [...pending.values()].filter((p) => p.text !== null).length;
        if (!carrier && queued >= MAX_QUEUED) {
          resolve(failure({ code: 'disconnected', message: 'Not connected to the Echoscope host' }));
          return;
        }
        pending.set(id, {
          resolve: resolve as (result: CommandResult<unknown>) => void,
          text: carrier ? null : text,
        });
        carrier?.send(text);
      });
    },
    onBatch(listener) {
      batchListeners.add(listener);
      return () => batchListeners.delete(listener);
    },
    onLink(listener) {
      linkListeners.add(listener);
      listener(link);
      return () => linkListeners.delete(listener);
    },
    onOpenRecording(listener) {
      openListeners.add(listener);
      return () => openListeners.delete(listener);
    },
  };

  return {
    api,
    attach(next) {
      carrier = next;
      for (const request of pending.values()) {
        if (request.text === null) continue;
        next.send(request.text);
        request.text = null;
      }
      setLink('open');
    },
    receive(data) {
      if (typeof data !== 'string') return;
      const message = parseServerMessage(data);
      if (!message) return;
      if (message.type === 'batch') {
        notify(batchListeners, message.batch);
        carrier?.send(ACK_MESSAGE_TEXT);
      } else if (message.type === 'open-recording') {
        const { file, text, error } = message;
        if (text !== null) notify(openListeners, { file, text, error: null });
        else notify(openListeners, { file, text: null, error: error ?? 'The recording could not be read' });
      } else if (message.type === 'result') settle(message.id, message.result);
      else if (message.id !== undefined) settle(message.id, failure(message.error));
      else console.warn(`Echoscope host refused a message: ${message.error.message}`);
    },
    detach() {
      carrier = null;
      for (const [id, request] of pending) {
        if (request.text === null) {
          settle(
            id,
            failure({ code: 'disconnected', message: 'The connection to the Echoscope host was lost' }),
          );
        }
      }
      setLink('closed');
    },
  };
}
