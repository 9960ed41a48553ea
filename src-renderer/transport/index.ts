import type { EchoscopeApi } from '../../src-shared/api';
import { createPortTransport, findDesktopBridge } from './port-transport';
import { createWsTransport, webSocketUrl } from './ws-transport';

let api: EchoscopeApi | null = null;

/**
 * The one API of this page, whatever hosts it: a MessagePort from the desktop app when its preload is
 * there, else the browser host's WebSocket. Both carry the same session protocol. Created once.
 */
export function connectApi(): EchoscopeApi {
  if (!api) {
    const bridge = findDesktopBridge();
    api = bridge ? createPortTransport(bridge) : createWsTransport(webSocketUrl(window.location));
  }
  return api;
}
