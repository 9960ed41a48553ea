import type { EchoscopeApi } from '../../src-shared/api';
import { createIpcTransport, findPreloadApi } from './ipc-transport';
import { createWsTransport, webSocketUrl } from './ws-transport';

let api: EchoscopeApi | null = null;

/**
 * The one API of this page, whatever hosts it: Electron IPC when the preload exposed it, else the
 * browser host's WebSocket. Created once; every caller gets the same connection.
 */
export function connectApi(): EchoscopeApi {
  if (!api) {
    const bridge = findPreloadApi();
    api = bridge ? createIpcTransport(bridge) : createWsTransport(webSocketUrl(window.location));
  }
  return api;
}
