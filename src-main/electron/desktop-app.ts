import { join } from 'node:path';
import { app, type BrowserWindow, Menu, session } from 'electron';
import { locateProbeDir } from '../attach/probe-command';
import { createAppRoot } from '../core/app-root';
import { appMenuTemplate } from './app-menu';
import { installGracefulQuit } from './graceful-quit';
import { openRecordingFromDialog } from './open-recording';
import { resolveRendererSource } from './renderer-source';
import { serveSessionPorts } from './session-port';
import { secureSession } from './session-security';
import { createMainWindow } from './window';

// For renderers; the main process's own V8 is already running, so the engine obtains gc() itself
// (see gc-access) unless Electron was launched with --js-flags=--expose-gc.
app.commandLine.appendSwitch('js-flags', '--expose-gc');
app.enableSandbox();

// The Record toggle writes beside the app's other per-user state. The Attach action listens for a
// Python probe with a token of its own (printed in the command it shows); its log goes to stderr.
const root = createAppRoot(
  undefined,
  { dir: join(app.getPath('userData'), 'recordings'), recorder: 'Echoscope desktop' },
  {
    log: (line) => console.error(line),
    // Packaged, the probe is an extra resource beside app.asar (electron-builder.yml), not inside it.
    probeDir: locateProbeDir(app.isPackaged ? join(process.resourcesPath, 'probe') : undefined),
  },
);
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
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

installGracefulQuit(async () => {
  // As asyncio does at exit: one warning per failed task whose exception nobody retrieved.
  const stopPrinting = root.bus.onEvent((e) => {
    if (e.kind === 'unretrieved')
      console.error(`Task exception was never retrieved (task ${e.taskId})\n${e.error.stack}`);
  });
  await root.shutdown();
  stopPrinting();
});

app.on('window-all-closed', () => app.quit());

app.whenReady().then(() => {
  secureSession(session.defaultSession, source);
  const page = serveSessionPorts(root, () => mainWindow, source);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({ openRecording: () => void openRecordingFromDialog(mainWindow, page) }),
    ),
  );
  openWindow();
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
});
