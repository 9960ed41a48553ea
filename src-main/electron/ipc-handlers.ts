import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { commandChannel } from '../../src-shared/channels';
import { COMMAND_NAMES, type CommandHandlers, type CommandResult } from '../../src-shared/commands';
import { dispatchCommand } from '../core/command-handlers';
import { isRendererUrl, type RendererSource } from './renderer-source';

const FORBIDDEN: CommandResult<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Commands are only accepted from the Echoscope window' },
};

/** The sender is our window's main frame, showing our renderer (not a subframe, not a page navigated elsewhere). */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
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

/**
 * One `ipcMain.handle` per command of the contract. Each checks its sender, then hands the untrusted
 * arguments to `dispatchCommand`, which validates them; nothing a page sends can throw here.
 */
export function registerIpcHandlers(
  handlers: CommandHandlers,
  getWindow: () => BrowserWindow | null,
  source: RendererSource,
): void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), (event, args: unknown) =>
      isTrustedSender(event, getWindow(), source) ? dispatchCommand(handlers, name, args) : FORBIDDEN,
    );
  }
}
