import { BrowserWindow } from 'electron';
import type { RendererSource } from './renderer-source';

/**
 * The one app window: isolated, sandboxed, no Node in the page, and unable to navigate away, open
 * windows or embed webviews. Shown once its first paint is ready.
 */
export function createMainWindow(source: RendererSource, preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: 'Echoscope',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const loaded = source.kind === 'dev' ? win.loadURL(source.url) : win.loadFile(source.indexPath);
  loaded.catch((err: unknown) => {
    console.error(
      `Echoscope: could not load the renderer: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  return win;
}
