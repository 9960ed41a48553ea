import { join } from 'node:path';
import { app, type BrowserWindow, session } from 'electron';
import { ClientPool, createCommandHandlers, EchoEngine } from '../core';
import { startEventPump } from './event-pump';
import { installGracefulQuit } from './graceful-quit';
import { registerIpcHandlers } from './ipc-handlers';
import { resolveRendererSource } from './renderer-source';
import { secureSession } from './session-security';
import { createMainWindow } from './window';

// For renderers; the main process's own V8 is already running, so the engine obtains gc() itself
// (see gc-access) unless Electron was launched with --js-flags=--expose-gc.
app.commandLine.appendSwitch('js-flags', '--expose-gc');
app.enableSandbox();

const engine = new EchoEngine();
const clients = new ClientPool(engine.bus, () => engine.target());
const handlers = createCommandHandlers(engine, clients);
// Built layout under the app (the project, or app.asar when packaged): out/main, out/preload, out/renderer.
const outDir = join(app.getAppPath(), 'out');
const source = resolveRendererSource(outDir, app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
let mainWindow: BrowserWindow | null = null;

function openWindow(): void {
  const win = createMainWindow(
    source,
    join(outDir, 'preload', 'index.js'),
    join(app.getPath('userData'), 'window-state.json'),
  );
  startEventPump(win.webContents, engine.bus);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

installGracefulQuit(async () => {
  // As asyncio does at exit: one warning per failed task whose exception nobody retrieved.
  const stopPrinting = engine.bus.onEvent((e) => {
    if (e.kind === 'unretrieved')
      console.error(`Task exception was never retrieved (task ${e.taskId})\n${e.error.stack}`);
  });
  await handlers.stop({});
  stopPrinting();
});

app.on('window-all-closed', () => app.quit());

app.whenReady().then(() => {
  secureSession(session.defaultSession, source);
  registerIpcHandlers(handlers, () => mainWindow, source);
  openWindow();
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
});
