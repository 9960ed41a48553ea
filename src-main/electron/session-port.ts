import { type BrowserWindow, type IpcMainEvent, ipcMain, MessageChannelMain } from 'electron';
import { SESSION_OPEN_CHANNEL, SESSION_PORT_CHANNEL } from '../../src-shared/channels';
import type { WsServerMessage } from '../../src-shared/ws-protocol';
import type { AppRoot } from '../core/app-root';
import { openSession } from '../core/session-host';
import { isRendererUrl, type RendererSource } from './renderer-source';

/** The sender is our window's main frame, showing our renderer (not a subframe, not a page navigated elsewhere). */
export function isTrustedSender(
  event: Pick<IpcMainEvent, 'sender' | 'senderFrame'>,
  win: BrowserWindow | null,
  source: RendererSource,
): boolean {
  const frame = event.senderFrame;
  if (!win || win.isDestroyed() || !frame || frame.isDestroyed() || event.sender !== win.webContents)
    return false;
  const main = win.webContents.mainFrame;
  return (
    frame.processId === main.processId &&
    frame.routingId === main.routingId &&
    isRendererUrl(source, frame.url)
  );
}

/** The main process's own way to the page: a host message on the page's current session. */
export interface PageSession {
  /** Sends to the newest session of the app's page; false when it has none open. */
  send(message: WsServerMessage): boolean;
}

/**
 * The desktop carrier: each session request from the app's own page gets a fresh `MessageChannelMain`;
 * one end runs the session here, the other goes to the page. A request from any other frame gets
 * nothing. The session ends when the page closes its port, reloads or goes away.
 */
export function serveSessionPorts(
  root: Pick<AppRoot, 'bus' | 'handlers'>,
  getWindow: () => BrowserWindow | null,
  source: RendererSource,
  warn: (line: string) => void = console.warn,
): PageSession {
  /** The newest session's sender (a reload replaces it; its end clears it). */
  let current: ((text: string) => void) | null = null;
  ipcMain.on(SESSION_OPEN_CHANNEL, (event: IpcMainEvent) => {
    if (!isTrustedSender(event, getWindow(), source)) {
      warn(
        `Echoscope: refused a session to a frame that is not the app's page (${event.senderFrame?.url ?? 'gone'})`,
      );
      return;
    }
    const { port1, port2 } = new MessageChannelMain();
    const contents = event.sender;
    const sendText = (text: string): void => port1.postMessage(text);
    const session = openSession({ send: sendText }, root.bus, root.handlers);
    current = sendText;
    let ended = false;
    // A reload makes a new page that asks for its own session; this one's port is then orphaned.
    const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
      if (details.isMainFrame && !details.isSameDocument) end();
    };
    const end = (): void => {
      if (ended) return;
      ended = true;
      if (current === sendText) current = null;
      session.end();
      port1.close();
      contents.off('did-start-navigation', onNavigation);
      contents.off('destroyed', end);
    };
    port1.on('message', (message) => session.receive(message.data));
    port1.on('close', end);
    port1.start();
    contents.on('did-start-navigation', onNavigation);
    contents.once('destroyed', end);
    contents.postMessage(SESSION_PORT_CHANNEL, null, [port2]);
  });
  return {
    send(message) {
      if (!current) return false;
      current(JSON.stringify(message));
      return true;
    },
  };
}
