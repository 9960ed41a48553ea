import type { EchoscopeApi, LinkState } from '../../src-shared/api';
import type { CommandError, CommandResult } from '../../src-shared/commands';
import type { EventBatch } from '../../src-shared/events';
import {
  parseServerMessage,
  TOKEN_PARAM,
  WS_PATH,
  type WsCommandMessage,
} from '../../src-shared/ws-protocol';

/** Requests that may wait for the connection; beyond this they fail at once. */
const MAX_QUEUED = 256;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;

interface Pending {
  resolve: (result: CommandResult<unknown>) => void;
  /** Unsent requests wait for the next connection; sent ones fail when it drops (they may or may not have run). */
  text: string | null;
}

function failure(error: CommandError): CommandResult<never> {
  return { ok: false, error };
}

/** The browser host's WebSocket URL for this page: same host, `/ws`, and the token from the page URL. */
export function webSocketUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/** Calls every listener, so one that throws neither stops the others nor the transport. */
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
 * `EchoscopeApi` over the browser host's WebSocket. Requests made while disconnected wait (bounded) for
 * the connection; requests in flight when it drops resolve with a `disconnected` error. It reconnects
 * with exponential backoff; `onLink` reports the current state at once, then every change, so a view
 * can re-read its snapshot after each 'open'.
 */
export function createWsTransport(url: string): EchoscopeApi {
  let socket: WebSocket | null = null;
  let link: LinkState = 'closed';
  let attempt = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const batchListeners = new Set<(batch: EventBatch) => void>();
  const linkListeners = new Set<(state: LinkState) => void>();

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

  const onMessage = (event: MessageEvent): void => {
    if (typeof event.data !== 'string') return;
    const message = parseServerMessage(event.data);
    if (!message) return;
    if (message.type === 'batch') notify(batchListeners, message.batch);
    else if (message.type === 'result') settle(message.id, message.result);
    else if (message.id !== undefined) settle(message.id, failure(message.error));
    else console.warn(`Echoscope host refused a message: ${message.error.message}`);
  };

  const onOpen = (ws: WebSocket): void => {
    attempt = 0;
    for (const request of pending.values()) {
      if (request.text === null) continue;
      ws.send(request.text);
      request.text = null;
    }
    setLink('open');
  };

  const onClose = (): void => {
    socket = null;
    for (const [id, request] of pending) {
      if (request.text === null) {
        settle(
          id,
          failure({ code: 'disconnected', message: 'The connection to the Echoscope host was lost' }),
        );
      }
    }
    setLink('closed');
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt++;
    setTimeout(connect, delay);
  };

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => onOpen(ws));
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
  }

  connect();

  return {
    host: 'web',
    invoke(name, args) {
      const id = nextId++;
      const message: WsCommandMessage<typeof name> = { type: 'command', id, name, args };
      const text = JSON.stringify(message);
      return new Promise((resolve) => {
        const open = socket?.readyState === WebSocket.OPEN;
        const queued = [...pending.values()].filter((p) => p.text !== null).length;
        if (!open && queued >= MAX_QUEUED) {
          resolve(failure({ code: 'disconnected', message: 'Not connected to the Echoscope host' }));
          return;
        }
        pending.set(id, {
          resolve: resolve as (result: CommandResult<unknown>) => void,
          text: open ? null : text,
        });
        if (open) socket?.send(text);
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
  };
}
