import { contextBridge, ipcRenderer } from 'electron';
import {
  PRELOAD_API_KEY,
  SESSION_OPEN_CHANNEL,
  SESSION_PORT_CHANNEL,
  SESSION_PORT_MESSAGE,
} from '../../src-shared/channels';
import type { DesktopBridge } from '../../src-shared/desktop-bridge';

/**
 * The page's whole view of the main process: one named function, never `ipcRenderer` itself. The
 * session port cannot cross `contextBridge`, so it reaches the page's own world by `window.postMessage`,
 * the pattern Electron documents for context-isolated pages. Runs sandboxed, so it is bundled (it may
 * only require 'electron').
 */
/** The page's window as this bundle sees it (the main build's types carry no DOM). */
const page = globalThis as unknown as {
  postMessage(message: string, targetOrigin: string, transfer: readonly unknown[]): void;
};

ipcRenderer.on(SESSION_PORT_CHANNEL, (event) => {
  // To this window only ('*' because a file:// page has an opaque origin): the page accepts the port
  // only from a message whose source is itself.
  page.postMessage(SESSION_PORT_MESSAGE, '*', event.ports);
});

const bridge: DesktopBridge = {
  host: 'electron',
  openSession: () => ipcRenderer.send(SESSION_OPEN_CHANNEL),
};

contextBridge.exposeInMainWorld(PRELOAD_API_KEY, bridge);
