import type { EchoscopeApi } from '../../src-shared/api';
import { TOKEN_PARAM, WS_PATH } from '../../src-shared/ws-protocol';
import { createSessionClient } from './session-client';

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;

/** The browser host's WebSocket URL for this page: same host, `/ws`, and the token from the page URL. */
export function webSocketUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/**
 * The session over the browser host's WebSocket: the carrier reconnects with exponential backoff, and
 * `onLink` reports each drop and return, so a view can re-read its snapshot after each 'open'.
 */
export function createWsTransport(url: string): EchoscopeApi {
  const client = createSessionClient('web');
  let attempt = 0;

  function connect(): void {
    const ws = new WebSocket(url);
    ws.addEventListener('open', () => {
      attempt = 0;
      client.attach({ send: (text) => ws.send(text) });
    });
    ws.addEventListener('message', (event: MessageEvent) => client.receive(event.data));
    ws.addEventListener('close', () => {
      client.detach();
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt++;
      setTimeout(connect, delay);
    });
  }

  connect();
  return client.api;
}
