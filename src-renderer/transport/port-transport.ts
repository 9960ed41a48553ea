import type { EchoscopeApi } from '../../src-shared/api';
import { PRELOAD_API_KEY, SESSION_PORT_MESSAGE } from '../../src-shared/channels';
import type { DesktopBridge } from '../../src-shared/desktop-bridge';
import { createSessionClient } from './session-client';

/** The page's global object as the desktop app's preload leaves it. */
type PreloadWindow = Window & { readonly [PRELOAD_API_KEY]?: unknown };

/** The bridge the desktop app's preload exposed, or null outside it (e.g. in a browser on `echoscope web`). */
export function findDesktopBridge(target: Window = window): DesktopBridge | null {
  const bridge = (target as PreloadWindow)[PRELOAD_API_KEY] as Partial<DesktopBridge> | undefined;
  return bridge?.host === 'electron' && typeof bridge.openSession === 'function'
    ? (bridge as DesktopBridge)
    : null;
}

/**
 * The session over a MessagePort from the desktop app's main process. The listener is installed before
 * the request, and only a message this window posted itself (the preload's hand-off) is taken as the port.
 */
export function createPortTransport(bridge: DesktopBridge, target: Window = window): EchoscopeApi {
  const client = createSessionClient('electron');
  target.addEventListener('message', (event: MessageEvent) => {
    const port = event.ports[0];
    if (event.source !== target || event.data !== SESSION_PORT_MESSAGE || !port) return;
    port.addEventListener('message', (message: MessageEvent) => client.receive(message.data));
    // Chromium reports a port whose other end went away (the main process quit or dropped the session).
    port.addEventListener('close', () => client.detach());
    port.start();
    client.attach({ send: (text) => port.postMessage(text) });
  });
  bridge.openSession();
  return client.api;
}
